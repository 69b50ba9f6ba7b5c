"""The ``provenance`` command: parses arguments, calls the library, prints. Nothing else.

:mod:`.commands` holds the commands; :mod:`.running` how they run: exit codes, errors,
signals, progress on stderr, and the options they share.
"""

from provenance.cli.commands import main
from provenance.cli.running import StderrProgress

__all__ = ["StderrProgress", "main"]
