"""The regular expressions credits are read with, built once for a registry of agencies:
each kind of credit line, the names that come first (``Reuters reported``), and the
character classes and words they are made of."""

from __future__ import annotations

import re
from functools import cached_property

from provenance.attribution.agencies import Registry

#: Words that end the name of a news organisation (``The Japan Times``, ``Gulf News``).
MEDIA_WORDS = (
    "Times", "Post", "News", "Press", "Herald", "Journal", "Tribune", "Gazette", "Chronicle",
    "Express", "Mail", "Daily", "Agency", "Television", "TV", "Radio", "Broadcasting",
    "Network", "Media", "Today", "Observer", "Mirror", "Standard", "Shimbun", "Magazine",
    "Weekly", "Bulletin", "Courier", "Globe", "Inquirer", "Dispatch", "Telegraph", "Guardian",
    "Monitor", "Star", "Sun", "Wire",
)
CITING_VERBS = r"reported|reports|said|says|quoted|cited|indicated|indicating|learned|wrote"
#: Words that open a date, not an outlet's name ("published on March 3").
DATE_WORD = (r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Mon|Tue|Tues|Wed|Thu"
             r"|Thur|Thurs|Fri|Sat|Sun)[a-z]*\b")
#: Words one of which every republication credit holds ("first appeared", "courtesy of").
REPUBLICATION_WORDS = ("appeared", "published", "ran", "posted", "republished", "reprinted",
                       "courtesy")
#: What may follow an attribution's agency: a reporting verb, or a report it was in.
INTRODUCING = r"reported|reports|wrote|writes|said|says|report|dispatch|story"
#: Words opening where or when it reported (``from Geneva``, ``late on Tuesday``).
WHERE_OR_WHEN = (r"from|in|on|at|late|early|earlier|later|last|this|yesterday|today|tonight"
                 r"|(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day")
#: Character classes: hyphen, en and em dash; straight and curly apostrophe; closing quotes;
#: opening quotes (and an e-mail's quoting ">"), which open a quoted paragraph; ASCII and
#: full-width parentheses.
DASH = r"[-\u2013\u2014]"
APOSTROPHE = r"'\u2019"
CLOSING = r"\"\u201d\u2019"
OPENING = "\"'\u201c\u201e\u00ab\u2018\u300c\u300e>"
OPEN_PAREN = r"[(\uff08]"
CLOSE_PAREN = r"[)\uff09]"
#: Scripts written without spaces between words (Chinese, Japanese): their forms are
#: looked for as they are, not as words.
UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


