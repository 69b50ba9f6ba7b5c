"""`provenance check`: new articles against the index of the rest, in seconds.

Each new article is read and fingerprinted; its candidates come from the index by lookup
(never a load of the index): copies by its LSH band keys and containment samples, rewrites by
its words, the indexed articles sharing enough of their rarer words. Each candidate is read
back from the index and judged against it, with term weights fitted on the new article, its
candidates and an evenly spread sample of the index; a rewrite candidate only if enough of
its words, weighed so, are shared one way or the other (``rewrite_min_containment``, as a
scan verifies its rewrite candidates). A check asks of each new article whether it derives
from another: of two verdicts of equal extent, the one taking it as derived. The policy gate
turns each judged pair into a finding, or none.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path

from provenance.attribution.agencies import Registry, load_registry
from provenance.attribution.credits import CreditFinder
from provenance.candidates.buckets import band_keys, sample
from provenance.candidates.minhash import Permutations, signatures
from provenance.ci.policy import evaluate, is_duplicate
from provenance.config import Parameters, Policy, policy_setting
from provenance.lineage.infer import infer_lineage
from provenance.model import Article, Credit, PairScore, Verdict
from provenance.progress import Progress, ignore, no_progress
from provenance.results import CheckResult, Finding
from provenance.store.file import afresh_if_damaged
from provenance.store.folder import open_up_to_date
from provenance.store.index import Index, StoredArticle, default_index_path
from provenance.text.articles import sorted_by_id
from provenance.text.bodies import article_bodies
from provenance.text.corpus import as_corpus_ids
from provenance.text.document import Document, read_document, read_documents
from provenance.text.terms import CorpusWeights, Terms, terms
from provenance.text.words import word_tokens
from provenance.verdict.direction import ArticleFacts
from provenance.verdict.features import Weighed, weigh, weighted_containment
from provenance.verdict.judging import judged_pair
from provenance.verdict.models import Calibration, load_calibration

#: Candidates judged per new article, those sharing most keys first.
MAX_CANDIDATES = 50
#: Indexed articles read to weigh terms (IDF): a term in none of them is as rare as can be,
#: one in a tenth of them is common; that is what the weights need to tell apart.
TERM_SAMPLE = 100


def check_folder(articles: Sequence[Article], corpus: str | Path,
                 index_path: str | Path | None = None, params: Parameters | None = None,
                 calibration: Calibration | None = None, registry: Registry | None = None,
                 policy: Policy | None = None, progress: Progress = no_progress,
                 say: Callable[[str], None] = ignore) -> CheckResult:
    """What `provenance check` does: ``articles`` checked against the corpus folder
    ``corpus`` through its index (``index_path``, by default beside the folder), which is
    first built or brought up to date (a damaged one moved aside and built afresh).

    Articles read from files under the folder get the ids the folder gives them, so none is
    its own candidate. ``say`` is told what the index refresh did and any warning; the
    policy is the settings' (see :func:`config.policy_setting`) unless given."""
    folder = Path(corpus)
    index_file = Path(index_path) if index_path else default_index_path(folder)
    params = params or Parameters()
    registry = registry or load_registry()
    named = as_corpus_ids(articles, folder)

    def checked() -> CheckResult:
        with open_up_to_date(index_file, folder, params, registry, progress, say) as index:
            if not index.count():
                say(f"Warning: the index of {folder} holds no articles (a corpus folder's "
                    "articles are its .txt and .md files): nothing to check against.")
            return check(named, index, params, calibration or load_calibration(), registry,
                         policy or policy_setting(), progress)

    return afresh_if_damaged(checked, say)


def check(articles: Sequence[Article], index: Index, params: Parameters,
          calibration: Calibration, registry: Registry, policy: Policy,
          progress: Progress = no_progress) -> CheckResult:
    """Check each of ``articles`` against the indexed articles other than itself (an older
    version of it, indexed under the same id, is not evidence against it)."""
    ordered = sorted_by_id(articles)
    finder = CreditFinder(registry)
    permutations = Permutations.create(params.num_perm, params.seed)
    context = index.stored(index.spread(TERM_SAMPLE))
    context_terms = [terms([t.decode() for t in word_tokens(s.body)]).distinct() for s in context]
    findings: list[Finding] = []
    seconds: dict[str, float] = {}
    for done, (article, body) in enumerate(zip(ordered, article_bodies(ordered), strict=True),
                                           start=1):
        started = time.perf_counter()
        credits = finder.find(article.text, body)
        judged = _judged_candidates(article, body, credits, index, context, context_terms,
                                    params, calibration, registry, permutations)
        finding = _finding(article, credits, judged, policy, registry)
        if finding:
            findings.append(finding)
        seconds[article.id] = time.perf_counter() - started
        progress("checking", done, len(ordered))
    order = {"fail": 0, "warn": 1, "ignore": 2}
    findings.sort(key=lambda f: (f.article, order[f.action], f.rule, f.other))
    return CheckResult(tuple(ordered), tuple(findings), index.count(), seconds)


