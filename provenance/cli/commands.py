"""The commands of ``provenance``: each parses its arguments, calls one library workflow,
renders its result."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TypeVar

import click

from provenance import scanning as pipeline
from provenance.attribution.agencies import load_registry
from provenance.attribution.credits import CreditFinder
from provenance.ci.since import changed_since
from provenance.ci.workflow import check_folder
from provenance.cli.running import (
    EXIT_POLICY_FAILURE,
    ProvenanceGroup,
    Share,
    StderrProgress,
    calibration_option,
    engine_options,
    format_option,
    index_option,
    jobs_option,
    quiet_option,
    say,
    strict_option,
)
from provenance.cluster.engine import scan_on_ray
from provenance.config import Parameters, calibration_setting, corpus_setting, policy_setting
from provenance.errors import (
    NotFoundError,
    OutputError,
    ParameterError,
)
from provenance.evaluation import DEALS, LabelledPair, read_examples
from provenance.evaluation import evaluate as evaluate_examples
from provenance.model import Article
from provenance.progress import Progress, no_progress
from provenance.report.check import CHECK_FORMATS, CheckFormat, render_check, render_step_summary
from provenance.report.escaping import visible
from provenance.report.evaluation import render_evaluation
from provenance.report.files import write_reports
from provenance.report.json_output import ChunkRenderer, scan_json_parts
from provenance.report.rows import (
    SCAN_FORMATS,
    TABLES,
    Table,
    csv_lines,
    jsonl_lines,
    table_columns,
    table_rows,
)
from provenance.report.tables import Format, render_compare, render_credits, render_scan
from provenance.results import CheckResult, ScanResult
from provenance.store.index import default_index_path
from provenance.text.articles import sorted_by_id
from provenance.text.bodies import article_bodies
from provenance.text.corpus import Corpus, as_corpus_ids, load_corpus
from provenance.verdict.calibrate import FOLDS, Example
from provenance.verdict.models import Calibration, default_calibration_path, load_calibration

T = TypeVar("T")
#: Parts of a JSON document written between two reports of progress.
WRITING_REPORT = 10_000


def _calibration_path(option: str | None) -> Path:
    return Path(option) if option else calibration_setting() or default_calibration_path()


def _load(paths: Sequence[str], strict: bool, progress: Progress = no_progress) -> Corpus:
    corpus = load_corpus(paths, strict=strict, progress=progress)
    _loaded(corpus, paths)
    return corpus


def _loaded(corpus: Corpus, paths: Sequence[str]) -> None:
    """Name the inputs skipped; an error where no article loaded."""
    for item in corpus.skipped:
        click.echo(visible(str(item)), err=True)
    if not corpus.articles:
        raise NotFoundError("no articles found in " + ", ".join(paths)
                            + " (folders are searched for .txt and .md files; "
                              "name .jsonl files directly)")


@click.group(cls=ProvenanceGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="wire-provenance")
def main() -> None:
    """Find the text news articles share, and where it came from.

    A verdict on a pair grades the extent of the derivation (wholly, partially, none)
    and its form (verbatim, light, heavy); its confidence is the probability that the
    extent is right, as measured on labelled pairs the models were not fitted on: of
    verdicts given 0.8, about eight in ten are right (`provenance eval` prints the table).
    """


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(SCAN_FORMATS), default="table",
              show_default=True,
              help="Output format: tables, the JSON document, or one table's rows as CSV or "
                   "JSON lines (for spreadsheets and pandas).")
@click.option("--table", type=click.Choice(TABLES), default="pairs", show_default=True,
              help="With --format csv or jsonl: a row per judged pair, or per article.")
@click.option("--threshold", type=Share(),
              default=Parameters.min_containment, show_default=True,
              help="Report pairs whose containment (either way) or Jaccard reaches this.")
@click.option("--shingle-size", type=click.IntRange(min=1), default=Parameters.shingle_size,
              show_default=True, help="Words per shingle.")
@click.option("--all-pairs", is_flag=True,
              help="Judge and list every related pair (as a dedup wants), not only each "
                   "article against its few best source candidates.")
@strict_option
@quiet_option
@calibration_option
@index_option
@jobs_option
@engine_options
def scan(paths: tuple[str, ...], fmt: str, table: Table, threshold: float, shingle_size: int,
         all_pairs: bool, strict: bool, quiet: bool, calibration_path: str | None,
         index_path: str | None, no_index: bool, jobs: int, engine: str, address: str | None,
         work_url: str | None, partitions: int | None, parts_url: str | None) -> None:
    """Find related pairs among the articles in PATHS (folders, files, .jsonl or .jsonl.gz
    files).

    Each article is judged against its few best source candidates (--all-pairs: against
    every article it shares text with). First the pairs in which one article derives from
    the other, most derived first, with the verdict (extent, form, and the confidence
    that the extent is right) and the evidence that settled which came first; then the
    pairs that share text with no derivation shown (a common source, or a direction
    nothing settles), and why. Rewrites that share
    no passage are found too. Then each article's lineage: credited wire copy, uncredited
    reuse (of which source, how much), original or independent, with the credits found;
    siblings of one source name that source.

    \b
    Example:
        provenance scan corpus/
        provenance scan articles.jsonl --format json > pairs.json
        provenance scan corpus/ --format csv > pairs.csv
        provenance scan archive/ --engine ray --work /shared/work --format json > pairs.json
        provenance scan s3://archive/ --engine ray --format json --out-parts s3://out/scan
    """
    params = Parameters(min_containment=threshold, shingle_size=shingle_size,
                        source_candidates=None if all_pairs else Parameters.source_candidates)
    progress = StderrProgress.for_stderr(quiet)
    calibration = load_calibration(_calibration_path(calibration_path))
    if table != "pairs" and fmt not in ("csv", "jsonl"):
        raise click.UsageError("--table is for --format csv or jsonl")
    if parts_url and (engine != "ray" or fmt != "json"):
        raise click.UsageError("--out-parts is for --engine ray --format json")
    if engine == "ray":
        if index_path:
            raise click.UsageError("--index is for the local engine: a cluster scan keeps "
                                   "no index")
        # The JSON document is rendered in the cluster's tasks, while it is up.
        result, run = scan_on_ray(paths, params, calibration=calibration, address=address,
                                  work=work_url, partitions=partitions, cpus=jobs,
                                  strict=strict, progress=progress,
                                  loaded=lambda corpus: _loaded(corpus, paths),
                                  output=(lambda result, renderer: _write_json(
                                      result, progress, jobs, renderer))
                                  if fmt == "json" and not parts_url else None,
                                  parts=parts_url)
        if parts_url and not quiet:
            click.echo(f"Wrote the JSON document to {parts_url} as {run.parts} parts: "
                       "part-*.json, in name order, are the document; _SUCCESS marks the "
                       "set whole.", err=True)
        if work_url and not quiet:
            click.echo(f"Work folder {work_url}: {run.reused} of {run.submitted} task "
                       "outputs taken from an earlier run.", err=True)
    else:
        if address or work_url or partitions:
            raise click.UsageError("--address, --work and --partitions are for --engine ray")
        corpus = _load(paths, strict, progress)
        result = _scan(corpus, params, progress, calibration, paths, index_path, no_index,
                       jobs)
    if fmt == "json":
        if engine != "ray":
            _write_json(result, progress, jobs)
    elif fmt in ("csv", "jsonl"):
        rows = table_rows(result, table)
        for line in (csv_lines(rows, table_columns(table)) if fmt == "csv"
                     else jsonl_lines(rows)):
            click.echo(line, nl=False)
    else:
        click.echo(render_scan(result, "table"))


def _write_json(result: ScanResult, progress: Progress, jobs: int,
                renderer: ChunkRenderer | None = None) -> None:
    """The scan's JSON document on stdout, written as it is rendered (by ``jobs``
    processes, or a cluster's ``renderer``): a large scan's is never held whole (a million
    articles' runs to gigabytes)."""
    items = len(result.articles) + len(result.pairs)
    # About one part an item: each article and each pair is one.
    for written, part in enumerate(scan_json_parts(result, jobs, renderer), 1):
        click.echo(part, nl=False)
        if written % WRITING_REPORT == 0:
            progress("writing", min(written, items), items)
    click.echo()
    progress("writing", items, items)


def _scan(corpus: Corpus, params: Parameters, progress: StderrProgress,
          calibration: Calibration, paths: Sequence[str], index_path: str | None,
          no_index: bool, jobs: int) -> ScanResult:
    """The scan, keeping its index up to date, with what it did told on stderr."""
    place = None if no_index else Path(index_path) if index_path else default_index_path(paths[0])
    result = pipeline.scan_indexed(corpus.articles, place, params, corpus.skipped, progress,
                                   calibration, jobs=jobs, say=say,
                                   index_required=index_path is not None)
    if result.index_problem:
        click.echo(f"Warning: {result.index_problem}; the results are complete, and the index "
                   "is as it was.", err=True)
    if place and result.index_update and progress.enabled:
        update = result.index_update
        click.echo(f"Index {place}: {len(update.added)} added, {len(update.changed)} "
                   f"changed, {len(update.removed)} removed, {update.unchanged} unchanged.",
                   err=True)
    return result


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default="reports",
              show_default=True, help="Folder to write the reports into.")
