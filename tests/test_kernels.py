from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from provenance import compiled
from provenance.candidates import pairs as candidate_pairs
from provenance.compiled import Kernel
from provenance.hashsets import HashIndex, distinct, hash_places, hash_table, in_sorted
from provenance.text.terms import DistinctWeights, TermWeights
from provenance.verdict import features, passages, sentence_align
from provenance.verdict.features import heaviest_common_subsequence
from provenance.verdict.passages import MAX_REPEATS
from provenance.verdict.sentence_align import SentenceVectors, _cosines_by_numpy

words = st.lists(st.integers(0, 6), max_size=40).map(lambda v: np.array(v, dtype=np.uint64))


@settings(deadline=None)  # the first example compiles the program
@given(words, words)
def test_compiled_and_numpy_programs_give_the_same_answer_to_the_bit(
        ours: np.ndarray, theirs: np.ndarray) -> None:
    weights = np.array([0.3 + (int(w) * 0.37) % 2.1 for w in ours], dtype=np.float64)
    if ours.size and theirs.size:
        assert features._heaviest_common_subsequence.compiled(ours, weights, theirs) == \
            features._heaviest_common_subsequence_by_rows(ours, weights, theirs)


def test_order_counts_and_rare_words_weigh_more() -> None:
    a = np.array([1, 2, 3, 4], dtype=np.uint64)
    weights = np.array([1.0, 5.0, 1.0, 1.0])
    assert heaviest_common_subsequence(a, weights, a) == 8.0
    # 2 moved to the end: either keep 2 (weight 5) or the run 3, 4 (weight 2) in order.
    assert heaviest_common_subsequence(a, weights, np.array([1, 3, 4, 2], dtype=np.uint64)) \
        == 6.0
    assert heaviest_common_subsequence(a, weights, np.empty(0, dtype=np.uint64)) == 0.0


word_sets = st.lists(st.sets(st.integers(0, 30), max_size=25), min_size=1, max_size=6)


@settings(deadline=None)
@given(word_sets, st.data())
def test_containments_compiled_numpy_and_by_hand_agree(sets: list[set[int]],
                                                       data: st.DataObject) -> None:
    words = np.array([w for s in sets for w in sorted(s)], dtype=np.uint32)
    weights = np.array([0.2 + (w * 0.41) % 1.7 for w in range(31)])  # by word id
    offsets = np.cumsum([0, *map(len, sets)]).astype(np.int64)
    pairs = data.draw(st.lists(st.tuples(st.integers(0, len(sets) - 1),
                                         st.integers(0, len(sets) - 1)), min_size=1))
    parts, wholes = (np.array(side, dtype=np.int64) for side in zip(*pairs, strict=True))
    by_pairs = candidate_pairs._containments_by_pairs(words, weights, offsets, parts, wholes)
    assert candidate_pairs.containments.compiled(words, weights, offsets, parts,
                                                 wholes).tolist() == by_pairs.tolist()
    for share, (part, whole) in zip(by_pairs.tolist(), pairs, strict=True):
        weight = dict(zip(sorted(sets[part]), (0.2 + (w * 0.41) % 1.7 for w in sorted(sets[part])),
                          strict=True))
        total = sum(weight.values())
        assert share == pytest.approx(sum(weight[w] for w in sets[part] & sets[whole]) / total
                                      if total else 0.0)


# Few distinct values, so that many alignments tie and the trace back's choices show.
similarities = st.integers(0, 6).flatmap(lambda rows: st.integers(0, 6).flatmap(
    lambda columns: st.lists(st.sampled_from([0.0, 0.25, 0.3, 0.5, 0.8, 1.0]),
                             min_size=rows * columns, max_size=rows * columns).map(
        lambda cells: np.array(cells, dtype=np.float64).reshape(rows, columns))))


