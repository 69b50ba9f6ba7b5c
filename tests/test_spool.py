from __future__ import annotations

import os
from pathlib import Path

import pytest

from provenance.errors import SpoolError
from provenance.spool import Spool


def test_a_spool_cut_short_says_so_and_where(tmp_path: Path) -> None:
    spool = Spool("the test's records", str(tmp_path))
    spool.append(b"0123456789")
    spool.flush()
    os.ftruncate(spool._file.fileno(), 4)  # as if the disk had filled
    # The folder named is the one the spool is in, not the /proc name of its open file.
    with pytest.raises(SpoolError, match=rf"test's records was cut short \(in {tmp_path}\)"):
        spool[0]
