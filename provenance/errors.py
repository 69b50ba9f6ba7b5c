"""Errors raised by the library. The CLI prints them as ``Error: ...`` and exits 2."""

from __future__ import annotations


class ProvenanceError(Exception):
    """Base class: something the user can fix; the message says what and how."""


class InputError(ProvenanceError):
    """An input file or line cannot be read as an article."""

    def __init__(self, message: str, path: str, line: int | None = None) -> None:
        self.path = path
        self.line = line
        self.reason = message
        super().__init__(f"{self.location}: {message}")

    def __reduce__(self) -> tuple[type[InputError], tuple[str, str, int | None]]:
        # Made again from its own arguments: a cluster's task hands it back pickled.
        return type(self), (self.reason, self.path, self.line)

    @property
    def location(self) -> str:
        """``path`` or ``path:line``, the place a user opens to fix it."""
        return self.path if self.line is None else f"{self.path}:{self.line}"


class ArticleTextError(ProvenanceError):
    """An article holds a lone surrogate (half of a UTF-16 pair): not text that any UTF-8
    output, a report say, can hold."""

    def __init__(self, article_id: str, reason: str) -> None:
        super().__init__(f"article {article_id!r}: {reason}")
        #: What is wrong, without the article: ``'text' is not valid Unicode ...``.
        self.reason = reason


class DuplicateIdError(ProvenanceError):
    """Two inputs give the same article id."""


class NotFoundError(ProvenanceError):
    """An article id or path the user named does not exist."""


class ParameterError(ProvenanceError):
    """A parameter is out of its valid range."""


class CalibrationError(ProvenanceError):
    """A calibration file is missing, malformed, or does not fit this version."""


class IndexFileError(ProvenanceError):
    """The index file cannot be used: made otherwise, damaged, or locked by another writer."""


class IndexMismatchError(IndexFileError):
    """The index was made by another version of this tool or with other parameters."""

    def __init__(self, path: object, problem: str) -> None:
        super().__init__(f"{path}: {problem}; run `provenance scan` on the corpus to rebuild "
                         "it, or name another --index")
        #: What differs, as "made with other parameters (...)".
        self.problem = problem


class IndexDamagedError(IndexFileError):
    """The index file is an SQLite database no longer: damaged (truncated, say)."""

    def __init__(self, path: object, reason: str) -> None:
        super().__init__(f"{path}: the index is damaged ({reason}); delete it to start afresh")
        self.path = path
        #: SQLite's word for the damage, as "database disk image is malformed".
        self.reason = reason


class IndexPlaceError(IndexFileError):
    """No index can be made or written where it is asked for (a read-only folder, say)."""


class OutputError(ProvenanceError):
    """A report, predictions or calibration file cannot be written where it is asked for."""


class SpoolError(ProvenanceError):
    """A temporary file that holds the articles' texts, or their words, cannot be written."""