@strict_option
@quiet_option
@calibration_option
@index_option
@jobs_option
def report(paths: tuple[str, ...], out_dir: str, strict: bool, quiet: bool,
           calibration_path: str | None, index_path: str | None, no_index: bool,
           jobs: int) -> None:
    """Write the provenance reports of the articles in PATHS into --out.

    provenance.md (for GitHub), provenance.json (everything, schema-versioned) and
    provenance.html (one self-contained page: reuse graphs, and the texts side by side
    with shared passages and aligned sentences highlighted). The same input gives
    byte-identical files.

    \b
    Example:
        provenance report corpus/ --out reports/
    """
    Path(out_dir).mkdir(parents=True, exist_ok=True)
    _writable(Path(out_dir), "the reports")
    progress = StderrProgress.for_stderr(quiet)
    corpus = _load(paths, strict, progress)
    calibration = load_calibration(_calibration_path(calibration_path))
    result = _scan(corpus, Parameters(), progress, calibration, paths, index_path, no_index,
                   jobs)
    for path in write_reports(result, out_dir, jobs):
        click.echo(f"Wrote {path}", err=True)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@format_option
@strict_option
def credits(paths: tuple[str, ...], fmt: Format, strict: bool) -> None:
    """List the credits found in the articles in PATHS.

    Datelines (TOKYO (AP) -), sign-offs (- ANI, (PTI)), bylines and contribution lines,
    copyright lines, press releases (/PRNewswire/ --, SOURCE Acme Inc.), attributions
    (As AFP reported:, with the span of text they introduce), and citations (according to
    the Associated Press). All but citations credit the text as wire copy; a citation names
    a source of facts. Agencies come from the built-in registry plus [[agencies]] in
    provenance.toml or [tool.provenance].

    \b
    Example:
        provenance credits corpus/
        provenance credits articles.jsonl --format json
    """
    articles = sorted_by_id(_load(paths, strict).articles)
    finder = CreditFinder(load_registry())
    found = {article.id: finder.find(article.text, body)
             for article, body in zip(articles, article_bodies(articles), strict=True)}
    click.echo(render_credits(found, fmt))


