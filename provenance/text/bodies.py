"""Articles' bodies: their texts with page furniture blanked (offsets unchanged), found over
the whole corpus at once, as furniture is what the corpus repeats."""

from __future__ import annotations

from collections.abc import Sequence

from provenance.model import Article
from provenance.progress import Progress, no_progress, reported
from provenance.text.furniture import Bodies, LineCounts, furniture_spans
from provenance.workers import chunk_spans, ordered_map


def article_bodies(articles: Sequence[Article], context: Sequence[Article] = (),
                   jobs: int = 1, progress: Progress = no_progress) -> Bodies:
    """Each article's text with page furniture blanked out (offsets unchanged), the work
    spread over ``jobs`` processes.

    Lines repeated across ``articles`` and ``context`` (the rest of the corpus) count as
    furniture.
    """
    everything = [*articles, *context] if context else articles
    counted = ordered_map(_line_counts, everything, chunk_spans(len(everything), FURNITURE_CHUNK),
                          jobs)
    lines = LineCounts.merge(reported(counted, "page furniture", len(everything),
                                      FURNITURE_CHUNK, progress))
    repeated = lines.repeated()
    # Only texts that may hold furniture are read again (when the corpus repeats no line,
    # as a rule a few).
    maybe = [n for n, may in enumerate(lines.may_hold_furniture(repeated)[:len(articles)])
             if may]
    furniture: dict[int, list[tuple[int, int]]] = {}
    for found in ordered_map(_furniture, (articles, repeated, maybe),
                             chunk_spans(len(maybe), FURNITURE_CHUNK), jobs):
        furniture.update(found)
    return Bodies(articles, furniture)


def line_counts(articles: Sequence[Article]) -> LineCounts:
    """The lines of ``articles``' texts, counted (see :class:`LineCounts`)."""
    return LineCounts.of(article.text for article in articles)


def furniture_of(articles: Sequence[Article], repeated: frozenset[str],
                 positions: Sequence[int]) -> dict[int, list[tuple[int, int]]]:
    """The furniture spans of the articles at ``positions`` that have some, by position."""
    found = {n: furniture_spans(articles[n].text, repeated) for n in positions}
    return {n: spans for n, spans in found.items() if spans}


def _line_counts(articles: Sequence[Article], span: tuple[int, int]) -> LineCounts:
    return line_counts(articles[span[0]:span[1]])


def _furniture(work: tuple[Sequence[Article], frozenset[str], Sequence[int]],
               span: tuple[int, int]) -> dict[int, list[tuple[int, int]]]:
    """:func:`furniture_of` the articles at positions ``maybe[span[0]:span[1]]``."""
    articles, repeated, maybe = work
    return furniture_of(articles, repeated, maybe[span[0]:span[1]])


#: Articles read for furniture, articles surveyed, articles read whole, and pairs judged,
#: per chunk of work.
FURNITURE_CHUNK = 2048