@settings(deadline=None)
@given(similarities)
def test_alignment_compiled_and_numpy_agree_and_keep_order(similarity: np.ndarray) -> None:
    rows, columns = sentence_align.order_preserving_alignment(similarity, 0.3)
    if similarity.size:
        table = sentence_align._alignment_table_by_rows(similarity, 0.3)
        assert Kernel(sentence_align._alignment_table).compiled(similarity, 0.3).tolist() == \
            table.tolist()
        for cells in (sentence_align._aligned_cells.compiled(similarity, 0.3),
                      sentence_align._aligned_cells_by_rows(similarity, 0.3)):
            assert [part.tolist() for part in cells] == [rows.tolist(), columns.tolist()]
    assert np.all(np.diff(rows) > 0) and np.all(np.diff(columns) > 0)
    assert np.all(similarity[rows, columns] >= 0.3)
    assert similarity[rows, columns].sum() == pytest.approx(_best_alignment(similarity, 0.3))


def _best_alignment(similarity: np.ndarray, threshold: float) -> float:
    """The largest summed similarity of an order-preserving matching, by trying them all."""
    if similarity.shape[0] == 0 or similarity.shape[1] == 0:
        return 0.0
    first = similarity[0, 0]
    return max(_best_alignment(similarity[1:], threshold),
               _best_alignment(similarity[:, 1:], threshold),
               first + _best_alignment(similarity[1:, 1:], threshold)
               if first >= threshold else 0.0)


@settings(deadline=None)
@given(st.lists(st.integers(0, 40), max_size=80), st.data())
def test_shared_spans_compiled_and_numpy_agree(ours: list[int], data: st.DataObject) -> None:
    # The other text: this one edited word by word (kept, dropped, replaced, or followed by
    # a new word), then cut and pasted in pieces, so that passages form, break at gaps of
    # every size around max_gap, and cross; few distinct values repeat past the cap.
    edits = data.draw(st.lists(st.sampled_from("kkkkdrn"), min_size=len(ours),
                               max_size=len(ours)))
    edited: list[int] = []
    for value, edit in zip(ours, edits, strict=True):
        edited += {"k": [value], "d": [], "r": [value + 41], "n": [value, 7]}[edit]
    cuts = sorted(data.draw(st.lists(st.integers(0, len(edited)), max_size=3)))
    pieces = [edited[s:e] for s, e in zip([0, *cuts], [*cuts, len(edited)], strict=True)]
    theirs = [v for piece in data.draw(st.permutations(pieces)) for v in piece]
    a, b = np.array(ours, dtype=np.uint64), np.array(theirs, dtype=np.uint64)
    k, max_gap = data.draw(st.integers(1, 5)), data.draw(st.integers(0, 4))
    cap = data.draw(st.sampled_from([1, 2, 3, MAX_REPEATS]))
    assert passages.shared_spans.compiled(a, b, k, max_gap, cap).tolist() == \
        passages._shared_spans(a, b, k, max_gap, cap).tolist()


@settings(deadline=None)
@given(st.lists(st.tuples(st.integers(0, 8), st.integers(0, 3)), max_size=30),
       st.lists(st.tuples(st.integers(0, 8), st.integers(0, 4)), max_size=30))
def test_sentence_cosines_compiled_and_numpy_agree_to_the_bit(
        ours: list[tuple[int, int]], theirs: list[tuple[int, int]]) -> None:
    def vectors(entries: list[tuple[int, int]], sentences: int) -> SentenceVectors:
        kept = sorted(set(entries))  # one entry per (term, sentence), sorted by term
        weights = np.array([(0.3 + term * 0.77) ** 2 for term, _ in kept])
        norms = np.sqrt(np.bincount([s for _, s in kept], weights, minlength=sentences))
        return SentenceVectors(np.array([t for t, _ in kept], dtype=np.uint64),
                               np.array([s for _, s in kept], dtype=np.int64), weights, norms)

    rows, columns = vectors(ours, 4), vectors(theirs, 5)
    arrays = (rows.terms, rows.sentence, rows.squared_weight, rows.norms, columns.terms,
              columns.sentence, columns.norms)
    expected = _cosines_by_numpy(rows, columns)
    assert sentence_align.sentence_cosines.compiled(*arrays).tolist() == expected.tolist()
    assert sentence_align._sentence_cosines_by_numpy(*arrays).tolist() == expected.tolist()
    assert ((expected >= 0) & (expected <= 1)).all()


