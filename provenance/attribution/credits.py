"""Credits: the attributions an article carries, found by where they sit and how they read.

Eight kinds, each a general rule over the article body (page furniture already blanked):

- **dateline**: a line opening with a place and date, then agencies in parentheses (ASCII or
  full-width): ``TOKYO (AP) —``, ``NEW DELHI, Jan 3 (Reuters) -``, ``SRINAGAR, Jan 5 (PTI)``,
  ``Lahore (APP):``, an Urdu place and date then ``(اے پی پی)`` or ``(آن لائن)``; or the agency
  with the place: Japanese ``【ワシントン共同】``, Chinese ``新华社北京3月5日电`` (agency, place,
  date, "cable"); only in the first lines of the article;
- **sign-off**: an agency closing the article: a last line ``- ANI``, ``(PTI)`` or ``With
  AFP``, a last paragraph ending ``... said. —IANS`` or ``...発表した。（共同）``, ``(With
  inputs from agencies)``, ``(With AFP inputs)``, ``Source: ANI``, ``(Source: Xinhua)``;
- **byline**: a line of its own at the top, ``By NAME, Associated Press`` or ``By NAME
  Associated Press`` (names, the agency, at most a job title: ``Associated Press Writer``),
  ``By The Associated Press``, ``By staff writers, with AAP``, ``Staff and agencies``; or
  ``AP contributed to this report``, ``Additional reporting by Reuters``;
- **copyright**: ``Copyright 2025 The Associated Press``, ``© AFP``;
- **release**: a press-release wire's dateline (``SAN JOSE, Calif., March 3, 2026
  /PRNewswire/ --``, ``SAN FRANCISCO--(BUSINESS WIRE)--``, ``(GLOBE NEWSWIRE) --``) or any
  other of the kinds above naming a press-release wire; and a release's closing ``SOURCE
  Acme Robotics, Inc.``, named after the company, whose agency is the wire of the article's
  release dateline (none without one);
- **attribution**: a phrase introducing wire text, ending in a colon or followed by a quoted
  paragraph: ``As AFP reported from Geneva:``, ``AFP reported:``, ``According to a Reuters
  report:``, ``Reuters reported on Tuesday:``; it ``covers`` the text it introduces (see
  :func:`_introduced`); or the lead paragraph naming the agency whose story it tells
  (``..., Xinhua reported.``, ``according to Reuters``), which credits the article;
  a lead saying its story comes from a news release (``according to a news release Acme
  issued``) is a release credit, through whichever wire carried the release;
- **citation**: a news organisation named as the source of a fact in running text:
  ``according to the Associated Press``, ``as reported by Kyodo News``, ``reported The Japan
  Times``, ``Reuters reported``, ``اے پی پی کے مطابق``. The organisation is a registered
  agency or a capitalised name ending in a media word (``Times``, ``Post``, ``News`` ...);
- **republication**: another outlet published the text first: ``This article first appeared
  on X``, ``originally published in X``, ``Republished with permission from X``,
  ``courtesy of X``; the outlet is named whether or not it is an agency.

All but a citation and a republication credit the text as wire copy (a republication credits
it as another outlet's, and settles which of the two came first): a release is a company's
text distributed by the wire, reprinted as it came. An agency's ambiguous forms (``Online``,
``共同``), ordinary words too, are looked for only in datelines and sign-offs, with their
exact case.
"""

from __future__ import annotations

import dataclasses
import heapq
import itertools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property

from provenance.attribution.agencies import Registry, is_exact_case, without_article
from provenance.attribution.patterns import (
    MEDIA_WORDS,
    OPENING,
    REPUBLICATION_WORDS,
    UNSPACED,
    CreditPatterns,
)
from provenance.model import Credit, CreditKind

