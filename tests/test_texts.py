from __future__ import annotations

import gc
import json
import multiprocessing
import os
import pickle
import tempfile
import tracemalloc
from dataclasses import fields, replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from provenance import spool
from provenance.cli import main
from provenance.errors import SpoolError
from provenance.model import NO_EXTRA, Article
from provenance.spool import UNLINKED_AT_ONCE
from provenance.text import articles as texts
from provenance.text.articles import ArticleSpool, ArticleTable, Spooled, SpooledArticle, in_memory
from provenance.text.bodies import article_bodies
from provenance.text.corpus import load_corpus
from provenance.text.furniture import Bodies, remove_furniture
from provenance.workers import ordered_map

#: Texts that must come back exactly: empty, non-ASCII (Urdu, CJK, emoji), line breaks of
#: every kind.
TEXTS = ["", "plain words", "کیپ ٹاؤن۔ یکم دسمبر (اے پی پی)", "東京 🙂", "a\r\nb\u2028c\n"]


def _articles(texts: list[str]) -> list[Article]:
    """Articles of these texts, with some of the other spooled fields filled."""
    return [Article(str(n), text, title=f"title {n}", url=text[::-1], origin=f"file:{n}",
                    extra={"kind": text} if n % 2 else {})
            for n, text in enumerate(texts)]


def test_articles_come_back_as_spooled_in_any_order(tmp_path: Path) -> None:
    spool = ArticleSpool(str(tmp_path))
    articles = _articles(TEXTS)
    positions = [spool.append(article) for article in articles]
    assert positions == list(range(len(TEXTS)))
    assert len(spool) == len(TEXTS)
    read = [spool[n] for n in reversed(positions)][::-1]
    assert [spooled.text for spooled in read] == TEXTS
    assert [(spooled.title, spooled.url, spooled.origin, spooled.extra) for spooled in read] \
        == [(a.title, a.url, a.origin, a.extra) for a in articles]
    assert read[0].extra is NO_EXTRA  # an article without extra fields shares the empty one
    spool.append(Article("after", "after a read"))
    assert spool[len(TEXTS)].text == "after a read"


def test_the_spool_file_goes_with_the_spool(tmp_path: Path) -> None:
    spool = ArticleSpool(str(tmp_path))
    spool.append(Article("a", "words"))
    # Where it can, the spool is nameless from the start: nothing is left if the process dies.
    assert len(os.listdir(tmp_path)) == (0 if UNLINKED_AT_ONCE else 1)
    assert spool[0].text == "words"
    del spool
    gc.collect()
    assert os.listdir(tmp_path) == []


def test_a_pickled_spool_reads_the_same_file(tmp_path: Path) -> None:
    spool = ArticleSpool(str(tmp_path))
    for article in _articles(TEXTS):
        spool.append(article)  # still buffered: pickling writes it out first
    copy = pickle.loads(pickle.dumps(spool))
    assert [copy[n].text for n in range(len(TEXTS))] == TEXTS
    del copy
    gc.collect()
    assert spool[1].text == "plain words"  # a reader's copy leaves the file in place


def _first_text(spool: ArticleSpool) -> str:
    return spool[0].text


def test_a_spawned_process_reads_the_spool(tmp_path: Path) -> None:
    # What a worker does where processes are not forked (macOS, Windows): the spool arrives
    # pickled, and is opened again by its name.
    spool = ArticleSpool(str(tmp_path))
    spool.append(Article("a", TEXTS[2]))
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        assert pool.apply(_first_text, (spool,)) == TEXTS[2]


def _texts_read(articles: ArticleTable, span: tuple[int, int]) -> list[str]:
    return [article.text for article in articles[span[0]:span[1]]]


def _table(articles: list[Article], directory: Path) -> ArticleTable:
    table = ArticleTable(str(directory))
    for article in articles:
        table.append(article)
    return table


def test_worker_processes_read_spooled_texts(tmp_path: Path) -> None:
    table = _table([Article(str(n), f"text {n} {TEXTS[n % len(TEXTS)]}") for n in range(40)],
                   tmp_path)
    table.flush()
    read = [text for part in ordered_map(_texts_read, table, [(0, 20), (20, 40)], jobs=2)
            for text in part]
    assert read == [f"text {n} {TEXTS[n % len(TEXTS)]}" for n in range(40)]


def test_a_spooled_article_holds_only_its_id_and_shared_fields(tmp_path: Path) -> None:
    article = Article("a", "the text", title="T", outlet="AP", url="u", published="2024",
                      language="en", origin="f:1", extra={"k": "v"})
    spooled = _table([article], tmp_path)[0]
    assert type(spooled) is SpooledArticle
    for name in Spooled._fields:  # the slots an article keeps these in are empty
        with pytest.raises(AttributeError):
            Article.__dict__[name].__get__(spooled)
    assert (spooled.id, spooled.outlet, spooled.published, spooled.language) \
        == ("a", "AP", "2024", "en")
    assert (spooled.text, spooled.title, spooled.url, spooled.origin, spooled.extra) \
        == ("the text", "T", "u", "f:1", {"k": "v"})
    copied = pickle.loads(pickle.dumps(spooled))
    assert type(copied) is SpooledArticle and copied == spooled and copied.text == "the text"
    assert spooled == article and article == spooled
    assert hash(spooled) == hash(article)
    assert spooled != replace(article, text="another text")
    assert type(in_memory(spooled)) is Article and in_memory(spooled) == article
    assert replace(in_memory(spooled), id="b").text == "the text"


def test_every_field_of_an_article_is_kept_or_spooled() -> None:
    assert {*texts._KEPT, *Spooled._fields} == {field.name for field in fields(Article)}
    assert not set(texts._KEPT) & set(Spooled._fields)


