"""The labelled folders the benchmarks read, in the format of the shared datasets and of
``provenance eval``: ``articles.jsonl`` and ``pairs.jsonl`` side by side."""

from __future__ import annotations

import argparse
from pathlib import Path

LABELLED_FILES = ("articles.jsonl", "pairs.jsonl")


def labelled_folder(value: str) -> Path:
    """An argparse type: ``value`` as a folder, when it holds both files; else the error
    argparse prints (with the usage line) in place of a traceback."""
    folder = Path(value)
    missing = [name for name in LABELLED_FILES if not (folder / name).is_file()]
    if missing:
        raise argparse.ArgumentTypeError(
            f"{value} is not a labelled folder: no {', no '.join(missing)}")
    return folder
