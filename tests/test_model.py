from __future__ import annotations

import pickle

from provenance.model import AlignedSentence, Passage


def test_evidence_comes_back_from_a_worker_process_unchanged() -> None:
    # Judged pairs travel between processes pickled, their evidence with them.
    for evidence in (Passage(1, 20, 5, 24, 4), AlignedSentence(0, 30, 10, 44, 0.731245)):
        restored = pickle.loads(pickle.dumps(evidence))
        assert restored == evidence and type(restored) is type(evidence)
