"""Retellings: a text that tells its source again sentence by sentence, in the source's
order, in words of its own.

Sentence by sentence, a retelling may resemble its source little more than an independent
report of the same event does: both carry the event's names and numbers, and little else of
its words. The verdict models weigh what the two texts share, not in what order; and where a
corpus is mostly one story, its term weights cannot even tell the story's names from the
grammar words (every article holds both). What sets a retelling apart is order and coverage:
it answers the source's sentences in turn, and tells most of them. An independent report
tells the event in its own order, from its own sources, and leaves much of any other
report untold.

So the sentences of a pair the models do not find verbatim are also aligned in order at
:data:`RETOLD_SIMILARITY`. Where they cover :data:`RETOLD_SHARE` of the derived text's
words, they are the evidence of a reuse the models find and the discounts keep, every
retelling measured alike (so that of two retellings of one source, neither looks closer to
the other than to it). Where they also cover :data:`RETOLD_SOURCE_SHARE` of the source's
words outside a release's boilerplate, the pair is a retelling: reuse even where the models
find none (partially derived, heavy) or where their closest sentences alone were too few to
show copy. Quotes, boilerplate and templates are discounted from it as from any derivation
(see ``docs/how-it-works.md`` for the figures these rest on).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from provenance.verdict.discount import MIN_SENTENCE_WORDS, marked_words
from provenance.verdict.features import Measurement, aligned_features
from provenance.verdict.models import Decision
from provenance.verdict.sentence_align import order_preserving_alignment

#: The similarity at which a sentence counts as telling a source sentence again.
RETOLD_SIMILARITY = 0.15
#: The share of the derived text's words that sentences telling the source's again, in its
#: order, cover in a retelling.
RETOLD_SHARE = 0.6
#: The share of the source's words (outside a release's boilerplate) a retelling tells
#: again, in its order: an independent report of the same event tells much of its own, and
#: leaves much of the source untold.
RETOLD_SOURCE_SHARE = 0.5
#: Sentences of at least :data:`~provenance.verdict.discount.MIN_SENTENCE_WORDS` words a
#: retelling needs in order: one or two sentences alike say nothing of order (two briefs of
#: one event, each a sentence, tell it alike).
RETOLD_SENTENCES = 3
#: The confidence of a retelling's verdict where the models find no reuse: that of a
#: verdict resting on a rule, not on their probabilities, and no higher than their least
#: confident verdicts of reuse.
RETOLD_CONFIDENCE = 0.6


@dataclass(frozen=True)
class Retelling:
    """A pair's sentences aligned in order as a retelling's: the measurement with them as its
    aligned sentences, and whether they tell enough of the source for a retelling."""

    measurement: Measurement
    tells_source: bool


def retelling(measurement: Measurement, decision: Decision,
              source_boilerplate: npt.NDArray[np.bool_]) -> Retelling | None:
    """The pair's sentences aligned in order as a retelling's, where the models do not find
    it verbatim and they cover enough of the derived text; else None.
    ``source_boilerplate``: which of the source's words are a release's boilerplate, which
    no retelling tells again."""
    grid = measurement.sentence_grid
    if decision[1] == "verbatim" or not grid.size:
        return None
    # At most the derived sentences close enough to some source sentence align: where they
    # are too few, no alignment need be sought.
    close = grid.max(axis=0) >= RETOLD_SIMILARITY
    if (int(measurement.derived.sentence_lengths[close].sum())
            < RETOLD_SHARE * measurement.derived.word_count):
        return None
    source, derived = order_preserving_alignment(grid, RETOLD_SIMILARITY)
    lengths = measurement.derived.sentence_lengths[derived]
    if (int(lengths.sum()) < RETOLD_SHARE * measurement.derived.word_count
            or np.count_nonzero(lengths >= MIN_SENTENCE_WORDS) < RETOLD_SENTENCES):
        return None
    story = int(np.count_nonzero(~source_boilerplate))
    told = int((measurement.source.sentence_lengths[source]
                - marked_words(measurement.source, source_boilerplate, source)).sum())
    retold = dataclasses.replace(measurement, aligned_source=source, aligned_derived=derived,
                                 similarities=grid[source, derived])
    return Retelling(dataclasses.replace(retold, features=aligned_features(retold)),
                     story > 0 and told >= RETOLD_SOURCE_SHARE * story)


def retold_decision(decision: Decision) -> Decision:
    """The decision on a retelling: the models', where they find reuse; else partial, heavy
    reuse."""
    return decision if decision[0] != "none" else ("partially", "heavy", RETOLD_CONFIDENCE)