#: A line blanked as page furniture of at most this many words, naming an agency, is given
#: back to be searched for credits (a sign-off, a byline).
CREDIT_LINE_WORDS = 12
#: Datelines are looked for in this many first non-blank lines, sign-offs in this many last.
OPENING_LINES = 5
CLOSING_LINES = 3
#: A story's paragraphs have at least this many characters; the lines after its last one
#: (up to this many) are its closing matter, where a sign-off may sit above related links
#: and a footer.
PARAGRAPH_CHARS = 80
CLOSING_LINES_AFTER_STORY = 8
#: A sign-off ends its paragraph: it is looked for in this many last characters of a line.
SIGN_OFF_CHARS = 100
#: A dateline's place and date before the parentheses: at most this many words, and this many
#: characters (a paragraph of a script written without spaces is one long "word").
DATELINE_LEAD_WORDS = 8
DATELINE_LEAD_CHARS = 60
#: An attribution introduces at most this many paragraphs (see :func:`_introduced`).
QUOTED_PARAGRAPHS = 6
#: How far before its anchor (``contributed``, ``reported``) a name is looked for, in
#: characters: a long agency name and a few words of a contribution line.
NAME_WINDOW = 160
#: A lead paragraph has at least this many words (a title, a byline or a dateline line fewer).
LEAD_WORDS = 12
#: A lead's words for a story taken from a company's release: "according to a news release",
#: "said in a press release" (not a release mentioned: "criticised it in a press release").
_RELEASE_IN_LEAD = re.compile(
    r"(?i:(?:according\s+to|said\s+in|announced\s+in|stated\s+in)\s+(?:a|the|its|their)\s+"
    r"(?:news|press)\s+release)")
#: What a sentence ends with: a full stop (Latin, CJK, Urdu), a question or exclamation
#: mark, maybe inside a closing quotation mark.
_SENTENCE_END = re.compile("[.\u3002\u06d4!?\uff01\uff1f][\"\u201d\u2019\u300d]?$")
#: A lead credits its agency at the end of a clause: "..., Xinhua reported." or "according to
#: Reuters, ..." (at most this many words after it, "on Tuesday"), not as the subject of its
#: news ("AFP said on Tuesday it would cut 50 jobs").
LEAD_CREDIT_TAIL_WORDS = 3
_CLAUSE_END = re.compile("[.,;:\u3001\u3002\uff0c\u060c\u06d4]")
#: The citing words with which a lead names the agency whose story it tells: not a quote
#: given to it ("told AFP") or taken from it ("quoted by Kyodo").
_LEAD_CREDIT = re.compile(r"(?i:according\s+to|reported|reports|said|says|wrote|citing)"
                          r"|کے\s+مطابق|کی\s+رپورٹ|によると|によれば|报道|報道")
#: Lower-case words this short may sit in a place name (``Rio de Janeiro``).
PARTICLE_LETTERS = 3
#: A release's closing line names the company: ``SOURCE Acme Robotics, Inc.``.
_RELEASE_SOURCE = re.compile(r"\s*(?P<line>SOURCE\s+(?P<name>[A-Z0-9][^\n]{0,79}?))\s*$")
#: Words that join an outlet's name to what follows it ("first appeared in X and is
#: republished ..."), not part of it when they end it.
_CONNECTORS_AFTER = re.compile(r"(?:\s+(?:of|and|&|de|du|el|la))+$")
_WORD = re.compile(r"[^\W_]+(?:[-'][^\W_]+)*")
#: For ASCII text: letters and digits kept, every other byte a separator; and the same with
#: letters lowered.
_ASCII_ALNUM = bytes(byte if chr(byte).isalnum() and byte < 128 else 32 for byte in range(256))
_ASCII_LOWER_ALNUM = _ASCII_ALNUM.lower()
#: Separators between agencies in one credit: ``(AP/Reuters)``, ``(آئی این پی+ آن لائن)``,
#: ``（共同・時事）``.
_LIST_SEPARATOR = re.compile(r"\s*(?:[/,،+&、・]|\band\b)\s*")


