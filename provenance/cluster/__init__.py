"""The scan on a Ray cluster, for corpora larger than one machine scans (``scan --engine
ray``): the same stages as :mod:`provenance.scanning`, run as tasks over partitions of the
corpus, with the same result to the byte.

:mod:`.engine` runs the stages from the driver; :mod:`.tasks` holds what the tasks run, pure
functions of their arguments; :mod:`.shuffle` the keys and pairs moved between partitions
(always chosen from content, never from arrival order); :mod:`.work` the checkpoints that
let a stopped run resume.
"""
