"""The scan on a Ray cluster, for corpora larger than one machine scans (``scan --engine
ray``): the same stages as :mod:`provenance.scanning`, run as tasks over partitions of the
corpus, with the same result to the byte.

:mod:`.shuffle` holds the pure functions that move keys and pairs between partitions
(always chosen from content, never from arrival order); :mod:`.work` the checkpoints that
let a stopped run resume; :mod:`.engine` the stages, run as Ray tasks.
"""