@main.command("check")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--since", "since_ref", metavar="GIT_REF",
              help="Check the articles added or changed under the corpus since this git ref "
                   "(committed or not, and untracked ones; of a .jsonl file, its lines added "
                   "or changed).")
@click.option("--corpus", "corpus_dir", type=click.Path(file_okay=False),
              help="The corpus folder the index holds (default: `corpus` in provenance.toml "
                   "or [tool.provenance], else ./corpus).")
@click.option("--index", "index_path", type=click.Path(dir_okay=False),
              help="The corpus index (default: .provenance/index.db beside the corpus); "
                   "brought up to date with the corpus first, built when missing or made "
                   "by another version.")
@click.option("--format", "fmt", type=click.Choice(CHECK_FORMATS), default="text",
              show_default=True, help="text, json, github (workflow annotations) or junit.")
@calibration_option
@quiet_option
def check_command(paths: tuple[str, ...], since_ref: str | None, corpus_dir: str | None,
                  index_path: str | None, fmt: CheckFormat, calibration_path: str | None,
                  quiet: bool) -> None:
    """Check new articles against the indexed corpus: duplicates and uncredited reuse.

    The index is first brought up to date with the corpus folder (only files added or
    changed since it was written are read). Each article in PATHS (or each added or changed
    since --since) is then looked up in it by its fingerprint (copies) and its rarer words
    (rewrites), judged against its candidates, and held to the policy
    ([policy] in provenance.toml or [tool.provenance.policy]): what fails, what warns. Exit
    0 clean, 1 a policy failure, 2 a usage or input error.

    \b
    Example:
        provenance check corpus/new-story.txt
        provenance check --since origin/main --format github
    """
    corpus = Path(corpus_dir) if corpus_dir else corpus_setting() or Path("corpus")
    if corpus_dir and not corpus.is_dir():
        raise ParameterError(f"--corpus {corpus}: no such folder")
    if not corpus.is_dir():
        raise ParameterError(f"{corpus}: no corpus folder; name it with --corpus or "
                             "`corpus = \"path\"` in provenance.toml")
    articles = _articles_to_check(paths, since_ref, corpus)
    if not articles:
        click.echo(f"No articles added or changed under {corpus} since {since_ref}.", err=True)
        return
    result = check_folder(articles, corpus, index_path,
                          calibration=load_calibration(_calibration_path(calibration_path)),
                          policy=policy_setting(),
                          progress=StderrProgress.for_stderr(quiet),
                          say=say)
    click.echo(render_check(result, fmt))
    if fmt == "github" and os.environ.get("GITHUB_STEP_SUMMARY"):
        _add_step_summary(Path(os.environ["GITHUB_STEP_SUMMARY"]), result)
    if result.failed:
        sys.exit(EXIT_POLICY_FAILURE)


