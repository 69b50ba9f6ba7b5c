"""How the commands run: exit codes (1 for a policy failure and nothing else), errors as
one line, Ctrl-C and SIGTERM, progress on stderr, and the options the commands share."""

from __future__ import annotations

import contextlib
import math
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from types import FrameType
from typing import Any, TypeVar

import click

from provenance.errors import ProvenanceError
from provenance.report.escaping import visible
from provenance.report.tables import FORMATS
from provenance.workers import available_cores

F = TypeVar("F", bound=Callable[..., Any])


#: Exit codes. 1 is kept for what `check` exists to find, so that a CI job never takes a
#: crash or an interrupt for a policy failure.
EXIT_POLICY_FAILURE = 1


EXIT_INPUT_ERROR = 2


EXIT_INTERNAL_ERROR = 3


#: 128 + the signal's number, as shells report a process ended by a signal.
EXIT_INTERRUPTED = 128 + signal.SIGINT


EXIT_TERMINATED = 128 + signal.SIGTERM


class InputProblem(click.ClickException):
    """A ProvenanceError as the CLI reports it: ``Error: ...`` on one line (a file name in
    it shown :func:`~escaping.visible`, as GitHub Actions reads stderr for workflow
    commands too) and exit 2."""

    exit_code = EXIT_INPUT_ERROR

    def __init__(self, message: str) -> None:
        super().__init__(visible(message))


class Stopped(click.ClickException):
    """The run was stopped from outside: said in one line, no traceback."""

    def show(self, file: Any = None) -> None:
        click.echo(self.message, err=True)


class InterruptedRun(Stopped):
    """Ctrl-C (SIGINT)."""

    exit_code = EXIT_INTERRUPTED


class TerminatedRun(Stopped):
    """SIGTERM."""

    exit_code = EXIT_TERMINATED


class InternalError(click.ClickException):
    """A bug: the traceback of its cause, for the report, and a line saying so; exit 3."""

    exit_code = EXIT_INTERNAL_ERROR

    def show(self, file: Any = None) -> None:
        if self.__cause__ is not None:
            click.echo("".join(traceback.format_exception(self.__cause__)).rstrip(), err=True)
        click.echo(f"Internal error: {self.message}. This is a bug in provenance; please "
                   "report it with the traceback above.", err=True)


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where the program is, so that it cleans up as after Ctrl-C."""


class ProvenanceGroup(click.Group):
    """A click group that turns library errors into clean messages, never tracebacks, and
    gives every way a run can end its own exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            with _terminate_as_interrupt():
                return super().invoke(ctx)
        except ProvenanceError as err:
            raise InputProblem(str(err)) from err
        except OSError as err:
            if err.filename is None:  # not a file's: a broken pipe, say
                raise
            raise InputProblem(f"{err.filename}: {err.strerror}") from err
        except Terminated as err:
            raise TerminatedRun("Terminated.") from err
        except KeyboardInterrupt as err:
            raise InterruptedRun("Interrupted.") from err
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as err:
            raise InternalError(f"{type(err).__name__}: {err}") from err


