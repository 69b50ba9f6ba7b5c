"""The measured features of a (source, derived) pair: what the verdict is judged from.

Every feature is a number read off the two texts, scaled to be comparable across article
lengths and languages, and each says something a journalist would check by hand:

- ``shingle_containment``: share of the derived text's 5-word runs found in the source;
- ``passage_coverage``: share of the derived text's words inside shared passages;
- ``mean_passage_words``: log(1 + mean length of those passages), long for copy, short for edits;
- ``word_containment`` / ``gram_containment``: share of the derived text's words / character
  n-grams found in the source, each weighted by its IDF (rare names and numbers count most);
- ``ordered_overlap``: the IDF-weighted longest common subsequence of words, over the derived
  text's total: shared words that also keep their order, as rewrites do and independent
  reports of one event do not;
- ``aligned_share`` / ``source_aligned_share``: share of the derived / source text's words in
  sentences aligned to the other text (see :mod:`sentence_align`);
- ``sentence_similarity``: for each derived sentence the similarity of its closest source
  sentence, averaged by length;
- ``verbatim_in_aligned``: share of the aligned derived sentences' words inside shared
  passages: copied as is, or retold;
- ``edited_in_passages``: share of the shared passages' words in none of their shared 5-word
  runs: the words changed inside copied text (a passage bridges gaps of a few words), none
  for a cut and paste, a word here and there for a light edit;
- ``length_ratio``: log of derived over source length in words.

A verdict shows the features of its evidence: where that is a retelling's sentences (see
:mod:`retelling`), the three of aligned sentences are measured on those, not on the ones the
models judged.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from functools import cached_property
from itertools import repeat
from typing import Any

import numpy as np
import numpy.typing as npt

from provenance.compiled import Kernel, compiling_for
from provenance.hashsets import distinct, in_sorted
from provenance.model import AlignedSentence, HashArray, PackedRows, Passage
from provenance.text.document import Document
from provenance.text.terms import CorpusWeights, DistinctWeights, WeightArray
from provenance.verdict.passages import passage_rows, passage_spans
from provenance.verdict.sentence_align import (
    Matrix,
    SentenceVectors,
    align_sentences,
    similarity_matrix,
)

FEATURES: tuple[str, ...] = (
    "shingle_containment",
    "passage_coverage",
    "mean_passage_words",
    "word_containment",
    "gram_containment",
    "ordered_overlap",
    "aligned_share",
    "source_aligned_share",
    "sentence_similarity",
    "verbatim_in_aligned",
    "edited_in_passages",
    "length_ratio",
)


@dataclass(frozen=True)
class Measurement:
    """The features of a pair and the evidence behind them.

    The evidence is kept as the word and sentence numbers the measures found, and made into
    offsets, and into :class:`Passage` and :class:`AlignedSentence` tuples, only when asked
    for: a pair is measured both ways and only the judged direction's evidence is shown."""

    features: dict[str, float]
    source: Document
    derived: Document
    #: Rows ``(source first, end, derived first, end, derived words edited)`` of the words of
    #: the shared passages.
    passage_spans: npt.NDArray[np.int64]
    #: The aligned sentences of the source and of the derived text, and their similarities.
    aligned_source: npt.NDArray[np.int64]
    aligned_derived: npt.NDArray[np.int64]
    similarities: Matrix
    #: The similarity of every sentence of the source (rows) to every sentence of the
    #: derived text (columns).
    sentence_grid: Matrix

    @cached_property
    def passages(self) -> PackedRows[Passage]:
        """The shared passages, in order of their place in the source."""
        rows = passage_rows(self.passage_spans, self.source, self.derived)
        return PackedRows(Passage, rows.astype(np.int32))

    @cached_property
    def sentences(self) -> PackedRows[AlignedSentence]:
        """The aligned sentences, in order."""
        rows = np.concatenate([self.source.sentence_spans[self.aligned_source],
                               self.derived.sentence_spans[self.aligned_derived]], axis=1)
        # Python's rounding (correctly rounded), not numpy's (scaled, a last bit off at times).
        similarities = np.array(list(map(round, self.similarities.tolist(), repeat(6))),
                                dtype=np.float64)
        return PackedRows(AlignedSentence, rows.astype(np.int32), similarities)


@dataclass(frozen=True)
class Weighed:
    """A document with its terms weighed by one corpus's IDF: what every pair it is in
    needs, computed once."""

    document: Document
    #: The weight of each word of ``document.terms.words``, and their total.
    word_weights: WeightArray
    total_word_weight: float
    #: The weights of ``document.distinct`` words and n-grams.
    distinct_word_weights: WeightArray
    distinct_gram_weights: WeightArray
    #: Its sentences as weighted word and n-gram vectors.
    sentences: tuple[SentenceVectors, SentenceVectors]


