"""Retellings: a text that tells its source again sentence by sentence, in the source's
order, in words of its own.

The verdict models weigh words by how rare they are in the corpus. In a corpus of one story
(a folder of a dozen articles on one event) every article holds the story's names, as it
holds the language's grammar words, and the weights tell them apart no better than chance:
sentence by sentence a retelling then resembles its source about as little as an
independent report of the event does, and the models, fitted on corpora of many stories,
find no reuse. What still sets a retelling apart is order. Most of its sentences answer the
source's in turn, while an independent report tells the event in its own order, from its
own sources, with its own quotes.

So in a corpus of at most :data:`~provenance.text.terms.SMALL_CORPUS` documents, a pair is
a retelling where the order-preserving alignment of its sentences at
:data:`RETOLD_SIMILARITY` covers :data:`RETOLD_SHARE` of the derived text's words, and the
models find no reuse in it or a heavy one: those sentences are its evidence, and where the
models find no reuse, it is partially derived, heavy. Every retelling is measured alike, so
that of two that tell one source again, neither looks closer to the other than to it.
Quotes, boilerplate and templates are then discounted from it as from any derivation. In a
larger corpus the weights carry the story's names, and the models see what the order shows
(see ``docs/how-it-works.md`` for the figures these rest on).
"""

from __future__ import annotations

import dataclasses

from provenance.text.terms import SMALL_CORPUS
from provenance.verdict.features import Measurement
from provenance.verdict.models import Decision
from provenance.verdict.sentence_align import order_preserving_alignment

#: The similarity at which a sentence counts as telling a source sentence again.
RETOLD_SIMILARITY = 0.15
#: The share of the derived text's words that sentences telling the source's again, in its
#: order, cover in a retelling.
RETOLD_SHARE = 0.6
#: The confidence of a retelling's verdict: that of a verdict resting on a rule, not on the
#: models' probabilities, and no higher than their least confident verdicts of reuse.
RETOLD_CONFIDENCE = 0.6


def retold(measurement: Measurement, decision: Decision, corpus_documents: int
           ) -> tuple[Measurement, Decision]:
    """``measurement`` and ``decision``, unless the pair, of a small corpus, is a retelling
    in which the models find no reuse or a heavy one: then the measurement with the
    retelling's sentences as its aligned ones, and the models' decision if it finds reuse,
    else one of partial, heavy reuse."""
    extent, form, _ = decision
    if form == "verbatim" or corpus_documents > SMALL_CORPUS:
        return measurement, decision
    grid = measurement.sentence_grid
    if not grid.size:
        return measurement, decision
    source, derived = order_preserving_alignment(grid, RETOLD_SIMILARITY)
    lengths = measurement.derived.sentence_lengths
    if int(lengths[derived].sum()) < RETOLD_SHARE * measurement.derived.word_count:
        return measurement, decision
    features = dict(measurement.features)
    features["aligned_share"] = _share(int(lengths[derived].sum()),
                                       measurement.derived.word_count)
    features["source_aligned_share"] = _share(
        int(measurement.source.sentence_lengths[source].sum()), measurement.source.word_count)
    return (dataclasses.replace(measurement, features=features, aligned_source=source,
                                aligned_derived=derived, similarities=grid[source, derived]),
            decision if extent != "none" else ("partially", "heavy", RETOLD_CONFIDENCE))


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0