@contextlib.contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """SIGTERM raises :class:`Terminated` while inside (where the main thread may set
    handlers): the run unwinds, closing the index and removing temporary files."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def terminate(signum: int, frame: FrameType | None) -> None:
        raise Terminated

    previous = signal.signal(signal.SIGTERM, terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


#: Seconds between two lines of progress in a log (stderr not a terminal).
LOG_EVERY = 5.0


class StderrProgress:
    """Progress on stderr. On a terminal, one line rewritten in place; elsewhere (a CI log),
    a line every ``log_every`` seconds of a stage that runs that long, with the count, the
    rate and the time left, and one when it ends; a short run writes nothing."""

    def __init__(self, enabled: bool, log_every: float | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        #: Whether stderr is a terminal that shows progress (and what else a user watching
        #: it is told).
        self.enabled = enabled
        self.open_line = False
        self.log_every = log_every
        self.clock = clock
        #: The stage being logged: its name, when it started, and when a line was last
        #: written (None: none yet).
        self._logged: tuple[str, float, float | None] | None = None

    @classmethod
    def for_stderr(cls, quiet: bool) -> StderrProgress:
        """Progress as stderr can show it: rewritten on a terminal, logged elsewhere,
        none when ``quiet``."""
        if quiet:
            return cls(False)
        return cls(True) if sys.stderr.isatty() else cls(False, LOG_EVERY)

    def __call__(self, stage: str, done: int, total: int) -> None:
        """Show ``done`` of ``total`` (0: a total not known yet); the line ends when the
        stage is done."""
        if self.log_every is not None:
            self._log(stage, done, total, self.log_every)
        if not self.enabled:
            return
        click.echo(f"\r{stage}: {done}/{total}" if total else f"\r{stage}: {done}...",
                   err=True, nl=False)
        self.open_line = done < total or not total
        if not self.open_line:
            click.echo(err=True)

    def _log(self, stage: str, done: int, total: int, every: float) -> None:
        now = self.clock()
        if self._logged is None or self._logged[0] != stage:
            self._logged = (stage, now, None)
        _, started, last = self._logged
        finished = bool(total) and done >= total
        if finished:
            # A stage may run again under its name (a round of tasks): it starts afresh.
            self._logged = None
            if last is not None:
                click.echo(f"{stage}: {done}/{total} done in {now - started:.0f} s", err=True)
        elif not finished and now - (last if last is not None else started) >= every:
            click.echo(_progress_line(stage, done, total, now - started), err=True)
            self._logged = (stage, started, now)


def _progress_line(stage: str, done: int, total: int, elapsed: float) -> str:
    """``stage: done/total (share), rate a second, time left``, as far as each is known."""
    rate = done / elapsed if elapsed > 0 else 0.0
    if not total:
        return f"{stage}: {done} so far, {rate:,.0f}/s"
    left = f", about {(total - done) / rate:.0f} s left" if rate > 0 else ""
    return f"{stage}: {done}/{total} ({done / total:.0%}), {rate:,.0f}/s{left}"


class Share(click.FloatRange):
    """A number from 0 to 1, as an option takes it: "nan" is not one, though no comparison
    says it is out of range."""

    def __init__(self) -> None:
        super().__init__(0.0, 1.0)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None
                ) -> Any:
        number = super().convert(value, param, ctx)
        if math.isnan(number):
            self.fail(f"{value!r} is not a number from 0 to 1.", param, ctx)
        return number


def format_option(function: F) -> F:
    return click.option("--format", "fmt", type=click.Choice(FORMATS), default="table",
                        show_default=True, help="Output format.")(function)


def strict_option(function: F) -> F:
    return click.option("--strict", is_flag=True, help="Fail (exit 2) on the first unreadable "
                        "input instead of skipping it.")(function)


def quiet_option(function: F) -> F:
    return click.option("--quiet", "-q", is_flag=True,
                        help="No progress on stderr.")(function)


def calibration_option(function: F) -> F:
    return click.option(
        "--calibration", "calibration_path", type=click.Path(dir_okay=False),
        help="Calibration file for verdicts (default: `calibration` in provenance.toml or "
             "[tool.provenance], else the one shipped, fitted on the dev data).")(function)


def index_option(function: F) -> F:
    function = click.option("--no-index", is_flag=True,
                            help="Work in memory: neither read nor update an index.")(function)
    return click.option(
        "--index", "index_path", type=click.Path(dir_okay=False),
        help="The index to keep up to date, so that unchanged articles are not fingerprinted "
             "again (default: .provenance/index.db beside the first PATH).")(function)


ENGINES = ("local", "ray")


def engine_options(function: F) -> F:
    """``--engine`` and what a cluster scan takes: ``--address``, ``--work``,
    ``--partitions``, ``--out-parts``."""
    for option in reversed((
        click.option("--engine", type=click.Choice(ENGINES), default="local", show_default=True,
                     help="Where the scan runs: this machine's processes, or a Ray cluster "
                          "(pip install 'wire-provenance[ray]'). The results are the same."),
        click.option("--address", metavar="ADDR",
                     help="With --engine ray: the cluster's address, or 'auto' for the one "
                          "this machine belongs to (default: a local cluster of --jobs "
                          "processes)."),
        click.option("--work", "work_url", metavar="DIR",
                     help="With --engine ray: where each task's output is checkpointed (a "
                          "folder every node reaches, or s3://..., gs://...); a run "
                          "restarted with the same inputs and parameters resumes from it."),
        click.option("--partitions", type=click.IntRange(min=1),
                     help="With --engine ray: parts the corpus and its keys are cut into "
                          "(default: one per 10,000 articles). The results are the same "
                          "whatever the number."),
        click.option("--out-parts", "parts_url", metavar="DIR",
                     help="With --engine ray --format json: write the JSON document into DIR "
                          "(a folder, or s3://..., gs://...) as ordered parts, each list's "
                          "chunks written by the tasks that render them: `cat "
                          "DIR/part-*.json` is the document. Parts an earlier run left there "
                          "are replaced."),
    )):
        function = option(function)
    return function


def jobs_option(function: F) -> F:
    return click.option(
        "--jobs", "-j", type=click.IntRange(min=1), default=available_cores,
        show_default="all cores", help="Worker processes for reading and judging; the "
        "results are the same whatever the number.")(function)


def say(message: str) -> None:
    """What the library tells the user, on stderr."""
    click.echo(message, err=True)