def weigh(document: Document, weights: CorpusWeights) -> Weighed:
    """``document``'s terms weighed by ``weights``."""
    by_sentence = document.sentence_terms
    words = DistinctWeights.of(document.distinct.words, weights.words)
    grams = DistinctWeights.of(document.distinct.grams, weights.grams)
    word_weights = words.weights[document.word_places]
    return Weighed(
        document, word_weights, float(word_weights.sum()), words.weights, grams.weights,
        (SentenceVectors.of(by_sentence.terms.words, by_sentence.word_bounds, words,
                            document.word_places),
         SentenceVectors.of(by_sentence.terms.grams, by_sentence.gram_bounds, grams)))


def measure(source: Weighed, derived: Weighed, shingle_size: int,
            max_gap: int) -> Measurement:
    """Measure how much of ``derived`` comes from ``source``, and show where."""
    derived_in_source = set_overlap(source.document.shingle_set,
                                    derived.document.shingle_set)[2]
    return _measure(source, derived, similarity_matrix(source.sentences, derived.sentences),
                    _common_ordered_weight(source, derived), derived_in_source, shingle_size,
                    max_gap)


def measure_both(a: Weighed, b: Weighed, shingle_size: int, max_gap: int
                 ) -> tuple[tuple[float, float, float], Measurement, Measurement]:
    """The shingle :func:`overlap` of ``a`` and ``b``; ``b`` measured as derived from ``a``;
    and ``a`` as derived from ``b``. What is the same both ways (sentence similarities,
    ordered overlap, shared shingles) is computed once."""
    similarity = similarity_matrix(a.sentences, b.sentences)
    common = _common_ordered_weight(a, b)
    shared = set_overlap(a.document.shingle_set, b.document.shingle_set)
    _, a_in_b, b_in_a = shared
    return (shared, _measure(a, b, similarity, common, b_in_a, shingle_size, max_gap),
            _measure(b, a, similarity.T, common, a_in_b, shingle_size, max_gap))


def _measure(weighed_source: Weighed, weighed_derived: Weighed, similarity: Matrix,
             common_ordered: float, shingle_containment: float, shingle_size: int,
             max_gap: int) -> Measurement:
    source, derived = weighed_source.document, weighed_derived.document
    spans = passage_spans(source, derived, shingle_size, max_gap)
    covered = _covered(derived, spans)
    aligned_source, aligned_derived, aligned_similarity = align_sentences(similarity)
    derived_lengths = derived.sentence_lengths
    passage_lengths = (spans[:, 1] - spans[:, 0]).tolist()
    features = {
        "shingle_containment": shingle_containment,
        "passage_coverage": _share(int(covered[-1]), derived.words.starts.size),
        "mean_passage_words": float(np.log1p(sum(passage_lengths) / len(passage_lengths)))
        if passage_lengths else 0.0,
        "word_containment": weighted_containment(
            derived.distinct.words, weighed_derived.distinct_word_weights, source.distinct.words),
        "gram_containment": weighted_containment(
            derived.distinct.grams, weighed_derived.distinct_gram_weights, source.distinct.grams),
        "ordered_overlap": _share(common_ordered, weighed_derived.total_word_weight),
        "sentence_similarity": _share(float((similarity.max(axis=0) * derived_lengths).sum()),
                                      derived.word_count) if similarity.size else 0.0,
        "edited_in_passages": _share(int(spans[:, 4].sum()), int(covered[-1])),
        "length_ratio": float(np.log((derived.words.starts.size + 1)
                                     / (source.words.starts.size + 1))),
    }
    measurement = Measurement(features, source, derived, spans, aligned_source,
                              aligned_derived, aligned_similarity, similarity)
    return dataclasses.replace(measurement, features=aligned_features(measurement))


def aligned_features(measurement: Measurement) -> dict[str, float]:
    """``measurement``'s features, those of its aligned sentences measured on the sentences
    it holds: their share of the derived text and of the source, and the share of their
    words inside shared passages."""
    source, derived = measurement.source, measurement.derived
    covered = _covered(derived, measurement.passage_spans)
    firsts, ends = derived.sentence_words[measurement.aligned_derived].T
    aligned_words = int(derived.sentence_lengths[measurement.aligned_derived].sum())
    features = {**measurement.features,
                "aligned_share": _share(aligned_words, derived.word_count),
                "source_aligned_share": _share(
                    int(source.sentence_lengths[measurement.aligned_source].sum()),
                    source.word_count),
                "verbatim_in_aligned": _share(int((covered[ends] - covered[firsts]).sum()),
                                              aligned_words)}
    return {name: features[name] for name in FEATURES}


