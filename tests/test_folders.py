from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from provenance.text import folders
from provenance.text.folders import article_files

#: A real unreadable folder stops no reading by root (tests may run as root).
AS_ROOT = os.geteuid() == 0


def _reasons(folder: Path) -> dict[str, tuple[str, str]]:
    """What ``article_files`` skipped under ``folder``: by id, the place and the reason."""
    return {i: (error.path, error.reason) for i, error in article_files(folder).skipped.items()}


def _unlistable(monkeypatch: pytest.MonkeyPatch, names: tuple[str, ...], code: int) -> None:
    """From now on, listing a folder of one of these names fails with the error ``code``."""
    listed = folders._entries

    def entries(place: str) -> list[os.DirEntry[str]]:
        if os.path.basename(place) in names:
            raise OSError(code, os.strerror(code), place)
        return listed(place)

    monkeypatch.setattr(folders, "_entries", entries)


def test_a_folder_that_cannot_be_listed_is_skipped_with_the_reason(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("locked", "open"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "story.txt").write_text("words")
    _unlistable(monkeypatch, ("locked",), errno.EACCES)
    listing = article_files(tmp_path)
    assert list(listing.files) == ["open/story.txt"]
    assert _reasons(tmp_path) == {
        "locked": ((tmp_path / "locked").as_posix(), "cannot list the folder: Permission denied")}
    _unlistable(monkeypatch, (tmp_path.name,), errno.EACCES)  # the folder itself
    assert article_files(tmp_path).files == {}
    assert list(_reasons(tmp_path)) == [""]


@pytest.mark.skipif(AS_ROOT, reason="root reads a folder whatever its permissions")
def test_a_folder_without_permission_to_list_it_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "story.txt").write_text("words")
    (tmp_path / "open.txt").write_text("words")
    (tmp_path / "locked").chmod(0)
    try:
        assert list(article_files(tmp_path).files) == ["open.txt"]
        assert _reasons(tmp_path)["locked"][1] == "cannot list the folder: Permission denied"
    finally:
        (tmp_path / "locked").chmod(0o755)


def test_a_folder_deeper_than_the_longest_path_is_skipped(tmp_path: Path) -> None:
    # Made a folder at a time, each opened from the last: its path is never named whole.
    (tmp_path / "top.txt").write_text("words")
    depth = os.pathconf(tmp_path, "PC_PATH_MAX") // 200 + 1
    fd = os.open(tmp_path, os.O_RDONLY | os.O_DIRECTORY)
    for _ in range(depth):
        os.mkdir("d" * 199, dir_fd=fd)
        deeper = os.open("d" * 199, os.O_RDONLY | os.O_DIRECTORY, dir_fd=fd)
        os.close(fd)
        fd = deeper
    os.close(os.open("deep.txt", os.O_CREAT | os.O_WRONLY, dir_fd=fd))
    os.close(fd)
    listing = article_files(tmp_path)
    assert list(listing.files) == ["top.txt"]
    ((where, (place, reason)),) = _reasons(tmp_path).items()
    assert reason == f"cannot list the folder: {os.strerror(errno.ENAMETOOLONG)}"
    assert place == f"{tmp_path.as_posix()}/{where}" and where.startswith("d" * 199)


def test_entries_named_as_articles_that_are_no_files_are_skipped_with_the_reason(
        tmp_path: Path) -> None:
    (tmp_path / "real.txt").write_text("words")
    (tmp_path / "gone.txt").symlink_to(tmp_path / "moved-away.txt")
    os.mkfifo(tmp_path / "pipe.md")
    (tmp_path / "folder.txt").symlink_to(tmp_path / "sub", target_is_directory=True)
    (tmp_path / "sub").mkdir()
    os.mkfifo(tmp_path / "sub" / "not-an-article")  # not named as one: passed over
    (tmp_path / "dangling").symlink_to(tmp_path / "nowhere")
    assert list(article_files(tmp_path).files) == ["real.txt"]
    assert _reasons(tmp_path) == {
        "folder.txt": ((tmp_path / "folder.txt").as_posix(),
                       "a link to a folder (links to folders are not followed)"),
        "gone.txt": ((tmp_path / "gone.txt").as_posix(),
                     f"a broken link (its target, {tmp_path / 'moved-away.txt'}, is missing)"),
        "pipe.md": ((tmp_path / "pipe.md").as_posix(), "not a regular file (a FIFO)"),
    }


def test_a_file_reached_through_links_is_listed_once_under_its_first_path(
        tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "story.txt").write_text("words")
    (tmp_path / "a-link.txt").symlink_to(tmp_path / "b" / "story.txt")
    (tmp_path / "c-link.txt").symlink_to(tmp_path / "b" / "story.txt")
    (tmp_path / ".elsewhere").mkdir()  # hidden: not listed itself
    outside = tmp_path / ".elsewhere" / "story.txt"
    outside.write_text("words from elsewhere")
    (tmp_path / "d.txt").symlink_to(outside)
    (tmp_path / "e.txt").symlink_to(outside)
    listing = article_files(tmp_path)
    assert list(listing.files) == ["a-link.txt", "d.txt"]
    assert listing.real_path("a-link.txt") == str(tmp_path / "b" / "story.txt")
    assert listing.real_path("d.txt") == str(outside)