#: An indexed candidate, and its pair with the new article, judged.
Judged = tuple[StoredArticle, PairScore, Verdict]


def _judged_candidates(article: Article, body: str, credits: tuple[Credit, ...], index: Index,
                       context: Sequence[StoredArticle], context_terms: Sequence[Terms],
                       params: Parameters, calibration: Calibration, registry: Registry,
                       permutations: Permutations) -> list[Judged]:
    """``article`` (whose body and credits are given) judged against its indexed candidates,
    with term weights fitted on it, them, and the ``context`` sample of the index."""
    new = read_document(article.text, body, params)
    # Too short to fingerprint: no verdict (see candidates.candidate_pairs).
    copies, rewrites = indexed_candidates(article.id, new, index, params, permutations) \
        if new.shingles.size else ([], [])
    existing = copies + rewrites
    if not existing:
        return []
    candidate_documents = read_documents([s.article.text for s in existing],
                                         [s.body for s in existing], params)
    candidate_ids = {s.article.id for s in existing}
    others = [t for s, t in zip(context, context_terms, strict=True)
              if s.article.id not in candidate_ids and s.article.id != article.id]
    weights = CorpusWeights.fit([new.distinct, *(d.distinct for d in candidate_documents),
                                 *others])
    weighed = weigh(new, weights)
    judged = []
    for place, (stored, other) in enumerate(zip(existing, candidate_documents, strict=True)):
        if not other.shingles.size:
            continue
        other_weighed = weigh(other, weights)
        is_rewrite_candidate = place >= len(copies)
        if is_rewrite_candidate and not _shares_enough_words(weighed, other_weighed, params):
            continue
        facts = {article.id: ArticleFacts.of(article, credits, registry),
                 stored.article.id: ArticleFacts.of(stored.article, stored.credits, registry)}
        pair, verdict = judged_pair(article, stored.article, weighed, other_weighed, params,
                                    calibration, facts, in_question=article.id)
        judged.append((stored, pair, verdict))
    return judged


def _finding(article: Article, credits: tuple[Credit, ...], judged: Sequence[Judged],
             policy: Policy, registry: Registry) -> Finding | None:
    """The finding the policy makes of ``article`` against the indexed article its text
    comes from, chosen among the candidates ``judged`` as lineage chooses a source: a copy
    is judged against its source, not against every sibling that carries the same copy."""
    if not judged:
        return None
    lineage = infer_lineage([article, *(stored.article for stored, _, _ in judged)],
                            [pair for _, pair, _ in judged],
                            {article.id: credits, **{stored.article.id: stored.credits
                                                     for stored, _, _ in judged}}, registry)
    derivation = lineage.of(article.id).derivation
    duplicates = [item for item in judged if is_duplicate(article, item[1], policy)]
    chosen = [item for item in judged
              if derivation is not None and item[2] is derivation.verdict] or duplicates[:1]
    if not chosen:
        return None
    stored, pair, verdict = chosen[0]
    return evaluate(article, credits, stored.article, stored.credits, pair, verdict, policy,
                    registry)


def indexed_candidates(article_id: str, new: Document, index: Index, params: Parameters,
                       permutations: Permutations
                       ) -> tuple[list[StoredArticle], list[StoredArticle]]:
    """The indexed articles, read back, that may hold a copy of ``new`` or of which it may be
    a copy (sharing a band key or enough samples), and the others that may be rewrites
    (sharing ``rewrite_min_shared`` rarer words); each list those sharing most first, and
    never the article's own older version."""
    keys = band_keys(signatures([new.shingles], permutations), params.bands, params.rows)[0]
    copies = index.candidates(keys if new.shingles.size else keys[:0],
                              sample(new.shingles, params.index_sample_rate),
                              params.min_shared_samples, params.max_sample_articles,
                              MAX_CANDIDATES + 1)
    proposed = set(copies)
    rewrites = [n for n in index.rewrite_candidates(new.distinct.words,
                                                    params.rewrite_min_shared,
                                                    MAX_CANDIDATES + len(copies) + 1)
                if n not in proposed]

    def read(numbers: list[int]) -> list[StoredArticle]:
        return [s for s in index.stored(numbers) if s.article.id != article_id][:MAX_CANDIDATES]

    return read(copies), read(rewrites)


def _shares_enough_words(a: Weighed, b: Weighed, params: Parameters) -> bool:
    """True when the IDF-weighted share of ``a``'s words found in ``b``, or of ``b``'s in
    ``a``, reaches ``params.rewrite_min_containment``."""
    return max(weighted_containment(x.document.distinct.words, x.distinct_word_weights,
                                    y.document.distinct.words)
               for x, y in ((a, b), (b, a))) >= params.rewrite_min_containment