@dataclass(frozen=True)
class _Line:
    start: int
    text: str

    @property
    def end(self) -> int:
        return self.start + len(self.text)


def _is_place_and_date(lead: str) -> bool:
    """True when the text before a dateline's parentheses can be a place and a date: a few
    words, none a lower-case Latin word longer than a particle (``de``, ``al``), and no
    full sentence (``。``)."""
    words = lead.split()
    return (len(words) <= DATELINE_LEAD_WORDS and len(lead) <= DATELINE_LEAD_CHARS
            and "\u3002" not in lead and not any(
                word[0].isascii() and word[0].islower()
                and len(word.strip(".,")) > PARTICLE_LETTERS for word in words))


def _continues_quotation(line: _Line) -> bool:
    """True when a paragraph opens with a quotation mark or is indented: the next paragraph
    of a quotation, not the outlet's own."""
    return line.text[0].isspace() or line.text[0] in OPENING


def _introduced(lines: Sequence[_Line], end: int) -> tuple[int, int] | None:
    """The text an attribution ending at ``end`` introduces: the rest of its paragraph, or
    else the next paragraph; then each next paragraph that continues a quotation (see
    :func:`_continues_quotation`), :data:`QUOTED_PARAGRAPHS` in all at most. Paragraphs are
    the non-blank lines; the span runs from the block's first letter to its last."""
    following = [line for line in lines if line.end > end]
    if following and not following[0].text[max(0, end - following[0].start):].strip():
        following = following[1:]  # the phrase ends its paragraph
    if not following:
        return None
    block = following[:QUOTED_PARAGRAPHS]
    taken = 1 + next((n for n, line in enumerate(block[1:]) if not _continues_quotation(line)),
                     len(block) - 1)
    first, last = block[0], block[taken - 1]
    rest = first.text[max(0, end - first.start):]
    return first.end - len(rest.lstrip()), last.start + len(last.text.rstrip())


def _closing(lines: list[_Line]) -> list[_Line]:
    """The lines a sign-off may stand in: the last :data:`CLOSING_LINES`, and every line
    after the story's last paragraph (related links and a footer may follow its credit), up
    to :data:`CLOSING_LINES_AFTER_STORY`. The first line is a title or an opening, never a
    sign-off line; but an article of one paragraph may end with a sign-off."""
    last_paragraph = max((n for n, line in enumerate(lines)
                          if len(line.text.strip()) >= PARAGRAPH_CHARS), default=len(lines))
    first = min(len(lines) - CLOSING_LINES, max(last_paragraph + 1,
                                                 len(lines) - CLOSING_LINES_AFTER_STORY))
    return lines[max(1, first):] or lines


def _lead(opening: Sequence[_Line]) -> _Line | None:
    """The article's lead paragraph: its first line of :data:`LEAD_WORDS` words or more
    that ends as a sentence does (a headline does not)."""
    return next((line for line in opening if _words(line.text) >= LEAD_WORDS
                 and _SENTENCE_END.search(line.text.rstrip())), None)


def _words(text: str) -> int:
    """About how many words ``text`` holds: a script written without spaces has about one
    to every two characters."""
    return len(text) // 2 if UNSPACED.search(text) else len(text.split())


def _credited_in_lead(citation: Credit, lead: _Line | None) -> Credit:
    """``citation`` as an attribution of the whole article where it is the lead's, naming a
    news agency as the story's source ("..., Xinhua reported.", "according to Reuters"):
    a rewrite credits the agency whose story it retells there. A quote given to an agency
    ("told Reuters") credits nothing, wherever it stands."""
    if (lead is None or citation.agency is None
            or not lead.start <= citation.start < lead.end
            or not _LEAD_CREDIT.search(citation.text)):
        return citation
    after = lead.text[citation.end - lead.start:]
    clause_end = _CLAUSE_END.search(after)
    if clause_end is None or _words(after[:clause_end.start()]) > LEAD_CREDIT_TAIL_WORDS:
        return citation
    return dataclasses.replace(citation, kind="attribution")