@settings(deadline=None)
@given(st.lists(st.lists(st.integers(0, 12), max_size=12), max_size=8), st.sets(st.integers(0, 14)))
def test_sentence_vectors_compiled_and_numpy_agree_to_the_bit(
        sentences: list[list[int]], corpus_terms: set[int]) -> None:
    terms = np.array([t for sentence in sentences for t in sentence], dtype=np.uint64)
    bounds = np.cumsum([0, *map(len, sentences)]).astype(np.int64)
    corpus = TermWeights.fit([np.array(sorted(corpus_terms), dtype=np.uint64),
                              np.array([1, 2, 3], dtype=np.uint64)])
    weights = DistinctWeights.of(distinct(terms), corpus)
    arrays = (np.searchsorted(weights.distinct, terms), bounds, weights.distinct,
              weights.weights)
    expected = SentenceVectors.by_numpy(terms, bounds, weights)
    for answer in (sentence_align.sentence_vectors.compiled(*arrays),
                   sentence_align._sentence_vectors_by_numpy(*arrays)):
        for ours, theirs in zip(answer, (expected.terms, expected.sentence,
                                         expected.squared_weight, expected.norms), strict=True):
            assert ours.tolist() == theirs.tolist()


@settings(deadline=None)
@given(st.lists(st.integers(0, 2**64 - 1) | st.integers(0, 40), max_size=60, unique=True),
       st.lists(st.integers(0, 2**64 - 1) | st.integers(0, 80), max_size=60))
def test_hash_places_find_each_value_or_none(values: list[int], queries: list[int]) -> None:
    # Small values collide on the table's low bits, large ones rarely: both paths are taken.
    ordered = np.array(sorted(values), dtype=np.uint64)
    asked = np.array(queries, dtype=np.uint64)
    table = hash_table(ordered)
    expected = [sorted(values).index(q) if q in values else -1 for q in queries]
    assert hash_places(table, ordered, asked).tolist() == expected
    assert HashIndex(ordered).places(asked).tolist() == expected  # numpy or compiled


@settings(deadline=None)
@given(st.sets(st.integers(0, 60)), st.sets(st.integers(0, 60)))
def test_sorted_members_compiled_and_numpy_agree(part: set[int], whole: set[int]) -> None:
    ours, theirs = (np.array(sorted(values), dtype=np.uint64) for values in (part, whole))
    assert features.sorted_members.compiled(ours, theirs).tolist() == \
        in_sorted(ours, theirs).tolist() == [value in whole for value in sorted(part)]


def test_a_large_dynamic_program_loads_the_compiled_programs_at_once(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(compiled, "_calls", itertools.count())  # a fresh process
    monkeypatch.setattr(compiled, "CELLS_WORTH_COMPILING", 100)
    assert not compiled.compiling_for(99)
    assert compiled.compiling_for(100)
    assert compiled.compiling_for(1)  # loaded now, so used from here on


def test_a_kernel_answers_with_its_twin_until_the_process_compiles(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(compiled, "_calls", itertools.count())  # a fresh process
    answered: list[str] = []

    def loop(value: int) -> int:
        return value + 1

    def twin(value: int) -> int:
        answered.append("twin")
        return value + 1

    kernel = Kernel(loop, twin)
    assert [kernel(n) for n in range(compiled.CALLS_BEFORE_COMPILING + 5)] == \
        list(range(1, compiled.CALLS_BEFORE_COMPILING + 6))
    assert len(answered) == compiled.CALLS_BEFORE_COMPILING  # then the compiled loop
    assert Kernel(loop)(41) == 42  # no twin: compiled at once
