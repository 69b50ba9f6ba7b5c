"""Credits: the attributions an article carries, found by where they sit and how they read.

Five kinds, each a general rule over the article body (page furniture already blanked):

- **dateline**: a line opening with a place and date, then agencies in parentheses:
  ``TOKYO (AP) —``, ``NEW DELHI, Jan 3 (Reuters) -``, ``Lahore (APP):``,
  an Urdu place and date then ``(اے پی پی)``; only in the first lines of the article;
- **sign-off**: an agency closing the article: a last line ``- ANI`` or ``(PTI)``, a last
  paragraph ending ``... said. —IANS``, or ``(With inputs from agencies)``;
- **byline**: ``By NAME, Associated Press`` at the top, or ``AP contributed to this report``;
- **copyright**: ``Copyright 2025 The Associated Press``, ``© AFP``;
- **citation**: a news organisation named as the source of a fact in running text:
  ``according to the Associated Press``, ``as reported by Kyodo News``, ``reported The Japan
  Times``, ``Reuters reported``, ``اے پی پی کے مطابق``. The organisation is a registered
  agency or a capitalised name ending in a media word (``Times``, ``Post``, ``News`` ...).

The first four credit the text as wire copy; a citation does not.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property

from .agencies import EXACT_CASE_LENGTH, Registry, without_article
from .model import Credit, CreditKind

#: Datelines are looked for in this many first non-blank lines, sign-offs in this many last.
OPENING_LINES = 5
CLOSING_LINES = 3
#: A dateline's place and date before the parentheses: at most this many words.
DATELINE_LEAD_WORDS = 8
#: How far before its anchor (``contributed``, ``reported``) a name is looked for, in
#: characters: a long agency name and a few words of a contribution line.
NAME_WINDOW = 160
#: Lower-case words this short may sit in a place name (``Rio de Janeiro``).
PARTICLE_LETTERS = 3
#: Words that end the name of a news organisation (``The Japan Times``, ``Gulf News``).
MEDIA_WORDS = (
    "Times", "Post", "News", "Press", "Herald", "Journal", "Tribune", "Gazette", "Chronicle",
    "Express", "Mail", "Daily", "Agency", "Television", "TV", "Radio", "Broadcasting",
    "Network", "Media", "Today", "Observer", "Mirror", "Standard", "Shimbun", "Magazine",
    "Weekly", "Bulletin", "Courier", "Globe", "Inquirer", "Dispatch", "Telegraph", "Guardian",
    "Monitor", "Star", "Sun", "Wire",
)
_CITING_VERBS = r"reported|reports|said|says|quoted|cited|indicated|indicating|learned|wrote"
#: Character classes: hyphen, en and em dash; straight and curly apostrophe; closing quotes.
_DASH = r"[-\u2013\u2014]"
_APOSTROPHE = r"'\u2019"
_CLOSING = r"\"\u201d\u2019"
_WORD = re.compile(r"[^\W_]+(?:[-'][^\W_]+)*")
#: For ASCII text: letters and digits kept, every other byte a separator; and the same with
#: letters lowered.
_ASCII_ALNUM = bytes(byte if chr(byte).isalnum() and byte < 128 else 32 for byte in range(256))
_ASCII_LOWER_ALNUM = _ASCII_ALNUM.lower()
#: Separators between agencies in one credit: ``(AP/Reuters)``, ``(آئی این پی+ آن لائن)``.
_LIST_SEPARATOR = re.compile(r"\s*(?:[/,،+&]|\band\b)\s*")


@dataclass(frozen=True)
class _Line:
    start: int
    text: str

    @property
    def end(self) -> int:
        return self.start + len(self.text)


def _is_place_and_date(lead: str) -> bool:
    """True when the text before a dateline's parentheses can be a place and a date: a few
    words, none a lower-case Latin word longer than a particle (``de``, ``al``)."""
    words = lead.split()
    return len(words) <= DATELINE_LEAD_WORDS and not any(
        word[0].isascii() and word[0].islower() and len(word.strip(".,")) > PARTICLE_LETTERS
        for word in words)


class CreditFinder:
    """Finds credits with the patterns of one registry (compiled once, used for many texts)."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry

    @cached_property
    def _names(self) -> tuple[str, str, str]:
        """Regular expressions of an agency, of a generic credit word, and of a news
        organisation's name (capitalised words ending in a media word)."""
        media = (rf"(?:[Tt]he\s+)?(?:[A-Z][\w&.{_APOSTROPHE}-]*\s+){{0,4}}(?:"
                 + "|".join(MEDIA_WORDS) + r")(?!\w)")
        return self.registry.pattern(), self.registry.generic_pattern(), media

    @cached_property
    def _patterns(self) -> dict[str, re.Pattern[str]]:
        agency, generic, media = self._names
        named = rf"(?:the\s+|The\s+)?(?P<name>{agency}|{media})"
        either = rf"(?P<name>{agency}|{generic})"
        return {
            "dateline": re.compile(rf"\((?P<inside>[^()\n]{{1,80}})\)(?:\s*(?:{_DASH}+|:))?"),
            "sign-off line": re.compile(
                rf"^\s*{_DASH}*\s*\(?\s*(?P<inside>(?:{agency}|{generic})"
                rf"(?:\s*[/,+]\s*(?:{agency}|{generic}))*)\s*\)?\s*$"),
            "sign-off end": re.compile(
                rf"(?:(?<=[\s.!?{_CLOSING}]){_DASH}+\s*|\(\s*){either}\s*\)?\s*$"),
            "inputs": re.compile(
                rf"\(?\s*(?i:with\s+(?:additional\s+)?inputs?\s+from)\s+(?:the\s+)?{either}"
                r"\s*\)?"),
            "byline": re.compile(
                rf"^\s*(?i:by)\s+[A-Z][\w.{_APOSTROPHE}-]*(?:\s+[A-Z][\w.{_APOSTROPHE}-]*){{0,3}}"
                rf"\s*(?:,|\||{_DASH}|of|for)"
                rf"\s*(?:the\s+|The\s+)?(?P<name>{agency})(?!\w)"),
            "copyright": re.compile(
                r"(?:(?i:copyright)\s*(?:©|\([cC]\))?|©)\s*(?:\d{4}(?:\s*-\s*\d{4})?\s*,?\s*)?"
                rf"(?:the\s+|The\s+)?(?P<name>{agency})(?!\w)"),
            # A citing phrase, then the organisation: "according to the Associated Press".
            "citation": re.compile(
                rf"(?<!\w)(?i:according\s+to|(?:as\s+)?(?:reported|quoted|cited|told|said)"
                rf"(?:\s+as\s+saying)?\s+by|reported|told|citing|quoting|said|wrote)\s+{named}"),
        }

    @cached_property
    def _name_first(self) -> dict[str, tuple[re.Pattern[str], re.Pattern[str]]]:
        """Credits whose name comes first, as (anchor, name just before it): the anchor is
        cheap to find, and the costly name alternation is tried only in a window before it."""
        agency, _, media = self._names
        return {
            # "AP contributed to this report", "Associated Press writer X contributed ...".
            "contribution": (
                re.compile(r"\s+contributed(?:\s+to\s+(?:this|the)\s+(?:report|story)"
                           r"|\s+reporting)"),
                re.compile(rf"(?<!\w)(?:the\s+|The\s+)?(?P<name>{agency})"
                           rf"(?:\s+[\w.{_APOSTROPHE}-]+){{0,8}}?$")),
            # The organisation, then a reporting verb: "Reuters reported", "Kyodo News said".
            "citation subject": (
                re.compile(rf"(?:\s+(?i:news\s+agency))?\s+(?:{_CITING_VERBS})(?!\w)"),
                re.compile(rf"(?<!\w)(?:the\s+|The\s+)?(?P<name>{agency}|{media})$")),
            # Urdu: "اے پی پی کے مطابق" (according to APP), "... نے بتایا" (... told).
            "citation urdu": (
                re.compile(r"\s+(?:کے\s+مطابق|نے\s+بتایا|کی\s+رپورٹ)"),
                re.compile(rf"(?<!\w)(?P<name>{agency})$")),
        }

    @cached_property
    def _triggers(self) -> tuple[frozenset[str], frozenset[str]]:
        """Words one of which every credit contains: the first word (after "the") of each
        agency form, generic word and media word; short forms with their case, the rest
        folded."""
        forms = [form for agency in self.registry.agencies for form in agency.forms]
        firsts = [without_article(form).split()[0]
                  for form in [*forms, *self.registry.generic, *MEDIA_WORDS]]
        return (frozenset(w for w in firsts if len(w) <= EXACT_CASE_LENGTH),
                frozenset(w.casefold() for w in firsts if len(w) > EXACT_CASE_LENGTH))

    @cached_property
    def _ascii_triggers(self) -> tuple[frozenset[bytes], frozenset[bytes]]:
        """The first run of letters and digits of each ASCII trigger word: exact, and
        folded (lowered)."""
        def first_runs(words: frozenset[str]) -> frozenset[bytes]:
            runs = (word.encode().translate(_ASCII_ALNUM).split() for word in words
                    if word.isascii())
            return frozenset(first for first, *_ in filter(None, runs))

        exact, folded = self._triggers
        return first_runs(exact), first_runs(folded)

    @cached_property
    def lowered_ascii_triggers(self) -> frozenset[bytes]:
        """The first runs of the ASCII trigger words, lowered. An ASCII text holds a credit
        only if one of its words (lowered runs of letters and digits, as
        :func:`shingle.word_bytes` reads them) is among these and :meth:`opens_trigger` says
        so of the word as the text has it: whoever has the words of many texts hashed
        already can tell most texts without a credit at once."""
        exact, folded = self._ascii_triggers
        return frozenset(run.lower() for run in exact | folded)

    def opens_trigger(self, run: str) -> bool:
        """Is ``run``, a run of ASCII letters and digits as a text has it, the first run of a
        trigger word (short forms in their case, the rest in any)?"""
        exact, folded = self._ascii_triggers
        data = run.encode("ascii")
        return data in exact or data.lower() in folded

    def _may_credit(self, body: str) -> bool:
        if body.isascii():
            # A word of an ASCII text starts with a whole run of letters and digits, so a
            # text none of whose runs opens a trigger word has none: two byte passes tell
            # most articles apart many times faster than splitting the text into words.
            data = body.encode("ascii")
            exact_runs, folded_runs = self._ascii_triggers
            if (exact_runs.isdisjoint(data.translate(_ASCII_ALNUM).split())
                    and folded_runs.isdisjoint(data.translate(_ASCII_LOWER_ALNUM).split())):
                return False
        return self._has_trigger_word(body)

    def _has_trigger_word(self, body: str) -> bool:
        exact, folded = self._triggers
        words = set(_WORD.findall(body))
        return not exact.isdisjoint(words) or not folded.isdisjoint(
            word.casefold() for word in words)

    def find(self, text: str, body: str | None = None) -> tuple[Credit, ...]:
        """The credits of an article, in text order; ``body`` is ``text`` with furniture
        blanked (same offsets), searched in its place when given."""
        body = text if body is None else body
        if not self._may_credit(body):
            return ()  # no word any credit needs: found in one pass
        lines = [_Line(m.start(), m.group()) for m in re.finditer(r"[^\n]*\S[^\n]*", body)]
        wire = [*self._datelines(lines[:OPENING_LINES]),
                # The first line is a title or an opening, never a sign-off.
                *self._sign_offs(lines[max(1, len(lines) - CLOSING_LINES):]),
                *self._bylines(lines[:OPENING_LINES], body),
                *self._matches("copyright", "copyright", body),
                *self._names_before("contribution", "byline", body)]
        taken = [(credit.start, credit.end) for credit in wire]
        found = [*self._matches("citation", "citation", body),
                 *self._names_before("citation subject", "citation", body),
                 *self._names_before("citation urdu", "citation", body)]
        citations = [credit for credit in found
                     if not any(start < credit.end and credit.start < end
                                for start, end in taken)]
        unique = {(c.start, c.end, c.kind, c.name): c for c in [*wire, *citations]}
        return tuple(sorted(unique.values(), key=lambda c: (c.start, c.end, c.kind, c.name)))

    def _datelines(self, lines: list[_Line]) -> Iterator[Credit]:
        for line in lines:
            # The place may hold parentheses of its own: "بھوانہ (چنیوٹ)/ سرگودھا (اے پی پی)".
            for match in self._patterns["dateline"].finditer(line.text):
                lead = line.text[:match.start()]
                if not _is_place_and_date(lead):
                    break  # running text, not a dateline
                credits = [credit for name in _LIST_SEPARATOR.split(match.group("inside").strip())
                           if (credit := self._credit("dateline", name, line.start,
                                                      line.start + match.end(),
                                                      line.text[:match.end()]))]
                if credits:
                    yield from credits
                    break

    def _sign_offs(self, lines: list[_Line]) -> Iterator[Credit]:
        for line in lines:
            whole = self._patterns["sign-off line"].match(line.text)
            if whole:
                for name in _LIST_SEPARATOR.split(whole.group("inside").strip()):
                    credit = self._credit("sign-off", name, line.start, line.end, line.text)
                    if credit:
                        yield credit
                continue
            for key in ("sign-off end", "inputs"):
                for match in self._patterns[key].finditer(line.text):
                    credit = self._credit("sign-off", match.group("name"),
                                          line.start + match.start(), line.start + match.end(),
                                          match.group())
                    if credit:
                        yield credit

    def _bylines(self, opening: list[_Line], body: str) -> Iterator[Credit]:
        for line in opening:
            match = self._patterns["byline"].match(line.text)
            if match:
                credit = self._credit("byline", match.group("name"), line.start + match.start(),
                                      line.start + match.end(), match.group().strip())
                if credit:
                    yield credit

    def _matches(self, pattern: str, kind: CreditKind, body: str) -> Iterator[Credit]:
        for match in self._patterns[pattern].finditer(body):
            credit = self._credit(kind, match.group("name"), match.start(), match.end(),
                                  match.group())
            if credit:
                yield credit

    def _names_before(self, pattern: str, kind: CreditKind, body: str) -> Iterator[Credit]:
        anchor, name_before = self._name_first[pattern]
        for match in anchor.finditer(body):
            window = max(0, match.start() - NAME_WINDOW)
            name = name_before.search(body, window, match.start())
            if name:
                credit = self._credit(kind, name.group("name"), name.start(), match.end(),
                                      body[name.start():match.end()])
                if credit:
                    yield credit

    def _credit(self, kind: CreditKind, name: str, start: int, end: int,
                text: str) -> Credit | None:
        """A credit to ``name`` if it names an agency (or, in a citation, a news outlet, or,
        in a wire credit, unnamed agencies)."""
        name = without_article(" ".join(name.split()))
        agency = self.registry.lookup(name)
        if agency is None and kind != "citation" and not self.registry.is_generic(name):
            return None
        # Trim the span to the credit itself, without surrounding space.
        lead = len(text) - len(text.lstrip())
        text = text.strip()
        return Credit(kind, name, agency.name if agency else None, start + lead,
                      start + lead + len(text), text)
