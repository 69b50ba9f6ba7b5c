from __future__ import annotations

import codecs
import gzip
import json
import os
from pathlib import Path

import pytest

from provenance.errors import DuplicateIdError, InputError, NotFoundError, ParameterError
from provenance.model import Skipped
from provenance.text.corpus import load_corpus
from provenance.text.folders import article_files
from provenance.text.front_matter import split_front_matter


def test_sample_corpus_loads_with_front_matter(corpus_dir: Path) -> None:
    corpus = load_corpus([corpus_dir])
    assert [a.id for a in corpus.articles] == sorted(p.name for p in corpus_dir.glob("*.txt"))
    assert corpus.skipped == ()
    signed = next(a for a in corpus.articles if a.id.startswith("003_"))
    assert signed.language == "en"
    assert signed.title.startswith("Japan PM Takaichi")
    assert not signed.text.startswith("---")
    assert signed.origin.endswith("003_553fd49de71b68a2.txt")


def test_folders_are_read_recursively_and_hidden_folders_skipped(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / ".provenance").mkdir()
    (tmp_path / "a" / "b" / "deep.md").write_text("deep text here")
    (tmp_path / "a-c.TXT").write_text("a text of another case")
    (tmp_path / "top.txt").write_text("top text")
    (tmp_path / ".provenance" / "hidden.txt").write_text("not an article")
    (tmp_path / ".hidden.txt").write_text("not an article")
    (tmp_path / "notes.csv").write_text("not read")
    (tmp_path / "link").symlink_to(tmp_path / "a", target_is_directory=True)
    corpus = load_corpus([tmp_path])
    assert [a.id for a in corpus.articles] == ["a/b/deep.md", "a-c.TXT", "top.txt"]
    monkeypatch.chdir(tmp_path)  # named as "." or from inside: the same ids, other paths
    assert {i: Path(path) for i, path in article_files(Path(".")).files.items()} == {
        "a/b/deep.md": Path("a/b/deep.md"), "a-c.TXT": Path("a-c.TXT"), "top.txt": Path("top.txt")}
    assert list(article_files(Path("a")).files) == ["b/deep.md"]


