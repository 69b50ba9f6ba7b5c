from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from provenance.attribution.agencies import builtin_registry
from provenance.attribution.credits import CreditFinder
from provenance.candidates.survey import ScanInput, survey_chunk
from provenance.config import Parameters
from provenance.model import Article, Credit
from provenance.text.furniture import Bodies

REGISTRY = builtin_registry()
FINDER = CreditFinder(REGISTRY)
_TRIGGERS = sorted(FINDER._triggers[0] | FINDER._triggers[1])
_PIECES = st.one_of(
    st.sampled_from(_TRIGGERS),
    st.sampled_from(_TRIGGERS).map(str.upper),
    st.sampled_from(_TRIGGERS).map(str.lower),
    st.sampled_from(_TRIGGERS).map(str.title),
    st.sampled_from(["(AP)", "(Ap)", "Tokyo (PA) -", "\n- ANI", "(with inputs from agencies)"]),
    st.text(alphabet="abcAP0-'_ .,\n()\u00e9", max_size=6))


def surveyed_credits(texts: list[str]) -> list[tuple[Credit, ...]]:
    articles = [Article(id=f"{n:03}", text=text) for n, text in enumerate(texts)]
    corpus = ScanInput(articles, Bodies(articles, {}), Parameters(), REGISTRY)
    return list(survey_chunk(corpus, (0, len(texts)))[0].credits)


@settings(max_examples=60, deadline=None)  # the first calls load compiled programs
@given(st.lists(st.lists(_PIECES, max_size=12).map(" ".join), min_size=1, max_size=5))
def test_the_survey_finds_the_credits_the_finder_finds(texts: list[str]) -> None:
    # The survey reads for credits only the texts whose hashed words hold a trigger word
    # (short forms in their case): it must find what reading every text finds.
    assert surveyed_credits(texts) == [FINDER.find(text) for text in texts]


def test_the_survey_reads_short_forms_in_their_case() -> None:
    texts = ["Tokyo (AP) - Prices rose.", "Tokyo (ap) - Prices rose on the map.",
             "Prices rose, said Reuters.", "Lahore (APP): Officials met."]
    assert [[c.name for c in credits] for credits in surveyed_credits(texts)] == [
        ["AP"], [], ["Reuters"], ["APP"]]
