"""The ``provenance`` command: parses arguments, calls the library, prints. Nothing else."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from . import pipeline
from .config import Parameters
from .corpus import Corpus, load_corpus
from .errors import NotFoundError, ParameterError, ProvenanceError
from .model import Article
from .report import FORMATS, Format, render_compare, render_scan

F = TypeVar("F", bound=Callable[..., Any])


class InputProblem(click.ClickException):
    """A ProvenanceError as the CLI reports it: ``Error: ...`` and exit 2."""

    exit_code = 2


class ProvenanceGroup(click.Group):
    """A click group that turns library errors into clean messages, never tracebacks."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ProvenanceError as err:
            raise InputProblem(str(err)) from err


class StderrProgress:
    """Progress on one rewritten stderr line; silent unless stderr is a terminal."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.open_line = False

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        click.echo(f"\r{stage}: {done}/{total}", err=True, nl=False)
        self.open_line = done < total
        if not self.open_line:
            click.echo(err=True)


def _format_option(function: F) -> F:
    return click.option("--format", "fmt", type=click.Choice(FORMATS), default="table",
                        show_default=True, help="Output format.")(function)


def _load(paths: Sequence[str], strict: bool) -> Corpus:
    corpus = load_corpus(paths, strict=strict)
    for item in corpus.skipped:
        click.echo(f"Skipped {item.location}: {item.reason}", err=True)
    if not corpus.articles:
        raise NotFoundError("no articles found in " + ", ".join(paths)
                            + " (folders are searched for .txt and .md files; "
                              "name .jsonl files directly)")
    return corpus


@click.group(cls=ProvenanceGroup)
@click.version_option(package_name="wire-provenance")
def main() -> None:
    """Find the text news articles share, and where it came from."""


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@_format_option
@click.option("--threshold", type=float, default=Parameters.min_containment, show_default=True,
              help="Report pairs whose containment (either way) or Jaccard reaches this.")
@click.option("--shingle-size", type=int, default=Parameters.shingle_size, show_default=True,
              help="Words per shingle.")
@click.option("--strict", is_flag=True, help="Fail (exit 2) on the first unreadable input "
              "instead of skipping it.")
@click.option("--quiet", "-q", is_flag=True, help="No progress on stderr.")
def scan(paths: tuple[str, ...], fmt: Format, threshold: float, shingle_size: int,
         strict: bool, quiet: bool) -> None:
    """Find related pairs among the articles in PATHS (folders, files, .jsonl files).

    Pairs are listed most related first, with their Jaccard similarity, the containment of
    each article in the other, and the passages they share.

    \b
    Example:
        provenance scan corpus/
        provenance scan articles.jsonl --format json > pairs.json
    """
    params = Parameters(min_containment=threshold, shingle_size=shingle_size)
    corpus = _load(paths, strict)
    progress = StderrProgress(enabled=not quiet and sys.stderr.isatty())
    result = pipeline.scan(corpus.articles, params, corpus.skipped, progress)
    click.echo(render_scan(result, fmt))


@main.command()
@click.argument("first")
@click.argument("second")
@click.option("--corpus", "corpus_paths", multiple=True, type=click.Path(),
              help="Corpus holding the articles named by id (repeatable).")
@_format_option
def compare(first: str, second: str, corpus_paths: tuple[str, ...], fmt: Format) -> None:
    """Show what two articles share: scores and passages side by side.

    FIRST and SECOND are article ids in the --corpus, or paths to article files.

    \b
    Example:
        provenance compare corpus/000_d7927f73828eb8cf.txt corpus/004_cdba2c8ed4ad3861.txt
        provenance compare counter-0003 counter-0003p --corpus articles.jsonl
    """
    context = _load(corpus_paths, strict=False).articles if corpus_paths else ()
    a, b = _resolve(first, context), _resolve(second, context)
    click.echo(render_compare(pipeline.compare(a, b, context), fmt))


def _resolve(name: str, context: Sequence[Article]) -> Article:
    """An article by id in ``context``, else the single article in the file ``name``."""
    for article in context:
        if article.id == name:
            return article
    if Path(name).is_file():
        articles = load_corpus([name], strict=True).articles
        if len(articles) != 1:
            raise ParameterError(f"{name} holds {len(articles)} articles; name one by id "
                                 f"with --corpus {name}")
        return articles[0]
    hint = "" if context else " (to name an article by id, add --corpus PATH)"
    raise NotFoundError(f"{name}: not an article id in the corpus, nor a file{hint}")