class CreditPatterns:
    """The patterns of one registry, compiled when first asked for."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry

    @cached_property
    def names(self) -> tuple[str, str, str, str]:
        """Regular expressions of an agency, of an agency in any form (the ambiguous ones
        too), of a generic credit word, and of a news organisation's name (capitalised words
        ending in a media word)."""
        media = (rf"(?:[Tt]he\s+)?(?:[A-Z][\w&.{APOSTROPHE}-]*\s+){{0,4}}(?:"
                 + "|".join(MEDIA_WORDS) + r")(?!\w)")
        return (self.registry.pattern(), self.registry.pattern(ambiguous=True),
                self.registry.generic_pattern(), media)

    @cached_property
    def by_kind(self) -> dict[str, re.Pattern[str]]:
        agency, any_form, generic, media = self.names
        named = rf"(?:the\s+|The\s+)?(?P<name>{agency}|{media})"
        # Where nothing but a credit can stand, an agency may be named in any form.
        either = rf"(?P<name>{any_form}|{generic})"
        listed = rf"(?:{any_form}|{generic})(?:\s*[/,+、・]\s*(?:{any_form}|{generic}))*"
        person = rf"[A-Z][\w.{APOSTROPHE}-]*(?:\s+[A-Z][\w.{APOSTROPHE}-]*){{0,3}}"
        unspaced = "|".join(map(re.escape, sorted(self.unspaced_forms, key=len, reverse=True)))
        return {
            # Each opens with a literal character, which the engine finds fast (full-width
            # parentheses are made ASCII first: see _enclosures).
            "dateline": re.compile(rf"\((?P<inside>[^()\n]{{1,80}})\)(?:\s*(?:{DASH}+|:))?"),
            "dateline slashed": re.compile(rf"/(?P<inside>[^/()\n]{{1,60}})/\s*{DASH}+"),
            # The agency with the place, in Japanese and Chinese: "【ワシントン共同】",
            # "新华社北京3月5日电".
            "dateline with place": re.compile(
                rf"\s*(?:【[^【】\n]{{0,20}}?(?P<bracketed>{any_form})】"
                rf"|(?P<cabled>{unspaced})[^\n\uff0c\u3002,]{{1,24}}?\d{{1,2}}\s*日\s*[电電])"),
            "sign-off line": re.compile(
                rf"^\s*{DASH}*\s*{OPEN_PAREN}?\s*(?:(?i:with|from)\s+)?(?P<inside>{listed})"
                rf"\s*{CLOSE_PAREN}?\s*$"),
            "sign-off end": re.compile(
                rf"(?:(?<=[\s.!?\u3002{CLOSING}]){DASH}+\s*|{OPEN_PAREN}\s*){either}"
                rf"\s*{CLOSE_PAREN}?\s*$"),
            # "(With inputs from agencies)", "(With AFP inputs)".
            "inputs": re.compile(
                rf"\(?\s*(?i:with\s+(?:additional\s+)?inputs?\s+from)\s+(?:the\s+)?{either}"
                r"\s*\)?"),
            "inputs after": re.compile(
                rf"\(?\s*(?i:with)\s+(?:the\s+)?{either}\s+(?i:inputs?)\s*\)?"),
            # A line of its own: "By" and names, the agency, at most a job title, and what
            # follows a bar or a dash (a date); "By Tuesday, AP had reported" is a sentence.
            "byline": re.compile(
                rf"^\s*(?i:by)\s+(?:{person}(?:\s*(?:,|&|\band\b)\s*{person}){{0,3}}"
                rf"(?:\s*(?:,|\||{DASH}|\bof\b|\bfor\b)\s*|\s+))?"
                rf"(?:the\s+|The\s+)?(?P<name>{agency})(?!\w)"
                rf"(?:(?:\s+[A-Za-z][\w-]*){{0,2}}?"
                r"\s+(?i:writers?|correspondents?|reporters?|staff|editors?))?"
                rf"(?=\s*(?:(?:\||{DASH}).*)?$)"),
            # A short line at the top naming the paper's writers, then the agency they
            # worked with: "By staff writers, with AAP", "By JANE DOE and agencies", "Staff
            # and agencies".
            "byline with": re.compile(
                rf"^\s*(?:(?i:by)\s+{person}(?:\s*(?:,|&|\band\b)\s*{person}){{0,3}}"
                rf"|(?:(?i:by)\s+)?(?i:(?:our\s+)?(?:staff(?:\s+(?:writers?|reporters?))?"
                rf"|correspondents?|reporters?|news\s+desk|bureau)))"
                rf"\s*,?\s+(?i:with|and|&)\s+(?:the\s+|The\s+)?(?P<name>{agency}|{generic})"
                r"\s*$"),
            # A line of its own, the story's writers then "contributed.": "Associated Press
            # writers Nicole Winfield in Rome and Frances D'Emilio contributed."
            "contribution line": re.compile(
                rf"^\s*(?:the\s+|The\s+)?(?P<name>{agency})(?:\s+[\w{APOSTROPHE}-]+){{0,12}}"
                r"\s+contributed\.?\s*$"),
            # The agency alone on a line at the top, or before a bar or a dash and a date:
            # "Reuters", "PTI | Updated: Mar 12, 2026", "The Associated Press".
            "agency line": re.compile(
                rf"^\s*(?:the\s+|The\s+)?(?P<name>{agency})(?!\w)"
                rf"\s*(?:(?:\||{DASH}|[,\u00b7\u2022])\s*[^\n]*)?$"),
            # A closing line naming where the text came from: "Source: ANI", "Source: Acme
            # Robotics via PR Newswire".
            "source line": re.compile(
                r"^\s*\(?\s*(?i:sources?)\s*:\s*(?P<rest>[^\n]{1,160}?)\s*\)?$"),
            # "Additional reporting by Reuters" (names of people are no agency's).
            "reporting by": re.compile(
                rf"^\s*(?i:(?:additional\s+)?reporting\s+by)\s+(?:the\s+|The\s+)?"
                rf"(?P<name>{agency})(?!\w)"),
            "agency": re.compile(rf"(?<!\w)(?:the\s+|The\s+)?(?P<name>{agency})(?!\w)"),
            # Another outlet published it first: "This article first appeared on X",
            # "originally published in X", "Republished with permission from X".
            "republication": re.compile(
                r"(?i:(?:(?:was\s+)?(?:first|originally)\s+(?:appeared|published|ran|posted)"
                r"|(?:republished|reprinted)(?:\s+with\s+(?:the\s+)?permission)?|courtesy)"
                r"\s*(?:in|on|by|from|of|:)\s+)(?:the\s+|The\s+)?"
                rf"(?!{DATE_WORD})(?P<name>[A-Z][\w&{APOSTROPHE}-]*"
                rf"(?:[ \t]+(?:[A-Z][\w&{APOSTROPHE}-]*|of|and|&|de|du|el|la))*)"),
            "copyright": re.compile(
                r"(?:(?i:copyright)\s*(?:©|\([cC]\))?|©)\s*(?:\d{4}(?:\s*-\s*\d{4})?\s*,?\s*)?"
                rf"(?:the\s+|The\s+)?(?P<name>{agency})(?!\w)"),
            # A citing phrase, then the organisation: "according to the Associated Press".
            "citation": re.compile(
                rf"(?<!\w)(?i:according\s+to|(?:as\s+)?(?:reported|quoted|cited|told|said)"
                rf"(?:\s+as\s+saying)?\s+by|reported|told|citing|quoting|said|wrote)\s+{named}"),
        }

    @cached_property
    def name_first(self) -> dict[str, tuple[re.Pattern[str], re.Pattern[str]]]:
        """Credits whose name comes first, as (anchor, name just before it): the anchor is
        cheap to find, and the costly name alternation is tried only in a window before it."""
        agency, _, _, media = self.names
        return {
            # "AP contributed to this report", "Associated Press writer X contributed ...".
            "contribution": (
                re.compile(r"\s+contributed(?:\s+to\s+(?:this|the)\s+(?:report|story|article)"
                           r"|\s+reporting)"),
                re.compile(rf"(?<!\w)(?:the\s+|The\s+)?(?P<name>{agency})"
                           rf"(?:\s+[\w.{APOSTROPHE}-]+){{0,12}}?$")),
            # The organisation, then a reporting verb: "Reuters reported", "Kyodo News said".
            "citation subject": (
                re.compile(rf"(?:\s+(?i:news\s+agency))?\s+(?:{CITING_VERBS})(?!\w)"),
                re.compile(rf"(?<!\w)(?:the\s+|The\s+)?(?P<name>{agency}|{media})$")),
            # Urdu: "اے پی پی کے مطابق" (according to APP), "... نے بتایا" (... told).
            "citation urdu": (
                re.compile(r"\s+(?:کے\s+مطابق|نے\s+بتایا|کی\s+رپورٹ)"),
                re.compile(rf"(?<!\w)(?P<name>{agency})$")),
            # Japanese and Chinese: "共同通信によると" (according to Kyodo), "据新华社报道"
            # (as Xinhua reported).
            "citation unspaced": (
                re.compile(r"(?:の報道)?(?:によると|によれば)|(?:报道|報道)(?![组組员員部])"),
                re.compile(rf"(?P<name>{self.unambiguous_unspaced})$")),
            # A phrase ending in a colon, or at a line's end before a quoted paragraph:
            # "As AFP reported from Geneva:", "According to a Reuters report:". It needs a
            # lead ("according to", "reported by") or what follows the agency (a verb, a
            # report): see _attributions.
            "attribution": (
                re.compile(rf"(?P<colon>:)|\n(?=\s*[{OPENING}])"),
                re.compile(
                    r"(?<!\w)(?:(?P<lead>(?i:according\s+to)\s+(?:(?i:an?|the)\s+)?"
                    r"|(?i:(?:as\s+)?reported\s+by)\s+(?:the\s+|The\s+)?)"
                    r"|(?:(?i:as)\s+)?(?:the\s+|The\s+)?)"
                    rf"(?P<name>{agency})(?:\s+(?i:news\s+agency))?(?:\s*\([^()\n]{{1,12}}\))?"
                    rf"(?P<verb>\s+(?:{INTRODUCING}))?"
                    rf"(?:\s+(?:{WHERE_OR_WHEN})(?:\s+(?!that\b|what\b|how\b|whether\b)"
                    rf"[\w.,{APOSTROPHE}-]+){{0,4}})?(?:\s+that)?(?P<tail>[ \t]*,?[ \t]*)$")),
        }

    @cached_property
    def unambiguous_unspaced(self) -> str:
        """A regular expression of the unambiguous forms written without spaces (共同通信, not
        共同, "joint"), longest first; one that matches nothing where there are none."""
        forms = sorted({form for agency in self.registry.agencies for form in agency.forms
                        if UNSPACED.search(form)}, key=lambda form: (-len(form), form))
        return "|".join(map(re.escape, forms)) or "(?!)"

    @cached_property
    def unspaced_forms(self) -> tuple[str, ...]:
        """The forms written in a script without spaces (新华社, 共同), which a text holds as
        part of a longer run of letters."""
        return tuple(form for agency in self.registry.agencies
                     for form in (*agency.forms, *agency.ambiguous) if UNSPACED.search(form))
