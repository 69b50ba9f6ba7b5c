"""Scan parameters: defaults, and validation of values a user sets."""

from __future__ import annotations

import tomllib
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal, get_args

from provenance.errors import ParameterError


@dataclass(frozen=True)
class Parameters:
    """The knobs of a scan. The defaults are the documented, measured ones."""

    #: Words per shingle. Five-word runs rarely repeat by chance in news prose.
    shingle_size: int = 5
    #: MinHash permutations, and the seed that fixes them (datasketch's default seed).
    num_perm: int = 128
    seed: int = 1
    #: LSH banding: ``bands * rows`` must not exceed ``num_perm``. With 32 x 4 a pair is a
    #: candidate with probability 1 - (1 - J^4)^32: 0.49 at Jaccard 0.38, 0.99 at 0.6.
    bands: int = 32
    rows: int = 4
    #: Containment index: a shingle is sampled when its hash falls in the lowest
    #: ``1 / sample_rate`` of the hash range, the same rule in every article, so two
    #: articles sharing m shingles share about m / sample_rate samples whatever their sizes.
    sample_rate: int = 4
    #: The index keeps a coarser sample (one shingle hash in this many, by the same rule, so
    #: a subset of the scan's): enough for `check` to find reuse of 40 or more words, and
    #: what keeps the index under 2 KB per article.
    index_sample_rate: int = 8
    #: Samples two articles must share to become a candidate pair.
    min_shared_samples: int = 2
    #: Samples found in more articles than this are page furniture or stock phrases, not reuse.
    max_sample_articles: int = 200
    #: A pair is reported when the shorter-side containment or the Jaccard reaches this.
    min_containment: float = 0.1
    #: Shared runs at most this many words apart are merged into one passage.
    max_gap: int = 3
    #: Rewrite candidates: each article is indexed by its this many rarest words (found in at
    #: least two articles), and pairs sharing ``rewrite_min_shared`` of them are judged.
    rewrite_keys: int = 32
    rewrite_min_shared: int = 3
    #: A rewrite candidate (sharing rare words but no sampled shingle) is judged only if the
    #: IDF-weighted share of one article's words found in the other reaches this. Set from
    #: the dev data: no pair COUNTER's scan reports is below 0.195; unrelated pairs of one
    #: language sit near 0.18, and chance coincidences of rare words in a large corpus lower.
    rewrite_min_containment: float = 0.15
    #: Each article is judged against at most this many best source candidates (and as
    #: many of the highest up among those explaining half of it): see
    #: :func:`candidates.best_source_candidates`. None: against every candidate, every
    #: related pair listed (what a dedup wants).
    source_candidates: int | None = 4

    def __post_init__(self) -> None:
        checks = [
            (self.shingle_size >= 1, "shingle_size must be at least 1"),
            (self.num_perm >= 1, "num_perm must be at least 1"),
            (self.bands >= 1 and self.rows >= 1, "bands and rows must be at least 1"),
            (
                self.bands * self.rows <= self.num_perm,
                f"bands x rows ({self.bands} x {self.rows}) exceeds num_perm ({self.num_perm})",
            ),
            (self.sample_rate >= 1, "sample_rate must be at least 1"),
            (self.index_sample_rate >= self.sample_rate,
             "index_sample_rate must be at least sample_rate (the index keeps a subset of "
             "the scan's samples)"),
            (self.min_shared_samples >= 1, "min_shared_samples must be at least 1"),
            (self.max_sample_articles >= 2, "max_sample_articles must be at least 2"),
            (0.0 <= self.min_containment <= 1.0, "min_containment must be between 0 and 1"),
            (self.max_gap >= 0, "max_gap must not be negative"),
            (self.rewrite_keys >= 1, "rewrite_keys must be at least 1"),
            (self.rewrite_min_shared >= 1, "rewrite_min_shared must be at least 1"),
            (0.0 <= self.rewrite_min_containment <= 1.0,
             "rewrite_min_containment must be between 0 and 1"),
            (self.source_candidates is None or self.source_candidates >= 1,
             "source_candidates must be at least 1, or None for every candidate"),
        ]
        for ok, message in checks:
            if not ok:
                raise ParameterError(message)

    def as_dict(self) -> dict[str, float | int | None]:
        """The parameters as plain values, for reports."""
        return asdict(self)


SETTINGS_FILE = "provenance.toml"
#: The keys settings may hold: anything else is a typo, which would otherwise leave the
#: default in force without a word.
SETTINGS_KEYS = ("agencies", "calibration", "corpus", "policy")

#: What a policy rule does when it matches: fail the check (exit 1), warn, or nothing.
Action = Literal["fail", "warn", "ignore"]


