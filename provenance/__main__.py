"""``python -m provenance``: the ``provenance`` command."""

from provenance.cli import main

main(prog_name="provenance")
