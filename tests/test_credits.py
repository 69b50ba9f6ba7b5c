from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from provenance.agencies import builtin_registry
from provenance.corpus import load_corpus
from provenance.credits import CreditFinder
from provenance.pipeline import article_bodies

FINDER = CreditFinder(builtin_registry())


def found(text: str) -> list[tuple[str, str, str | None]]:
    return [(c.kind, c.name, c.agency) for c in FINDER.find(text)]


@pytest.mark.parametrize("text, expected", [
    ("TOKYO (AP) — Japan's prime minister said on Friday.",
     [("dateline", "AP", "Associated Press")]),
    ("NEW DELHI, Jan 3 (Reuters) - India said on Friday.",
     [("dateline", "Reuters", "Reuters")]),
    ("Lahore (APP): Officials met.", [("dateline", "APP", "Associated Press of Pakistan")]),
    ("راولپنڈی ۔23 نومبر (اے پی پی) وزیر زراعت نے کہا",
     [("dateline", "اے پی پی", "Associated Press of Pakistan")]),
    ("بھوانہ (چنیوٹ)/ سرگودھا ۔ 12 ستمبر (اے پی پی) وزیراعظم نے",
     [("dateline", "اے پی پی", "Associated Press of Pakistan")]),
    ("ڈھاکا(اسپورٹس ڈیسک/ اے ایف پی) پہلے ٹیسٹ میں",
     [("dateline", "اے ایف پی", "Agence France-Presse")]),
    ("The match ended.\nHe said so. (PTI)", [("sign-off", "PTI", "Press Trust of India")]),
    ("The match ended.\nIt was over. —IANS", [("sign-off", "IANS", "Indo-Asian News Service")]),
    ("The match ended.\n- ANI", [("sign-off", "ANI", "Asian News International")]),
    ("The match ended.\n(With inputs from agencies)", [("sign-off", "agencies", None)]),
    ("By Mari Yamaguchi, Associated Press\nTokyo is calm.",
     [("byline", "Associated Press", "Associated Press")]),
    ("Tokyo is calm. Associated Press writer Joe Smith in Osaka contributed to this report.",
     [("byline", "Associated Press", "Associated Press")]),
    ("Copyright 2025 The Associated Press. All rights reserved.",
     [("copyright", "Associated Press", "Associated Press")]),
    ("Prices rose, according to the Associated Press.",
     [("citation", "Associated Press", "Associated Press")]),
    ("Prices rose, reported The Japan Times.", [("citation", "Japan Times", None)]),
    ("Xinhua news agency said on Monday that prices rose.",
     [("citation", "Xinhua", "Xinhua")]),
    ("He told Reuters that prices rose.", [("citation", "Reuters", "Reuters")]),
])
def test_each_kind_of_credit_is_found(text: str, expected: list[tuple[str, str, str | None]]
                                      ) -> None:
    assert found(text) == expected


@pytest.mark.parametrize("text", [
    "The ap of the app was lovely.",                           # short forms need their case
    "Prices rose, as reported by the Japanese foreign ministry.",  # not a news organisation
    "He said the plan (AP) was sound. It was.",                 # parentheses in running text
    "Reuters\nwas the first line, and this is the last one.",   # an agency word mid-article
])
def test_mentions_that_are_not_credits_are_ignored(text: str) -> None:
    assert found(text) == []


def test_credits_carry_offsets_into_the_text() -> None:
    text = "TOKYO (AP) — Prices rose, according to Kyodo News.\n- AP"
    for credit in FINDER.find(text):
        assert text[credit.start:credit.end] == credit.text
    assert [c.kind for c in FINDER.find(text)] == ["dateline", "citation", "sign-off"]


def test_the_seed_articles_credits(corpus_dir: Path) -> None:
    articles = load_corpus([corpus_dir]).articles
    credits = {a.id[:3]: FINDER.find(a.text, body)
               for a, body in zip(articles, article_bodies(articles), strict=True)}
    signed = [(c.kind, c.agency) for c in credits["003"] if c.wire]
    assert signed == [("sign-off", "Asian News International")]
    assert {(c.kind, c.name) for c in credits["003"] if not c.wire} == {
        ("citation", "Japan Times")}
    assert {(c.kind, c.agency) for c in credits["001"]} == {
        ("citation", "Associated Press"), ("citation", "Kyodo News")}
    assert not any(c.wire for key in ("000", "001", "002", "004") for c in credits[key])


_TRIGGERS = sorted(FINDER._triggers[0] | FINDER._triggers[1])


@given(st.lists(st.one_of(
    st.sampled_from(_TRIGGERS),
    st.sampled_from(_TRIGGERS).map(str.upper),
    st.sampled_from(_TRIGGERS).map(str.title),
    st.text(alphabet="abcAP0-'_ .,\n()\u00e9", max_size=6)), max_size=12))
def test_the_ascii_shortcut_never_misses_a_trigger_word(pieces: list[str]) -> None:
    # Trigger words (as registered, in other cases, and glued to punctuation or to each
    # other) among other runs: the byte-level shortcut may pass a text the word check turns
    # down, never the reverse.
    text = "".join(pieces)
    if FINDER._has_trigger_word(text):
        assert FINDER._may_credit(text)


def test_the_ascii_shortcut_turns_down_texts_without_trigger_words() -> None:
    assert not FINDER._may_credit("Prices rose on Friday, officials said in Tokyo.")
    assert FINDER._may_credit("Prices rose on Friday, officials told REUTERS in Tokyo.")
