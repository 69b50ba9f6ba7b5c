from __future__ import annotations

import numpy as np

from provenance.config import Parameters
from provenance.text.document import read_document
from provenance.verdict.baseline import best_cuts, classes_by_cuts, word_containment

CLASSES = ("none", "partially", "wholly")


def test_the_cuts_found_separate_classes_that_one_number_separates() -> None:
    values = np.linspace(0.0, 1.0, 90)
    truth = [CLASSES[0] if v < 0.3 else CLASSES[1] if v < 0.7 else CLASSES[2] for v in values]
    cuts = best_cuts(values, truth, CLASSES)
    assert len(cuts) == 2 and 0.25 < cuts[0] < 0.35 and 0.65 < cuts[1] < 0.75
    assert classes_by_cuts(values, cuts, CLASSES) == truth


def test_a_value_at_a_cut_takes_the_class_above_it() -> None:
    assert classes_by_cuts(np.array([0.1, 0.5, 0.9]), (0.5,), ("none", "reused")) == [
        "none", "reused", "reused"]


def test_word_containment_is_the_share_of_the_derived_texts_distinct_words_in_the_source(
) -> None:
    params = Parameters()
    source, derived = (read_document(text, text, params) for text in (
        "the minister said the port will open", "the port will open on monday monday"))
    # Distinct derived words: the, port, will, open, on, monday; four are in the source.
    assert word_containment(source, derived) == 4 / 6
    assert word_containment(derived, read_document("", "", params)) == 0.0
    assert word_containment(read_document("", "", params), derived) == 0.0