def _add_step_summary(path: Path, result: CheckResult) -> None:
    """Append every finding to the job summary GitHub Actions shows (``path``); a summary
    that cannot be written is worth a warning, not the check."""
    try:
        with path.open("a", encoding="utf-8") as summary:
            summary.write(render_step_summary(result))
    except OSError as err:
        click.echo(f"Warning: {path}: cannot write the job summary ({err.strerror})", err=True)


def _articles_to_check(paths: Sequence[str], since_ref: str | None, corpus: Path
                       ) -> list[Article]:
    """The articles in ``paths``, then those added or changed under ``corpus`` since the git
    ``since_ref`` (when given) that are not among them; each with its id in the corpus."""
    if not paths and since_ref is None:
        raise click.UsageError("name the articles to check, or use --since GIT_REF")
    articles = as_corpus_ids(_load(paths, strict=True).articles, corpus) if paths else []
    if since_ref is not None:  # "" too: a ref to verify, not an option left out
        changes = changed_since(since_ref, corpus)
        named = {article.id for article in articles}
        found = load_corpus(map(str, changes.files), strict=True).articles
        articles += [article for article in as_corpus_ids(found, corpus)
                     if changes.is_new(article) and article.id not in named]
    return articles


@main.command()
@click.argument("first")
@click.argument("second")
@click.option("--corpus", "corpus_paths", multiple=True, type=click.Path(),
              help="Corpus holding the articles named by id (repeatable).")
@format_option
@calibration_option
def compare(first: str, second: str, corpus_paths: tuple[str, ...], fmt: Format,
            calibration_path: str | None) -> None:
    """Show what two articles share: scores, verdict, passages and aligned sentences.

    FIRST and SECOND are article ids in the --corpus, or paths to article files. The
    verdict says which derives from which; give the --corpus the articles come from, as its
    word statistics weigh the evidence (rare words count most).

    \b
    Example:
        provenance compare corpus/000_d7927f73828eb8cf.txt corpus/004_cdba2c8ed4ad3861.txt
        provenance compare counter-0003 counter-0003p --corpus articles.jsonl
    """
    context = _load(corpus_paths, strict=False).articles if corpus_paths else ()
    a, b = _resolve(first, context), _resolve(second, context)
    calibration = load_calibration(_calibration_path(calibration_path))
    pair, verdict = pipeline.compare(a, b, context, calibration=calibration)
    click.echo(render_compare(pair, verdict, {a.id: a.text, b.id: b.text}, fmt))


@main.command("eval")
@click.argument("folders", nargs=-1, required=True,
                type=click.Path(exists=True, file_okay=False))