def test_jsonl_reads_fields_and_keeps_extra(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    rows = [{"id": "x1", "text": "some words", "title": "T", "outlet": "APP", "lang": "ur",
             "published": "2014-12-01", "domain": "sports", "source": None},
            {"id": 7, "text": "numeric id"}]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n\n")
    first, second = load_corpus([path]).articles
    assert (first.id, first.title, first.outlet, first.language) == ("x1", "T", "APP", "ur")
    assert first.extra == {"domain": "sports"}  # a null field is absent, not "None"
    assert first.origin == f"{path.as_posix()}:1"
    assert second.id == "7"


def test_jsonl_extra_fields_of_other_types_are_kept_as_their_json_text(tmp_path: Path
                                                                       ) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text('{"id": "a", "text": "t", "n": 3, "x": 1.5, "ok": true, "tags": ["a", "b"], '
                    '"meta": {"by": "AP", "rank": [1, 2]}, "name": "Zoë"}\n', encoding="utf-8")
    (article,) = load_corpus([path]).articles
    assert article.extra == {"n": "3", "x": "1.5", "ok": "true", "tags": '["a", "b"]',
                             "meta": '{"by": "AP", "rank": [1, 2]}', "name": "Zoë"}


def test_a_gzipped_jsonl_file_reads_as_the_plain_one(tmp_path: Path) -> None:
    lines = "".join(json.dumps({"id": f"a{n}", "text": f"text number {n}", "outlet": "AP"})
                    + "\n" for n in range(3))
    (tmp_path / "feed.jsonl").write_text(lines, encoding="utf-8")
    packed = gzip.compress(lines.encode("utf-8"))
    (tmp_path / "feed.JSONL.gz").write_bytes(packed)
    plain, unpacked = (load_corpus([tmp_path / name]) for name in ("feed.jsonl", "feed.JSONL.gz"))
    assert unpacked.skipped == ()
    read = [[(a.id, a.text, a.outlet) for a in corpus.articles] for corpus in (plain, unpacked)]
    assert read[0] == read[1] == [(f"a{n}", f"text number {n}", "AP") for n in range(3)]
    assert unpacked.articles[0].origin.endswith("feed.JSONL.gz:1")
    (tmp_path / "cut.jsonl.gz").write_bytes(packed[:len(packed) // 2])
    (tmp_path / "plain.jsonl.gz").write_bytes(lines.encode("utf-8"))
    for broken in ("cut.jsonl.gz", "plain.jsonl.gz"):
        corpus = load_corpus([tmp_path / broken])
        assert list(corpus.articles) == []  # none of a file that is not whole
        assert corpus.skipped[0].reason.startswith("not a whole gzip file")


def test_loading_reports_progress_every_so_many_inputs(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("provenance.text.corpus.LOADING_REPORT", 2)
    path = tmp_path / "a.jsonl"
    path.write_text("".join(json.dumps({"id": n, "text": "words"}) + "\n" for n in range(5)))
    (tmp_path / "b.txt").write_text("more words")
    reports: list[tuple[str, int, int]] = []
    corpus = load_corpus([path, tmp_path / "b.txt"],
                         progress=lambda *report: reports.append(report))
    assert len(corpus.articles) == 6
    # The total is not known until the end (0 until then).
    assert reports == [("loading", 2, 0), ("loading", 4, 0), ("loading", 6, 0),
                       ("loading", 6, 6)]


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("{not json", "malformed JSON"),
        ('{"id": "a", "text": "a literal\ttab"}', "malformed JSON: Invalid control character"),
        ('{"id": "a", "text": "cut off in the mid', "cut off"),
        ('{"id": "a", "text": "cut off after a value"', "cut off"),
        ("[1, 2]", "expected a JSON object"),
        ('{"text": "no id"}', "missing or invalid 'id'"),
        ('{"id": "two\\nlines", "text": "fine"}', "missing or invalid 'id'"),
        ('{"id": "a"}', "missing or invalid 'text'"),
        ('{"id": "a", "text": "   "}', "empty article text"),
        ('{"id": "a", "text": "lone \\ud83d surrogate"}', "not valid Unicode"),
        ('{"id": "a", "text": "ok", "title": "lone \\uDC00"}', "'title' is not valid Unicode"),
        ('{"id": "a", "text": "ok", "title": {"nested": [1, 2]}}',
         "'title' must be a string or null, not an object"),
        ('{"id": "a", "text": "ok", "published": 20140101}',
         "'published' must be a string or null, not a number"),
        ('{"id": "a", "text": "ok", "lang": ["ur"]}',
         "'lang' must be a string or null, not an array"),
        ('{"id": "a", "text": "ok", "url": false}', "'url' must be a string or null, not false"),
    ],
)
def test_bad_jsonl_lines_are_skipped_with_their_line(tmp_path: Path, line: str, reason: str
                                                     ) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text('{"id": "ok", "text": "fine"}\n' + line + "\n")
    corpus = load_corpus([path])
    assert [a.id for a in corpus.articles] == ["ok"]
    (skipped,) = corpus.skipped
    assert skipped.location == f"{path.as_posix()}:2"
    assert reason in skipped.reason
    with pytest.raises(InputError, match=reason) as raised:
        load_corpus([path], strict=True)
    assert raised.value.line == 2


def test_a_last_line_cut_off_without_its_newline_is_said_to_be(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text('{"id": "ok", "text": "fine"}\n{"id": "a", "text": "cut sh')
    (skipped,) = load_corpus([path]).skipped
    assert (skipped.location, skipped.reason) == (
        f"{path.as_posix()}:2", "the line is cut off: it ends before its JSON value does")


def test_escaped_surrogate_pairs_are_characters(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text('{"id": "a", "text": "smile \\ud83d\\ude00"}\n')
    (article,) = load_corpus([path]).articles
    assert article.text == "smile \U0001f600"


def test_files_named_otherwise_than_in_utf8_are_named_by_their_bytes(tmp_path: Path) -> None:
    # Python decodes such a name's bytes to lone surrogates, which no output can hold.
    folder = Path(os.fsdecode(bytes(tmp_path) + b"/d\xe9p\xeaches"))
    folder.mkdir()
    (folder / "feed.jsonl").write_text('{"id": "a", "text": "read all the same"}\n')
    (folder / "story.txt").write_text("the folder's name is no part of the id")
    (folder / os.fsdecode(b"caf\xe9.txt")).write_text("its name is its id")
    shown = f"{tmp_path.as_posix()}/d\\xe9p\\xeaches"
    read = load_corpus([folder, folder / "feed.jsonl"])
    assert [(a.id, a.origin) for a in read.articles] == [
        ("story.txt", f"{shown}/story.txt"), ("a", f"{shown}/feed.jsonl:1")]
    assert read.skipped == (Skipped(f"{shown}/caf\\xe9.txt", "the file name is not UTF-8 "
                                    "(an id is text: rename the file)"),)


def test_jsonl_lines_end_at_newlines_only(tmp_path: Path) -> None:
    # A text may hold U+2028 (which json.dumps leaves raw) and carriage returns; a byte-order
    # mark opens the file; a bad byte anywhere makes the whole file unreadable, at its offset.
    path = tmp_path / "a.jsonl"
    rows = [{"id": "a", "text": "one\u2028two\x85three"}, {"id": "b", "text": "b"}]
    path.write_bytes(b"\xef\xbb\xbf" + "\r\n".join(
        json.dumps(r, ensure_ascii=False) for r in rows).encode() + b"\n")
    first, second = load_corpus([path]).articles
    assert first.text == "one\u2028two\x85three"
    assert second.origin == f"{path.as_posix()}:2"
    path.write_bytes(path.read_bytes() + b'{"id": "c", "text": "\xff"}\n')
    (skipped,) = load_corpus([path]).skipped
    assert skipped.location == path.as_posix()
    assert f"bad byte at offset {path.stat().st_size - 4}" in skipped.reason


def test_a_jsonl_file_unreadable_halfway_adds_none_of_its_articles(tmp_path: Path) -> None:
    first, broken, last = (tmp_path / f"{name}.jsonl" for name in ("1", "2", "3"))
    first.write_text('{"id": "a", "text": "first"}\n')
    broken.write_bytes(b'{"id": "b", "text": "read"}\n{"id": "c", "text": "\xff"}\n')
    last.write_text('{"id": "b", "text": "last"}\n')
    corpus = load_corpus([first, broken, last])
    assert [(a.id, a.text) for a in corpus.articles] == [("a", "first"), ("b", "last")]
    assert [s.location for s in corpus.skipped] == [broken.as_posix()]


def test_utf16_text_files_with_a_byte_order_mark_are_read(tmp_path: Path) -> None:
    # As Windows tools write them ("Unicode" in Notepad); a .jsonl file is UTF-8 alone.
    text = "---\ntitle: Café\n---\nکیپ ٹاؤن۔ A story.\r\n"
    (tmp_path / "le.txt").write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    (tmp_path / "be.md").write_bytes(codecs.BOM_UTF16_BE + text.encode("utf-16-be"))
    (tmp_path / "cut.txt").write_bytes((tmp_path / "le.txt").read_bytes()[:-1])
    (tmp_path / "feed.jsonl").write_bytes('{"id": "a", "text": "b"}\n'.encode("utf-16"))
    corpus = load_corpus([tmp_path, tmp_path / "feed.jsonl"])
    assert [(a.id, a.title, a.text) for a in corpus.articles] == [
        ("be.md", "Café", "کیپ ٹاؤن۔ A story.\r\n"), ("le.txt", "Café", "کیپ ٹاؤن۔ A story.\r\n")]
    assert [(s.location, s.reason) for s in corpus.skipped] == [
        ((tmp_path / "cut.txt").as_posix(),
         f"not UTF-16 text (bad byte at offset {(tmp_path / 'cut.txt').stat().st_size - 1})"),
        ((tmp_path / "feed.jsonl").as_posix(), "UTF-16 text (a .jsonl file must be UTF-8)")]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"\x00\x01binary", "not a text file"),
        (b"caf\xe9 latin-1", "not UTF-8"),
        (b"", "empty article"),
        (b"---\ntitle: only a header\n---\n\n", "empty article"),
        (b"---\ntitle: never closed\n", "never closed"),
        (b"---\nno colon here\n---\ntext", "not 'key: value'"),
    ],
)
def test_unreadable_files_are_skipped_with_reason(tmp_path: Path, content: bytes, reason: str
                                                  ) -> None:
    (tmp_path / "bad.txt").write_bytes(content)
    (tmp_path / "good.txt").write_text("good text")
    corpus = load_corpus([tmp_path])
    assert [a.id for a in corpus.articles] == ["good.txt"]
    assert reason in corpus.skipped[0].reason
    assert corpus.skipped[0].location.startswith((tmp_path / "bad.txt").as_posix())
    with pytest.raises(InputError, match=reason):
        load_corpus([tmp_path], strict=True)


def test_duplicate_ids_name_both_places(tmp_path: Path) -> None:
    first, second = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    first.write_text('{"id": "same", "text": "a"}\n')
    second.write_text('{"id": "other", "text": "b"}\n{"id": "same", "text": "c"}\n')
    with pytest.raises(DuplicateIdError) as raised:
        load_corpus([first, second])
    assert f"{first.as_posix()}:1" in str(raised.value)
    assert f"{second.as_posix()}:2" in str(raised.value)


def test_missing_path_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError, match="no such file"):
        load_corpus([tmp_path / "nope"])


