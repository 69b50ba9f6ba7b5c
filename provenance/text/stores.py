"""Articles in an object store (``s3://bucket/prefix``, ``gs://...``, any URL fsspec reads),
listed and read as local folders and files are: a prefix is a folder (its text files, by
their paths under it, hidden ones passed over), a key a file. Reached through fsspec, with
the store's own package beside it (s3fs, gcsfs) and its usual credentials.
"""

from __future__ import annotations

from typing import IO, Any

from provenance.errors import ParameterError
from provenance.text.folders import FILE, FOLDER, TEXT_SUFFIXES


def is_url(path: str) -> bool:
    """Whether ``path`` names a place in an object store, not on this machine's disks."""
    return "://" in path


def _filesystem(url: str) -> tuple[Any, str]:
    try:
        import fsspec
    except ImportError as err:
        raise ParameterError(f"{url}: reading an object store needs fsspec and the store's "
                             "package: pip install 'wire-provenance[ray]' s3fs") from err
    try:
        return fsspec.core.url_to_fs(url)  # type: ignore[no-any-return]
    except (ImportError, ValueError) as err:
        raise ParameterError(f"{url}: {err}") from err


def store_kind(url: str) -> str | None:
    """:data:`FOLDER` for a prefix holding keys, :data:`FILE` for a key, None for neither."""
    filesystem, path = _filesystem(url)
    if filesystem.isfile(path):
        return FILE
    return FOLDER if filesystem.isdir(path) else None


def store_article_files(url: str) -> dict[str, str]:
    """The text files under the prefix ``url``, by their paths under it (the ids a folder's
    files get), in order of path; hidden files and folders passed over."""
    filesystem, root = _filesystem(url)
    root = root.rstrip("/")
    protocol = url.split("://", 1)[0]
    found = {}
    for key in filesystem.find(root):
        article_id = key[len(root):].lstrip("/")
        if (article_id.lower().endswith(TEXT_SUFFIXES)
                and not any(part.startswith(".") for part in article_id.split("/"))):
            found[article_id] = f"{protocol}://{key}"
    return dict(sorted(found.items(), key=lambda item: item[0].split("/")))


def open_in_store(url: str) -> IO[bytes]:
    """The object at ``url``, opened for reading bytes."""
    filesystem, path = _filesystem(url)
    opened: IO[bytes] = filesystem.open(path, "rb")
    return opened


def store_stamp(url: str) -> tuple[int, str]:
    """The object's size and version tag (its ETag, else its time): what says it is the
    object an earlier run read."""
    filesystem, path = _filesystem(url)
    info = filesystem.info(path)
    return int(info.get("size") or 0), str(info.get("ETag") or info.get("LastModified")
                                            or info.get("mtime") or "")