def test_a_table_gives_back_its_articles_and_one_string_for_each_shared_value(
        tmp_path: Path) -> None:
    articles = [Article(f"id {n} \u00e9 東", f"text {n}", outlet=f"outlet {n % 2}",
                        published="2024-01-0" + str(n % 3), language="en") for n in range(6)]
    table = _table(articles, tmp_path)
    assert len(table) == 6 and list(table) == articles and table == articles
    assert table[-1] == articles[-1] and table[1:5:2] == [articles[1], articles[3]]
    assert table.ids() == [article.id for article in articles]
    assert table[0].outlet is table[2].outlet and table[0].published is table[3].published
    with pytest.raises(IndexError):
        table[6]


def test_a_table_keeps_no_object_for_each_article(tmp_path: Path) -> None:
    table = ArticleTable(str(tmp_path))
    count, outlets = 5000, ["AP", "Reuters", "Dawn"]
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for n in range(count):
            table.append(Article(f"article-{n:06d}", "text " * 100, outlet=outlets[n % 3],
                                 published=f"2024-05-{n % 28 + 1:02d}", language="en"))
        kept = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    # Its id's 14 bytes and where it ends, three codes and the spool's offset: about 40
    # bytes an article, against about 230 as objects.
    assert kept / count < 64


def test_sorted_by_id_is_a_view_in_order_of_id(tmp_path: Path) -> None:
    table = _table([Article(article_id, f"text of {article_id} {n}")
                    for n, article_id in enumerate(["b", "a", "c", "a2"])], tmp_path)
    ordered = table.sorted_by_id()
    assert ordered.ids() == ["a", "a2", "b", "c"]
    assert [article.text for article in ordered] == ["text of a 1", "text of a2 3",
                                                     "text of b 0", "text of c 2"]
    assert ordered.sorted_by_id() == ordered and table.ids() == ["b", "a", "c", "a2"]
    with pytest.raises(TypeError, match="does not grow"):
        ordered.append(Article("d", "more"))


def test_a_table_reads_its_columns_without_making_articles(tmp_path: Path) -> None:
    articles = [Article(article_id, "text", outlet=outlet, published=date)
                for article_id, outlet, date in [("b", "AP", "2026-01-02"), ("a", "", ""),
                                                 ("c", "AP", "2026-01-01")]]
    table = _table(articles, tmp_path)
    for view in (table, table.sorted_by_id()):
        for name in texts.RECURRING:
            assert texts.field_values(view, name) == [getattr(a, name) for a in view]
        assert texts.article_ids(view) == [article.id for article in view]
    assert texts.field_values(articles, "outlet") == ["AP", "", "AP"]  # any sequence
    assert texts.field_values(table.sorted_by_id(), "published") == ["", "2026-01-02",
                                                                     "2026-01-01"]


def test_the_first_repeated_id_is_the_earliest_second_use(tmp_path: Path) -> None:
    table = _table([Article(article_id, f"{n}") for n, article_id
                    in enumerate(["b", "a", "c", "a", "b", "a"])], tmp_path)
    repeated = table.first_repeated_id()
    assert repeated is not None
    assert [(article.id, article.text) for article in repeated] == [("a", "1"), ("a", "3")]
    table.truncate(3)
    assert table.first_repeated_id() is None


def test_a_truncated_table_goes_on_where_it_was_cut(tmp_path: Path) -> None:
    table = _table(_articles(TEXTS), tmp_path)
    table.truncate(2)
    assert list(table) == _articles(TEXTS)[:2]
    table.append(Article("new", "after the cut", outlet="AP"))
    assert [article.text for article in table] == [*TEXTS[:2], "after the cut"]
    assert table[2].outlet == "AP" and table.ids() == ["0", "1", "new"]


def test_loaded_articles_are_spooled(tmp_path: Path) -> None:
    texts = TEXTS[1:]
    path = tmp_path / "a.jsonl"
    path.write_text("".join(json.dumps({"id": str(n), "text": text}) + "\n"
                            for n, text in enumerate(texts)))
    articles = load_corpus([path]).articles
    assert isinstance(articles, ArticleTable)
    assert all(type(article) is SpooledArticle for article in articles)
    assert [article.text for article in articles] == texts


def test_where_texts_cannot_be_spooled_they_stay_in_memory(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a.txt").write_text("some words here")
    monkeypatch.setattr(spool, "SPOOLING", False)  # as on Windows: no os.pread
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "missing"))  # not used
    (article,) = load_corpus([tmp_path]).articles
    assert article.text == "some words here"


def test_bodies_are_the_texts_with_their_furniture_blanked() -> None:
    furnished = "A story of some length told here.\nAdvertisement\nMore of the story."
    articles = [Article("0", "no furniture at all"), Article("1", furnished)]
    bodies = article_bodies(articles)
    assert isinstance(bodies, Bodies)
    assert list(bodies) == ["no furniture at all", remove_furniture(furnished)]
    assert "Advertisement" not in bodies[1] and bodies[-1] == bodies[1]
    assert bodies[0:2] == list(bodies)
    assert set(bodies.furniture) == {1}


def test_a_spool_that_cannot_be_written_says_where_and_what_to_do(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(SpoolError, match="TMPDIR"):
        ArticleSpool(str(tmp_path / "missing"))
    (tmp_path / "a.txt").write_text("some words")
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "missing"))
    result = CliRunner().invoke(main, ["scan", str(tmp_path / "a.txt"), "--no-index"])
    assert result.exit_code == 2
    assert "Error: cannot keep the articles' texts in" in result.output