def _release_in_lead(lead: _Line | None) -> list[Credit]:
    """A lead saying the story comes from a news release ("..., according to a news release
    Acme issued Wednesday"): a credit to the release, through whichever wire carried it."""
    match = _RELEASE_IN_LEAD.search(lead.text) if lead else None
    if lead is None or match is None:
        return []
    start = lead.start + match.start()
    return [Credit("release", "news release", None, start, start + len(match.group()),
                   match.group())]


class CreditFinder:
    """Finds credits with the patterns of one registry (compiled once, used for many texts)."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry

    @cached_property
    def _patterns(self) -> CreditPatterns:
        return CreditPatterns(self.registry)

    @cached_property
    def _triggers(self) -> tuple[frozenset[str], frozenset[str]]:
        """Words one of which every credit contains: the first word (after "the") of each
        agency form, generic word and media word, and ``SOURCE``; short and ambiguous forms
        with their case, the rest folded."""
        forms = [form for agency in self.registry.agencies for form in agency.forms]
        firsts = [without_article(form).split()[0]
                  for form in [*forms, *self.registry.generic, *MEDIA_WORDS]]
        ambiguous = [form.split()[0] for agency in self.registry.agencies
                     for form in agency.ambiguous]
        return (frozenset([*filter(is_exact_case, firsts), *ambiguous, "SOURCE"]),
                frozenset([*(w.casefold() for w in firsts if not is_exact_case(w)),
                           *REPUBLICATION_WORDS]))

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
        return (not exact.isdisjoint(words)
                or not folded.isdisjoint(word.casefold() for word in words)
                or any(form in body for form in self._patterns.unspaced_forms))

    def find(self, text: str, body: str | None = None) -> tuple[Credit, ...]:
        """The credits of an article, in text order; ``body`` is ``text`` with furniture
        blanked (same offsets), searched in its place when given."""
        body = text if body is None else self._with_credit_lines(text, body)
        if not self._may_credit(body):
            return ()  # no word any credit needs: found in one pass
        lines = [_Line(m.start(), m.group()) for m in re.finditer(r"[^\n]*\S[^\n]*", body)]
        opening = lines[:OPENING_LINES]
        closing = _closing(lines)
        lead = _lead(opening)
        # A short text's closing lines may be among its first: an agency alone in
        # parentheses there is a sign-off, not a dateline.
        datelines = list(self._datelines([line for line in opening if not (
            line in closing and self._patterns.by_kind["sign-off line"].match(line.text))]))
        wire = [*datelines,
                *self._sign_offs(closing, lines[0]),
                *self._bylines(opening),
                *self._agency_lines(opening, datelines),
                *self._source_lines(closing),
                *self._matches("republication", "republication", body),
                *self._matches("copyright", "copyright", body),
                *self._names_before("contribution", "byline", body),
                *self._closing_matches("reporting by", closing),
                *self._closing_matches("contribution line", closing),
                *self._release_sources(closing, datelines),
                *_release_in_lead(lead),
                *self._attributions(body, lines)]
        taken = [(credit.start, credit.end) for credit in wire]
        found = [*self._matches("citation", "citation", body),
                 *self._names_before("citation subject", "citation", body),
                 *self._names_before("citation urdu", "citation", body),
                 *self._names_before("citation unspaced", "citation", body)]
        citations = [_credited_in_lead(credit, lead) for credit in found
                     if not any(start < credit.end and credit.start < end
                                for start, end in taken)]
        unique = {(c.start, c.end, c.kind, c.name): c for c in [*wire, *citations]}
        return tuple(sorted(unique.values(), key=lambda c: (c.start, c.end, c.kind, c.name)))

    def _with_credit_lines(self, text: str, body: str) -> str:
        """``body`` with the lines of ``text`` it blanked as furniture given back where they
        may be credit lines (short lines naming an agency): a sign-off or a byline every
        reprint of one story carries is a line repeated across the corpus, which furniture
        takes for a template, and it is the very credit lineage needs."""
        if body == text:
            return body
        pieces = []
        at = 0
        for match in re.finditer(r"[^\n]*\S[^\n]*", text):
            start, end = match.span()
            line = match.group()
            if (not body[start:end].strip() and len(line.split()) <= CREDIT_LINE_WORDS
                    and self._may_credit(line)):
                pieces += [body[at:start], line]
                at = end
        return "".join([*pieces, body[at:]])

    def _datelines(self, lines: list[_Line]) -> Iterator[Credit]:
        for line in lines:
            placed = self._patterns.by_kind["dateline with place"].match(line.text)
            credit = placed and self._credit(
                "dateline", placed.group("bracketed") or placed.group("cabled"), line.start,
                line.start + placed.end(), placed.group())
            if credit:
                yield credit
                continue
            # The place may hold parentheses of its own: "بھوانہ (چنیوٹ)/ سرگودھا (اے پی پی)".
            for match in self._enclosures(line.text):
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

    def _enclosures(self, text: str) -> Iterator[re.Match[str]]:
        """The names in parentheses (ASCII or full-width) and between slashes
        (``/PRNewswire/ --``) of a line, in order, found as they are read."""
        # A full-width parenthesis is one character, as an ASCII one is: offsets hold.
        text = text.replace("\uff08", "(").replace("\uff09", ")")
        enclosed = self._patterns.by_kind["dateline"].finditer(text)
        if "/" not in text:
            return enclosed  # most lines: no merge to pay for
        return heapq.merge(enclosed, self._patterns.by_kind["dateline slashed"].finditer(text),
                           key=lambda match: match.start())

    def _sign_offs(self, lines: list[_Line], title: _Line) -> Iterator[Credit]:
        for line in lines:
            whole = line is not title and self._patterns.by_kind["sign-off line"].match(line.text)
            if whole:
                for name in _LIST_SEPARATOR.split(whole.group("inside").strip()):
                    credit = self._credit("sign-off", name, line.start, line.end, line.text)
                    if credit:
                        yield credit
                continue
            tail = max(0, len(line.text) - SIGN_OFF_CHARS)
            for key in ("sign-off end", "inputs", "inputs after"):
                for match in self._patterns.by_kind[key].finditer(line.text, tail):
                    credit = self._credit("sign-off", match.group("name"),
                                          line.start + match.start(), line.start + match.end(),
                                          match.group())
                    if credit:
                        yield credit

    def _closing_matches(self, pattern: str, closing: list[_Line]) -> Iterator[Credit]:
        """Contribution lines among the closing lines (a byline's credit, at the end)."""
        for line in closing:
            match = self._patterns.by_kind[pattern].match(line.text)
            credit = match and self._credit("byline", match.group("name"), line.start,
                                            line.end, line.text)
            if credit:
                yield credit

    def _bylines(self, opening: list[_Line]) -> Iterator[Credit]:
        for n, line in enumerate(opening):
            match = self._patterns.by_kind["byline"].match(line.text)
            if not match and n > 0:  # a title may end "... with AFP"; a byline follows it
                match = self._patterns.by_kind["byline with"].match(line.text)
            if match:
                credit = self._credit("byline", match.group("name"), line.start + match.start(),
                                      line.start + match.end(), match.group().strip())
                if credit:
                    yield credit

    def _agency_lines(self, opening: list[_Line], datelines: list[Credit]
                      ) -> Iterator[Credit]:
        """An agency named alone on a line at the top, as a byline: "Reuters", "PTI |
        Updated: ..." (not a dateline's line, credited already)."""
        dated = {credit.start for credit in datelines}
        # Never the text's only line, nor a line the next continues ("Reuters\nsaid ...").
        for line, after in itertools.pairwise(opening):
            match = self._patterns.by_kind["agency line"].match(line.text)
            if (match and not after.text.lstrip()[:1].islower()
                    and not any(line.start <= start < line.end for start in dated)):
                credit = self._credit("byline", match.group("name"), line.start + match.start(),
                                      line.start + match.end(), match.group())
                if credit:
                    yield credit

    def _source_lines(self, closing: list[_Line]) -> Iterator[Credit]:
        """The agencies a closing ``Source: ...`` line names."""
        for line in closing:
            match = self._patterns.by_kind["source line"].match(line.text)
            if not match:
                continue
            for name in self._patterns.by_kind["agency"].finditer(match.group("rest")):
                credit = self._credit("sign-off", name.group("name"), line.start, line.end,
                                      line.text)
                if credit:
                    yield credit

    def _release_sources(self, closing: list[_Line], datelines: list[Credit]
                         ) -> Iterator[Credit]:
        """A release's ``SOURCE Company`` line: the company's credit, distributed by the wire
        of the release's dateline, if it has one."""
        wire = next((c.agency for c in datelines if c.kind == "release"), None)
        for line in closing:
            match = _RELEASE_SOURCE.match(line.text)
            if match:
                yield Credit("release", match.group("name"), wire, line.start + match.start("line"),
                             line.start + match.end("line"), match.group("line"))

    def _attributions(self, body: str, lines: list[_Line]) -> Iterator[Credit]:
        """Phrases introducing wire text, each with the span of the text it introduces."""
        anchor, phrase_before = self._patterns.name_first["attribution"]
        for match in anchor.finditer(body):
            phrase = phrase_before.search(body, max(0, match.start() - NAME_WINDOW),
                                          match.start())
            if phrase and (phrase.group("lead") or phrase.group("verb")):
                end = match.end() if match.group("colon") else phrase.start("tail")
                credit = self._credit("attribution", phrase.group("name"), phrase.start(), end,
                                      body[phrase.start():end], _introduced(lines, end))
                if credit:
                    yield credit

    def _matches(self, pattern: str, kind: CreditKind, body: str) -> Iterator[Credit]:
        for match in self._patterns.by_kind[pattern].finditer(body):
            credit = self._credit(kind, match.group("name"), match.start(), match.end(),
                                  match.group())
            if credit:
                yield credit

    def _names_before(self, pattern: str, kind: CreditKind, body: str) -> Iterator[Credit]:
        anchor, name_before = self._patterns.name_first[pattern]
        for match in anchor.finditer(body):
            window = max(0, match.start() - NAME_WINDOW)
            name = name_before.search(body, window, match.start())
            if name:
                credit = self._credit(kind, name.group("name"), name.start(), match.end(),
                                      body[name.start():match.end()])
                if credit:
                    yield credit

    def _credit(self, kind: CreditKind, name: str, start: int, end: int, text: str,
                covers: tuple[int, int] | None = None) -> Credit | None:
        """A credit to ``name`` if it names an agency (or, in a citation, a news outlet, or,
        in a wire credit, unnamed agencies); a wire credit naming a press-release wire is a
        release credit, whatever its form."""
        name = without_article(" ".join(name.split()))
        if kind == "republication":  # an outlet's name, as a sentence or clause ends with it
            name = _CONNECTORS_AFTER.sub("", name.rstrip(".,;:"))
        agency = self.registry.lookup(name)
        if (agency is None and kind not in ("citation", "republication")
                and not self.registry.is_generic(name)):
            return None
        if agency is not None and agency.release and kind != "citation":
            kind = "release"
        # Trim the span to the credit itself, without surrounding space.
        lead = len(text) - len(text.lstrip())
        text = text.strip()
        return Credit(kind, name, agency.name if agency else None, start + lead,
                      start + lead + len(text), text, covers)