def _covered(derived: Document, spans: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """``covered[w]``: how many of the derived text's first ``w`` words are inside the
    shared passages ``spans``."""
    in_passage = np.zeros(derived.words.starts.size, dtype=bool)
    for first, end in spans[:, 2:4].tolist():
        in_passage[first:end] = True
    covered: npt.NDArray[np.int64] = np.concatenate(([0], np.cumsum(in_passage)))
    return covered


def _share(part: float, whole: float) -> float:
    return float(part / whole) if whole else 0.0


def overlap(a: HashArray, b: HashArray) -> tuple[float, float, float]:
    """Exact Jaccard, and containment of a in b and of b in a, of two shingle sequences."""
    return set_overlap(distinct(a), distinct(b))


def set_overlap(set_a: HashArray, set_b: HashArray) -> tuple[float, float, float]:
    """:func:`overlap` of two shingle sets (sorted, distinct)."""
    if set_a.size == 0 or set_b.size == 0:
        return 0.0, 0.0, 0.0
    shared = int(_members(set_a, set_b).sum())
    union = set_a.size + set_b.size - shared
    return shared / union, shared / set_a.size, shared / set_b.size


def weighted_containment(part: HashArray, weight: WeightArray, whole: HashArray) -> float:
    """IDF-weighted share of the sorted distinct terms ``part`` (weighing ``weight``) found in
    ``whole``."""
    found = _members(part, whole)
    return _share(float(weight[found].sum()), float(weight.sum()))


def _members(part: HashArray, whole: HashArray) -> npt.NDArray[np.bool_]:
    """``np.isin(part, whole)`` for sorted arrays of distinct values."""
    return sorted_members(part, whole)


def _common_ordered_weight(a: Weighed, b: Weighed) -> float:
    """The IDF-weighted longest common subsequence of the two word sequences: the same
    whichever text is taken first, as matched words are equal and so weigh the same."""
    ours, theirs = a.document, b.document
    # Which words each text shares with the other, found among the distinct words by one
    # merge, then spread over the words in text order.
    shared = _members(ours.distinct.words, theirs.distinct.words)[ours.word_places]
    theirs_shared = _members(theirs.distinct.words, ours.distinct.words)[theirs.word_places]
    return heaviest_common_subsequence(ours.terms.words[shared], a.word_weights[shared],
                                       theirs.terms.words[theirs_shared])


def _heaviest_common_subsequence_loop(ours: Any, weights: Any, theirs: Any) -> float:
    """The largest total weight of a common subsequence of ``ours`` and ``theirs`` (equal
    values match; ``weights[i]`` is what matching ``ours[i]`` is worth): a weighted longest
    common subsequence, by dynamic programming."""
    # best[j]: the answer for the rows so far against theirs[:j]; updated in place, row by
    # row, with the previous row's best[j] kept as the next cell's diagonal.
    best = np.zeros(theirs.size + 1)
    for i in range(ours.size):
        word, weight = ours[i], weights[i]
        diagonal = 0.0
        for j in range(theirs.size):
            up = best[j + 1]
            value = up if up > best[j] else best[j]
            if theirs[j] == word and diagonal + weight > value:
                value = diagonal + weight
            diagonal = up
            best[j + 1] = value
    return float(best[theirs.size])


def _heaviest_common_subsequence_by_rows(ours: HashArray, weights: WeightArray,
                                         theirs: HashArray) -> float:
    best = np.zeros(theirs.size + 1)
    for word, weight in zip(ours, weights, strict=True):
        # best[j] = max(above, left, diagonal + weight where the words match): a running
        # maximum along the row, so each row is one vector operation.
        step = np.maximum(best[1:], best[:-1] + np.where(theirs == word, weight, -np.inf))
        best[1:] = np.maximum.accumulate(step)
    return float(best[-1])


#: Compiled once the process compiles, or at once for a large pair of texts.
_heaviest_common_subsequence: Kernel[[HashArray, WeightArray, HashArray], float] = Kernel(
    _heaviest_common_subsequence_loop, _heaviest_common_subsequence_by_rows,
    when=lambda ours, weights, theirs: compiling_for(ours.size * theirs.size))


def heaviest_common_subsequence(ours: HashArray, weights: WeightArray,
                                theirs: HashArray) -> float:
    """:func:`_heaviest_common_subsequence_loop`, by the kernel's dispatch."""
    if ours.size == 0 or theirs.size == 0:
        return 0.0
    return float(_heaviest_common_subsequence(ours, weights, theirs))


def _sorted_members_loop(part: Any, whole: Any) -> Any:
    """``np.isin(part, whole)`` for two sorted arrays of distinct values, by one merge."""
    found = np.zeros(part.size, dtype=np.bool_)
    j = 0
    for i in range(part.size):
        while j < whole.size and whole[j] < part[i]:
            j += 1
        found[i] = j < whole.size and whole[j] == part[i]
    return found


sorted_members: Kernel[[HashArray, HashArray], npt.NDArray[np.bool_]] = Kernel(
    _sorted_members_loop, in_sorted)
