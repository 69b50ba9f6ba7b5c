"""The work folder of a cluster scan: each task's output, checkpointed under a name made of
the run's inputs, parameters and the task itself, so that a run stopped part way and started
again with the same inputs takes up where it stopped (as passim checkpoints each stage).

The folder is a local path or an object store's (``s3://bucket/prefix``, ``gs://...``),
reached through fsspec; every node of the cluster must reach it. A checkpoint is written
whole under a temporary name and then renamed (an object store's put is whole anyway): a
task killed while writing leaves no checkpoint, and runs again.
"""

from __future__ import annotations

import hashlib
import pickle
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from provenance.errors import OutputError

Value = TypeVar("Value")


def fingerprint(*parts: object) -> str:
    """A short, stable name for ``parts`` (plain values, pickled)."""
    return hashlib.sha256(pickle.dumps(parts, protocol=5)).hexdigest()[:20]


@dataclass(frozen=True)
class WorkFolder:
    """Checkpoints of one run under ``url/<run>``: ``run`` names its inputs and parameters."""

    url: str
    run: str

    @classmethod
    def writable(cls, url: str, run: str) -> WorkFolder:
        """The work folder of ``run`` under ``url``, made if need be; an :class:`OutputError`
        where it cannot be (a file in the way, no permission), before any task runs."""
        prepared_folder(f"{url.rstrip('/')}/{run}", url, "the work folder")
        return cls(url, run)

    def place(self, stage: str, task: str) -> str:
        return f"{self.url.rstrip('/')}/{self.run}/{stage}/{task}.pickle"

    def checkpointed(self, stage: str, task: str, work: Callable[[], Value],
                     keep: Callable[[Value], bool] = lambda value: True) -> Value:
        """The output of ``work()``, read from its checkpoint when an earlier run left one,
        else worked out and checkpointed (where ``keep`` says so)."""
        filesystem, path = filesystem_of(self.place(stage, task))
        if filesystem.exists(path):
            with filesystem.open(path, "rb") as file:
                found: Value = pickle.load(file)
            return found
        value = work()
        if not keep(value):
            return value
        filesystem.makedirs(path.rsplit("/", 1)[0], exist_ok=True)
        written_whole(filesystem, path, pickle.dumps(value, protocol=5))
        return value

    def done(self, stage: str, task: str) -> bool:
        """Whether the task's checkpoint is there."""
        filesystem, path = filesystem_of(self.place(stage, task))
        return bool(filesystem.exists(path))


def prepared_folder(url: str, named: str, what: str) -> tuple[Any, str]:
    """The filesystem and path of the folder at ``url``, made if need be and tried with a
    write; an :class:`OutputError` (naming ``named``, as the user gave it, and ``what`` it was
    to hold) where it cannot be (a file in the way, no permission), before any task runs."""
    try:
        filesystem, path = filesystem_of(url)
        filesystem.makedirs(path, exist_ok=True)
        probe = f"{path.rstrip('/')}/.written-{uuid.uuid4().hex}"
        with filesystem.open(probe, "wb") as file:
            file.write(b"")
        filesystem.rm(probe)
    except OSError as err:
        raise OutputError(f"{named}: cannot hold {what} ({err.strerror or err})") from err
    return filesystem, path


def written_whole(filesystem: Any, path: str, data: bytes) -> None:
    """Write ``data`` at ``path`` under a temporary name, then rename it: a writer stopped
    part way leaves no half file (an object store's put is whole anyway)."""
    temporary = f"{path}.{uuid.uuid4().hex}.part"
    with filesystem.open(temporary, "wb") as file:
        file.write(data)
    filesystem.mv(temporary, path)


def code_fingerprint() -> str:
    """A name for this version of the code: its package's source and data files, so that a
    changed tool never reads another's checkpoints (the version number lags behind)."""
    package = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*")):
        if path.suffix in (".py", ".json", ".toml") and "__pycache__" not in path.parts:
            digest.update(path.relative_to(package).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:20]


def filesystem_of(url: str) -> tuple[Any, str]:
    """The fsspec filesystem of ``url`` (a local path too), and the path in it."""
    import fsspec  # with Ray, in the [ray] extra: the local engine needs neither

    return fsspec.core.url_to_fs(url)  # type: ignore[no-any-return]
