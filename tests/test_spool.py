from __future__ import annotations

import os
import subprocess
import sys
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


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_a_spool_on_a_full_disk_ends_without_a_traceback(tmp_path: Path) -> None:
    # The spool's file is swapped for /dev/full, where every write fails as on a full
    # disk: what was still buffered is dropped at exit, in silence.
    program = f"""
import os
from provenance.spool import Spool
spool = Spool("the test's records", {str(tmp_path)!r})
full = os.open("/dev/full", os.O_WRONLY)
os.dup2(full, spool._file.fileno())
spool.append(b"buffered, never written")
"""
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0 and done.stderr == ""
