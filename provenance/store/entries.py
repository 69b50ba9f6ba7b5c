"""What the index holds of each article, computed from its text: fingerprints (MinHash
signature, LSH band keys, containment samples), words, credits and content hash; and the
refresh that writes the entries of articles added or changed."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence

import numpy as np

from provenance.attribution.agencies import Registry, load_registry
from provenance.attribution.credits import CreditFinder
from provenance.candidates.buckets import band_keys, sample
from provenance.candidates.survey import fingerprint_batch
from provenance.config import Parameters
from provenance.model import (
    Article,
    Credit,
    Fingerprint,
    SignatureArray,
)
from provenance.progress import Progress, no_progress
from provenance.results import IndexUpdate
from provenance.store.index import Index, IndexEntry, blanked_spans, content_hash
from provenance.text.articles import sorted_by_id
from provenance.text.bodies import article_bodies
from provenance.text.terms import batch_words
from provenance.text.words import BatchWords
from provenance.workers import chunk_spans, ordered_map

log = logging.getLogger(__name__)

BATCH_SIZE = 512


def fingerprint(ids: Sequence[str], bodies: Sequence[str], params: Parameters,
                progress: Progress = no_progress, jobs: int = 1) -> list[Fingerprint]:
    """The MinHash signature and containment samples of each body, computed in batches
    spread over ``jobs`` processes."""
    result: list[Fingerprint] = []
    spans = chunk_spans(len(bodies), BATCH_SIZE)
    for span, (words, signed, samples) in zip(
            spans, ordered_map(fingerprint_batch, (bodies, params, True), spans, jobs),
            strict=True):
        result.extend(Fingerprint(article_id, int(count), signature, sampled, too_short)
                      for article_id, count, signature, sampled, too_short in zip(
                          ids[span[0]:span[1]], words, signed, samples,
                          words < params.shingle_size, strict=True))
        progress("fingerprinting", len(result), len(bodies))
    return result


def minhash_signatures(bodies: Sequence[str], params: Parameters,
                       jobs: int = 1) -> SignatureArray:
    """Just the MinHash signature of each body, as a ``(len(bodies), num_perm)`` array
    (datasketch ``affine32``: ``MinHash(hashvalues=row, scheme="affine32")`` loads a row)."""
    spans = chunk_spans(len(bodies), BATCH_SIZE)
    batches = [signed for _, signed, _ in ordered_map(fingerprint_batch,
                                                      (bodies, params, False), spans, jobs)]
    return (np.concatenate(batches) if batches
            else np.empty((0, params.num_perm), dtype=np.uint32))


def update_index(articles: Sequence[Article], index: Index, params: Parameters | None = None,
                 registry: Registry | None = None,
                 progress: Progress = no_progress) -> IndexUpdate:
    """Bring ``index`` up to date with ``articles`` (the whole corpus) without judging pairs:
    only fingerprints are computed, for the articles the index lacks or holds in another
    version."""
    params = params or Parameters()
    ordered = sorted_by_id(articles)
    bodies = article_bodies(ordered)
    finder = CreditFinder(registry or load_registry())
    return refresh_index(index, ordered, bodies, lambda fresh, hashes: fingerprinted_entries(
        ordered, bodies, fresh, params, finder, progress, hashes))


def fingerprinted_entries(articles: Sequence[Article], bodies: Sequence[str],
                          chosen: Sequence[int], params: Parameters, finder: CreditFinder,
                          progress: Progress = no_progress,
                          hashes: Sequence[bytes] | None = None) -> Iterator[IndexEntry]:
    """The :func:`index_entries` of the ``chosen`` articles (by position; ``hashes``: their
    content hashes, if known), a batch at a time (so only a batch is read at once), reported
    to ``progress`` as they come."""
    for start in range(0, len(chosen), BATCH_SIZE):
        batch = chosen[start:start + BATCH_SIZE]
        yield from index_entries([articles[n] for n in batch], [bodies[n] for n in batch],
                                 params, lambda article, body: finder.find(article.text, body),
                                 None if hashes is None else hashes[start:start + BATCH_SIZE])
        progress("fingerprinting", start + len(batch), len(chosen))


def index_entries(articles: Sequence[Article], bodies: Sequence[str], params: Parameters,
                  credits_of: Callable[[Article, str], tuple[Credit, ...]],
                  hashes: Sequence[bytes] | None = None) -> list[IndexEntry]:
    """What the index holds of each article (``bodies``: their texts, furniture blanked;
    ``credits_of(article, body)``: its credits; ``hashes``: their content hashes, computed
    here if not given)."""
    prints = fingerprint([a.id for a in articles], bodies, params)
    if not prints:
        return []
    keys = band_keys(np.stack([fp.signature for fp in prints]), params.bands, params.rows)
    words = batch_words(BatchWords.of(bodies)).distinct()
    if hashes is None:
        hashes = [content_hash(article, body) for article, body in zip(articles, bodies,
                                                                       strict=True)]
    return [IndexEntry(
        article=article, content_hash=hashes[n],
        furniture=blanked_spans(article.text, body), credits=credits_of(article, body),
        band_keys=row[:0] if fp.too_short else row,
        samples=sample(fp.samples, params.index_sample_rate), words=words[n],
    ) for n, (article, body, fp, row) in enumerate(zip(articles, bodies, prints, keys,
                                                       strict=True))]


def changed_articles(articles: Sequence[Article], bodies: Sequence[str],
                     stored: Mapping[str, bytes]) -> tuple[list[int], list[bytes]]:
    """The positions of the ``articles`` whose content hash is not the one ``stored`` (by
    id) holds, and every article's content hash."""
    hashes = [content_hash(a, body) for a, body in zip(articles, bodies, strict=True)]
    return ([n for n, (a, digest) in enumerate(zip(articles, hashes, strict=True))
             if stored.get(a.id) != digest], hashes)


def refresh_index(index: Index, articles: Sequence[Article], bodies: Sequence[str],
                  entries: Callable[[Sequence[int], Sequence[bytes]], Iterable[IndexEntry]]
                  ) -> IndexUpdate:
    """Write to ``index`` the ``entries(positions, content hashes)`` of the articles it
    lacks or holds in another version, and remove those no longer among ``articles``."""
    fresh, hashes = changed_articles(articles, bodies, index.content_hashes())
    written = set(fresh)
    kept = [a.id for n, a in enumerate(articles) if n not in written]
    update = index.update(entries(fresh, [hashes[n] for n in fresh]), keep=kept)
    log.info("index %s: %d added, %d changed, %d removed, %d unchanged", index.path,
             len(update.added), len(update.changed), len(update.removed), update.unchanged)
    return update
