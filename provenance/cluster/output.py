"""A cluster scan's JSON document written as ordered parts: ``part-00000000.json``,
``part-00000001.json`` ... in a folder or an object store's prefix, whose concatenation
(``cat DIR/part-*.json``) is the document ``scan --format json`` prints. The driver writes
the few parts between the lists (the header, the keys, the closing brackets); each chunk
of a list is rendered and written by the task it is given to, under the number the driver
gave it in document order. A part is written under a temporary name and then renamed, so
that a run stopped part way leaves no half part; and the set is whole once ``_SUCCESS``
(as Spark and Hadoop name it) stands beside it.
"""

from __future__ import annotations

from dataclasses import dataclass

from provenance.cluster.work import filesystem_of, prepared_folder, written_whole
from provenance.errors import OutputError
from provenance.report.json_output import Chunk, listed, rendered_chunk

#: Digits of a part's number: parts sort by name as they stand in the document.
PART_DIGITS = 8
#: The file that says the parts beside it are the whole document.
DONE = "_SUCCESS"


@dataclass(frozen=True)
class OutputParts:
    """The folder (or prefix) the parts are written to."""

    url: str

    @classmethod
    def emptied(cls, url: str) -> OutputParts:
        """The folder at ``url``, made if need be, without the parts an earlier run left in
        it (they would join this run's when concatenated); an :class:`OutputError` where it
        cannot be written, before any task runs."""
        filesystem, path = prepared_folder(url, url, "the output's parts")
        try:
            for old in filesystem.glob(f"{path.rstrip('/')}/part-*.json"):
                filesystem.rm(old)
            if filesystem.exists(f"{path.rstrip('/')}/{DONE}"):
                filesystem.rm(f"{path.rstrip('/')}/{DONE}")
        except OSError as err:
            raise OutputError(f"{url}: cannot replace the parts of an earlier run "
                              f"({err.strerror or err})") from err
        return cls(url)

    def finish(self) -> None:
        """Mark the set of parts whole."""
        filesystem, path = filesystem_of(f"{self.url.rstrip('/')}/{DONE}")
        written_whole(filesystem, path, b"")

    def write(self, number: int, text: str) -> int:
        """Write part ``number``; the bytes written."""
        data = text.encode()
        filesystem, path = filesystem_of(f"{self.url.rstrip('/')}/part-"
                                       f"{number:0{PART_DIGITS}d}.json")
        written_whole(filesystem, path, data)
        return len(data)


def written_chunk(chunk: Chunk, opens: bool, parts: OutputParts, number: int) -> int:
    """Render ``chunk`` of a list (its first if ``opens``) and write it as part ``number``;
    the bytes written."""
    return parts.write(number, listed(rendered_chunk(chunk), opens))