@click.option("--predictions", "predictions_path", type=click.Path(dir_okay=False),
              help="Write one JSON line per pair: source, derived, label, extent, form, "
                   "confidence, features.")
@click.option("--calibrate", "calibrate_path", type=click.Path(dir_okay=False),
              help="Fit the verdict models on these labels and write them to this file; the "
                   "figures printed are then cross-validated.")
@click.option("--deals", type=click.IntRange(1, 100), default=DEALS, show_default=True,
              help="Deals of the source articles into folds that cross-validated figures are "
                   "averaged over (their spread is printed beside them).")
@calibration_option
@format_option
@quiet_option
def evaluate(folders: tuple[str, ...], predictions_path: str | None,
             calibrate_path: str | None, deals: int, calibration_path: str | None,
             fmt: Format, quiet: bool) -> None:
    """Judge every labelled pair in FOLDERS and score the verdicts against the labels.

    Each folder holds articles.jsonl (its articles are the corpus) and pairs.jsonl
    (source, derived, label). Labels WD/PD/ND grade extent (wholly/partially/none),
    cut/light/heavy/non grade form (verbatim/light/heavy/none). Prints macro-F1 beside
    the naive baseline's (cut points on word containment, tuned on the other folds of
    the same deals), per-class precision, recall and F1, the confusion matrix, and how
    often verdicts were right at each confidence.

    With --calibrate, the models are fitted on all the folders' pairs (models the labels
    do not inform are kept from the current calibration), and where the pairs span several
    languages, on each language's pairs too; the printed figures come from
    cross-validation grouped by source article: what unseen data should show. Without it,
    each pair is judged by the current calibration, by its derived article's language.

    \b
    Example:
        provenance eval datasets/counter-dev
        provenance eval datasets/counter-dev --predictions verdicts.jsonl
        provenance eval my-labels/ --calibrate calibration.json
    """
    for output, what in ((predictions_path, "predictions"), (calibrate_path, "a calibration")):
        if output:
            _writable(Path(output).resolve().parent, what)
    progress = StderrProgress.for_stderr(quiet)
    listed: list[tuple[str, LabelledPair]] = []
    examples = []
    for folder in folders:
        pairs, measured = read_examples(folder, progress=progress)
        listed += [(folder, pair) for pair in pairs]
        examples += measured
    base_path = _calibration_path(calibration_path)
    base = load_calibration(base_path)
    evaluation = evaluate_examples(examples, base, refit=calibrate_path is not None,
                                   deals=deals,
                                   description={"fitted_on": [Path(f).name for f in folders]})
    if calibrate_path and evaluation.fitted:
        evaluation.fitted.save(calibrate_path)
        click.echo(f"Wrote {calibrate_path}.", err=True)
        method = (f"cross-validated: {FOLDS} folds grouped by source article, "
                  f"{deals} deal{'s' if deals > 1 else ''} of the articles into folds")
    else:
        method = f"by the calibration {base_path}" + _fitted_on(base)
    if predictions_path:
        _write_predictions(predictions_path, listed, examples, evaluation.predictions)
    click.echo(render_evaluation(evaluation, method, fmt))


def _writable(folder: Path, what: str) -> None:
    """Fail before the work, not after it, where ``what`` cannot be written into ``folder``."""
    if not os.access(folder, os.W_OK):
        reason = "read-only" if folder.is_dir() else "no such folder"
        raise OutputError(f"{folder}: cannot write {what} there ({reason})")


def _fitted_on(calibration: Calibration) -> str:
    names = calibration.provenance.get("fitted_on")
    return f" (fitted on {', '.join(names)})" if names else ""


def _write_predictions(path: str, listed: Sequence[tuple[str, LabelledPair]],
                       examples: Sequence[Example], predictions: Sequence[tuple[str, str, float]]
                       ) -> None:
    with open(path, "w", encoding="utf-8") as out:
        for (folder, pair), example, (extent, form, confidence) in zip(
                listed, examples, predictions, strict=True):
            out.write(json.dumps({
                "folder": folder, "source": pair.source, "derived": pair.derived,
                "label": pair.label, "extent": extent, "form": form,
                "confidence": confidence,
                "features": {name: round(value, 6) for name, value in example.features.items()},
            }, ensure_ascii=False) + "\n")


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
