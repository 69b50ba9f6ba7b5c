"""The registry of news agencies: who a credit line can name, in every spelling we know.

The built-in registry is ``data/agencies.toml``; a user's settings (``provenance.toml`` or
``[tool.provenance]``) may add ``[[agencies]]`` entries, merged by name. Matching ignores case
except for forms of four characters or fewer, which must match exactly: ``AP`` and ``dpa`` are
credits, ``ap`` and ``Dpa`` are not words anyone credits. An agency's *ambiguous* forms are
also ordinary words (``Online``, ``共同`` "joint"): they too match only with their exact case,
and the credit finder looks for them only where nothing but a credit stands (a dateline's
parentheses, a sign-off). A *release* agency is a press-release wire (PR Newswire): it
distributes companies' releases, not news.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any

from provenance.config import find_settings
from provenance.errors import ParameterError

#: Forms this short (``AP``, ``PTI``, ``dpa``) are matched with their exact case.
EXACT_CASE_LENGTH = 4


@dataclass(frozen=True)
class Agency:
    """A news agency: its canonical name and the other forms a credit line may use."""

    name: str
    short: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    #: Forms that are also ordinary words: credits only where nothing else can stand.
    ambiguous: tuple[str, ...] = ()
    #: A press-release wire: its credits say the text is a company's release.
    release: bool = False

    @property
    def forms(self) -> tuple[str, ...]:
        """Every form that names this agency wherever a credit may stand (not the
        ambiguous ones)."""
        return (self.name, *self.short, *self.aliases)


@dataclass(frozen=True)
class Registry:
    """Known agencies, plus the words that credit agencies without naming one."""

    agencies: tuple[Agency, ...]
    #: ``agencies``, ``news agencies`` ...: a credit to wire copy from unnamed agencies.
    generic: tuple[str, ...] = ()

    def lookup(self, form: str) -> Agency | None:
        """The agency ``form`` names exactly (``AP``, ``the Associated Press``, ``Online``),
        if any."""
        form = without_article(form.strip())
        return self._exact_index.get(form) or self._folded_index.get(form.casefold())

    @cached_property
    def release_wires(self) -> frozenset[str]:
        """The names of the press-release wires."""
        return frozenset(agency.name for agency in self.agencies if agency.release)

    def is_generic(self, form: str) -> bool:
        """True when ``form`` credits unnamed agencies (``agencies``)."""
        return form.strip().casefold() in {word.casefold() for word in self.generic}

    def pattern(self, ambiguous: bool = False) -> str:
        """A regular expression matching any agency form (and, if asked, any ambiguous
        form), longest forms first."""
        forms = {form: is_exact_case(form) for agency in self.agencies for form in agency.forms}
        if ambiguous:
            forms.update((form, True) for agency in self.agencies for form in agency.ambiguous)
        ordered = sorted(forms, key=lambda form: (-len(form), form))
        return "(?:" + "|".join(_form_pattern(form, forms[form]) for form in ordered) + ")"

    def generic_pattern(self) -> str:
        """A regular expression matching any generic credit word."""
        words = sorted(self.generic, key=lambda word: (-len(word), word))
        return "(?i:" + "|".join(re.escape(word) for word in words) + ")"

    def merged(self, entries: Iterable[Mapping[str, Any]], where: str) -> Registry:
        """This registry with ``entries`` added: a known name gains forms, a new name is
        appended."""
        agencies = {agency.name: agency for agency in self.agencies}
        for entry in entries:
            agency = _agency(entry, where)
            known = agencies.get(agency.name)
            if known:
                agency = Agency(known.name, _union(known.short, agency.short),
                                _union(known.aliases, agency.aliases),
                                _union(known.ambiguous, agency.ambiguous),
                                known.release or agency.release)
            agencies[agency.name] = agency
        return Registry(tuple(agencies.values()), self.generic)

    @cached_property
    def _exact_index(self) -> dict[str, Agency]:
        return {form: agency for agency in self.agencies
                for form in (*filter(is_exact_case, agency.forms), *agency.ambiguous)}

    @cached_property
    def _folded_index(self) -> dict[str, Agency]:
        return {form.casefold(): agency for agency in self.agencies for form in agency.forms
                if not is_exact_case(form)}


def is_exact_case(form: str) -> bool:
    """True when the (unambiguous) agency form ``form`` matches only with its exact case."""
    return len(form) <= EXACT_CASE_LENGTH


def without_article(form: str) -> str:
    """``form`` without a leading "the" (``The Associated Press`` -> ``Associated Press``)."""
    return form[4:] if form[:4].casefold() == "the " else form


def _form_pattern(form: str, exact_case: bool) -> str:
    escaped = re.escape(form).replace(r"\ ", r"\s+")
    return escaped if exact_case else f"(?i:{escaped})"


def _union(first: Sequence[str], second: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys([*first, *second]))


def _agency(entry: Mapping[str, Any], where: str) -> Agency:
    name = entry.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ParameterError(f"{where}: every agency needs a `name` (a string)")
    lists = {}
    for key in ("short", "aliases", "ambiguous"):
        value = entry.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise ParameterError(f"{where}: agency {name!r}: `{key}` must be a list of strings")
        lists[key] = tuple(value)
    release = entry.get("release", False)
    if not isinstance(release, bool):
        raise ParameterError(f"{where}: agency {name!r}: `release` must be true or false")
    unknown = set(entry) - {"name", "short", "aliases", "ambiguous", "release"}
    if unknown:
        raise ParameterError(f"{where}: agency {name!r}: unknown key(s) "
                             + ", ".join(sorted(unknown))
                             + " (expected name, short, aliases, ambiguous, release)")
    return Agency(name.strip(), lists["short"], lists["aliases"], lists["ambiguous"], release)


def builtin_registry() -> Registry:
    """The registry shipped with the package."""
    text = resources.files("provenance").joinpath("data/agencies.toml").read_text("utf-8")
    data = tomllib.loads(text)
    base = Registry((), tuple(data.get("generic", ())))
    return base.merged(data.get("agency", []), "provenance/data/agencies.toml")


def load_registry(start: Path | None = None) -> Registry:
    """The built-in registry extended by the ``agencies`` of the nearest settings."""
    registry = builtin_registry()
    settings = find_settings(start)
    if settings is None or "agencies" not in settings[1]:
        return registry
    path, values = settings
    entries = values["agencies"]
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise ParameterError(f"{path}: `agencies` must be an array of tables ([[agencies]])")
    return registry.merged(entries, str(path))