@dataclass(frozen=True)
class Policy:
    """What `provenance check` fails on and what it only warns about."""

    #: A new article that (nearly) repeats an existing one, without crediting its agency.
    duplicate: Action = "fail"
    #: The same, crediting the agency: a credited wire reprint.
    credited_duplicate: Action = "warn"
    #: A new article taking at least ``uncredited_share`` of its text from an existing one
    #: without crediting that text's agency.
    uncredited_reuse: Action = "fail"
    #: Any other reuse: credited, or below the share.
    reuse: Action = "warn"
    #: Share of the new article's words in sentences aligned to the uncredited source.
    uncredited_share: float = 0.3
    #: Jaccard of the two articles, or share of the new one's 5-word runs in the existing
    #: one, at which the new article is a duplicate.
    duplicate_similarity: float = 0.8

    def __post_init__(self) -> None:
        for rule in ("duplicate", "credited_duplicate", "uncredited_reuse", "reuse"):
            if getattr(self, rule) not in get_args(Action):
                raise ParameterError(f"policy: {rule} must be one of "
                                     + ", ".join(get_args(Action)))
        for name in ("uncredited_share", "duplicate_similarity"):
            value = getattr(self, name)
            # A bool is an int to Python, but `true` is no share.
            if (not isinstance(value, int | float) or isinstance(value, bool)
                    or not 0.0 <= value <= 1.0):
                raise ParameterError(f"policy: {name} must be a number between 0 and 1")


def policy_setting(start: Path | None = None) -> Policy:
    """The policy of the nearest settings (``[policy]`` in provenance.toml, or
    ``[tool.provenance.policy]``), defaults for what it leaves out."""
    settings = find_settings(start)
    if settings is None or "policy" not in settings[1]:
        return Policy()
    return _policy(settings[0], settings[1]["policy"])


def _policy(path: Path, table: object) -> Policy:
    """The policy that ``table``, read from the settings file ``path``, sets."""
    if not isinstance(table, dict):
        raise ParameterError(f"{path}: policy must be a table")
    known = set(Policy.__dataclass_fields__)
    unknown = sorted(set(table) - known)
    if unknown:
        raise ParameterError(f"{path}: unknown policy key(s) {', '.join(unknown)} "
                             f"(expected {', '.join(sorted(known))})")
    try:
        return Policy(**table)
    except ParameterError as err:
        raise ParameterError(f"{path}: {err}") from err


def corpus_setting(start: Path | None = None) -> Path | None:
    """The corpus folder named by the nearest settings (``corpus = "path"``), if any."""
    settings = find_settings(start)
    if settings is None or "corpus" not in settings[1]:
        return None
    return settings[0].parent / str(settings[1]["corpus"])


def calibration_setting(start: Path | None = None) -> Path | None:
    """The calibration file named by the nearest settings, if any.

    Settings are ``provenance.toml`` (top-level keys) or the ``[tool.provenance]`` table of a
    ``pyproject.toml``, in ``start`` (the working directory by default) or its nearest parent
    that has either. The key ``calibration`` is a path relative to the settings file.
    """
    settings = find_settings(start)
    if settings is None or "calibration" not in settings[1]:
        return None
    return settings[0].parent / str(settings[1]["calibration"])


def find_settings(start: Path | None = None) -> tuple[Path, dict[str, Any]] | None:
    """The nearest settings file and its provenance settings."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        own = folder / SETTINGS_FILE
        if own.is_file():
            return own, _validated(own, _read_toml(own))
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            tool = _read_toml(pyproject).get("tool", {})
            if not isinstance(tool, dict):
                raise ParameterError(f"{pyproject}: `tool` must be a table ([tool])")
            table = tool.get("provenance")
            if table is not None:
                if not isinstance(table, dict):
                    raise ParameterError(f"{pyproject}: [tool.provenance] must be a table")
                return pyproject, _validated(pyproject, table)
    return None


def _validated(path: Path, settings: dict[str, Any]) -> dict[str, Any]:
    """``settings`` (read from ``path``), once they hold only :data:`SETTINGS_KEYS`, paths
    as strings and a valid policy: a command finds a mistake in them before its work, not
    after it (the agencies are read, and checked, as the registry)."""
    unknown = sorted(set(settings) - set(SETTINGS_KEYS))
    if unknown:
        raise ParameterError(f"{path}: unknown setting(s) {', '.join(unknown)} (expected "
                             f"{', '.join(SETTINGS_KEYS)})")
    for key in ("calibration", "corpus"):
        if key in settings and not isinstance(settings[key], str):
            raise ParameterError(f"{path}: {key} must be a path, as a string")
    if "policy" in settings:
        _policy(path, settings["policy"])
    return settings


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise ParameterError(f"{path}: cannot read settings ({err})") from err