def test_front_matter_only_when_the_file_opens_with_it() -> None:
    assert split_front_matter("text\n---\nkey: value\n---\n") == (
        {}, "text\n---\nkey: value\n---\n", None)
    header, body, error = split_front_matter("---\nTitle: A: B\n\n---\nbody\n")
    assert header == {"title": "A: B"} and body == "body\n" and error is None


def test_one_file_is_one_article_whatever_the_paths_that_reach_it(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    for name in ("a.txt", "sub/b.txt"):
        (tmp_path / name).write_text(f"the text of {name}")
    (tmp_path / "feed.jsonl").write_text('{"id": "f", "text": "a line"}\n')
    (tmp_path / "link.txt").symlink_to(tmp_path / "a.txt")

    def ids(*paths: Path) -> list[str]:
        return [article.id for article in load_corpus(paths).articles]

    a, sub = tmp_path / "a.txt", tmp_path / "sub"
    assert ids(a, tmp_path) == [a.as_posix(), "sub/b.txt"]  # the first path names it
    assert ids(tmp_path, a, tmp_path / "link.txt") == ["a.txt", "sub/b.txt"]
    assert ids(tmp_path, tmp_path) == ids(tmp_path) == ["a.txt", "sub/b.txt"]
    assert ids(sub, tmp_path) == ["b.txt", "a.txt"]
    assert ids(tmp_path / "feed.jsonl", tmp_path / "sub" / ".." / "feed.jsonl") == ["f"]


def test_an_empty_path_is_an_error_not_the_working_folder(tmp_path: Path) -> None:
    with pytest.raises(ParameterError, match="an empty path"):
        load_corpus([tmp_path, ""])


def test_a_named_path_that_is_no_regular_file_is_skipped_saying_what_it_is(
        tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.txt")  # never opened: reading it would wait for a writer
    (tmp_path / "gone.txt").symlink_to(tmp_path / "missing.txt")
    corpus = load_corpus(["/dev/null", tmp_path / "pipe.txt", tmp_path / "gone.txt"])
    assert [(s.location, s.reason) for s in corpus.skipped] == [
        ("/dev/null", "not a regular file (a character device)"),
        ((tmp_path / "pipe.txt").as_posix(), "not a regular file (a FIFO)"),
        ((tmp_path / "gone.txt").as_posix(),
         f"a broken link (its target, {tmp_path / 'missing.txt'}, is missing)")]
    with pytest.raises(InputError, match="not a regular file"):
        load_corpus(["/dev/null"], strict=True)


def test_front_matter_as_site_generators_write_it(tmp_path: Path) -> None:
    (tmp_path / "hugo.md").write_text(
        '---\ntitle: "Talks resume in Geneva"\ntags:\n  - diplomacy\n  - wire\n'
        "date: 2026-03-05T09:30:00+01:00\nauthors: [A. Writer, B. Editor]\n---\n"
        "The talks resumed on Thursday.\n", encoding="utf-8")
    (tmp_path / "toml.md").write_text(
        '+++\ntitle = "Floods in the north"\ndate = 2026-03-06\ntags = ["weather"]\n+++\n'
        "Rivers burst their banks.\n", encoding="utf-8")
    (tmp_path / "colon.md").write_text(
        "---\ntitle: Update: talks resume\noutlet: 'The Daily'\n---\nBody text here.\n",
        encoding="utf-8")
    corpus = load_corpus([tmp_path])
    assert corpus.skipped == ()
    colon, hugo, toml = sorted(corpus.articles, key=lambda article: article.id)
    assert (hugo.title, hugo.published) == ("Talks resume in Geneva", "2026-03-05T09:30:00+01:00")
    assert hugo.extra["tags"] == "diplomacy, wire"
    assert hugo.extra["authors"] == "A. Writer, B. Editor"
    assert hugo.text == "The talks resumed on Thursday.\n"
    assert (toml.title, toml.published, toml.extra["tags"]) == (
        "Floods in the north", "2026-03-06", "weather")
    assert (colon.title, colon.outlet) == ("Update: talks resume", "The Daily")


def test_front_matter_that_cannot_be_read_names_its_line() -> None:
    header, _body, error = split_front_matter("---\ntitle: ok\n  - stray: [\n---\nbody\n")
    assert header == {} and error is not None and error[0] >= 2
    assert "YAML" in error[1]
    _, _, error = split_front_matter('+++\ntitle = "unclosed\n+++\nbody\n')
    assert error is not None and "TOML" in error[1]
    _, _, error = split_front_matter("+++\ntitle = 1\n")
    assert error == (1, "front matter opened with '+++' is never closed by a '+++' line")


def test_yaml_front_matter_values_stay_as_written() -> None:
    header, _, error = split_front_matter(
        "---\nlanguage: no\noutlet: On\npublished: 2026-03-05\n---\nTekst.\n")
    assert error is None
    assert header == {"language": "no", "outlet": "On", "published": "2026-03-05"}
