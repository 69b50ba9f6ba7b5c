from __future__ import annotations

import numpy as np
import pytest

from provenance.candidates import pairs as candidates
from provenance.candidates.pairs import CorpusWords, rewrite_keys, verified_rewrites
from provenance.config import Parameters
from provenance.hashsets import HashSets, SpooledHashSets
from provenance.model import Article
from provenance.scanning import scan
from provenance.text.terms import TermWeights

from .conftest import prose


def _words(*articles: list[int]) -> list[np.ndarray]:
    return [np.array(sorted(words), dtype=np.uint64) for words in articles]


def test_rewrite_keys_are_each_articles_rarest_words_held_by_another() -> None:
    articles = _words([1, 2, 3, 9], [], [1, 2, 3, 4], [1, 2, 4, 8], [1, 5])
    table = CorpusWords.of(SpooledHashSets.of([HashSets.of(articles)]),
                           TermWeights.fit(articles))
    keys = rewrite_keys(table, Parameters(rewrite_keys=2, max_sample_articles=3))
    # 1 is in all four articles (over max_sample_articles), 5, 8 and 9 in one only; of the
    # rest, each article keeps its two rarest (by frequency, then by hash), by their ids.
    assert [table.weights.known[k].tolist() for k in keys] == [[3, 2], [], [3, 4], [4, 2], []]


@pytest.mark.parametrize("block", [1, 2, 3])
def test_rewrite_keys_chosen_a_block_of_articles_at_a_time_are_the_same(
        block: int, monkeypatch: pytest.MonkeyPatch) -> None:
    generator = np.random.default_rng(5)
    articles = _words(*(list(set(generator.integers(1, 40, size=size).tolist()))
                        for size in generator.integers(0, 12, size=20)))
    table = CorpusWords.of(SpooledHashSets.of([HashSets.of(articles)]),
                           TermWeights.fit(articles))
    params = Parameters(rewrite_keys=3, max_sample_articles=6)
    whole = [keys.tolist() for keys in rewrite_keys(table, params)]
    monkeypatch.setattr(candidates, "KEY_BLOCK", block)
    assert [keys.tolist() for keys in rewrite_keys(table, params)] == whole
    assert any(whole) and any(not keys for keys in whole)


def test_corpus_words_of_parts_are_those_of_the_whole_and_each_word_by_its_id() -> None:
    articles = _words([1, 2, 3, 9], [], [1, 2, 3, 4], [1, 2, 4, 8], [1, 5])
    weights = TermWeights.fit(articles)
    parts = [HashSets.of(articles[:2]), HashSets.of(articles[2:3]), HashSets.of(articles[3:])]
    table = CorpusWords.of(SpooledHashSets.of(parts), weights)
    assert table.offsets.tolist() == [0, 4, 4, 8, 12, 14]
    assert weights.known[table.ids].tolist() == [w for a in articles for w in a.tolist()]


def test_rewrites_are_kept_when_verbatim_too_or_containing_enough() -> None:
    shared = list(range(10, 20))
    articles = _words([*shared, 1, 2], [*shared, 3], [10, 4, 5, 6, 7, 8, 9, 21, 22, 23, 24],
                      [*range(30, 50)])
    table = CorpusWords.of(SpooledHashSets.of([HashSets.of(articles)]),
                           TermWeights.fit(articles))
    rewrites = np.array([[0, 1], [0, 2], [1, 3]])
    params = Parameters(rewrite_min_containment=0.5)
    assert verified_rewrites(rewrites, np.empty((0, 2), dtype=np.int64), table,
                             params).tolist() == [[0, 1]]
    assert verified_rewrites(rewrites, np.array([[1, 3]]), table,
                             params).tolist() == [[0, 1], [1, 3]]
    assert verified_rewrites(rewrites, np.empty((0, 2), dtype=np.int64), table,
                             Parameters(rewrite_min_containment=0.0)).tolist() == \
        rewrites.tolist()


def test_each_article_keeps_a_few_best_source_candidates_the_original_first() -> None:
    # An agency story and 30 reprints of it: every pair shares the story, yet each reprint
    # is judged against a few candidates only, the agency's copy always among them.
    story = prose(11, 300)
    articles = [Article("agency", story, outlet="Associated Press"),
                *(Article(f"reprint-{n:02d}", story, published=f"2026-01-01T{n % 24:02d}:00")
                  for n in range(30))]
    result = scan(articles, Parameters())
    judged = result.candidates
    assert judged <= 4 * len(articles) * 2
    every = scan(articles, Parameters(source_candidates=None)).candidates
    assert every == len(articles) * (len(articles) - 1) // 2
    assert {result.lineage.of(f"reprint-{n:02d}").source for n in range(30)} == {"agency"}
