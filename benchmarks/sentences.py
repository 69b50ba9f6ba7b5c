"""How well sentences are split: our splitter beside sentencex, on hand-marked real text.

``tests/data/sentences.jsonl`` holds real texts in Urdu (COUNTER's agency copy and newspaper
stories) and English (the seed articles, Clough-Stevenson answers), each with its sentences
as a reader marks them: a sentence ends at its full stop, question or exclamation mark (the
Urdu full stop U+06D4 and question mark U+061F too, space after them or not) and at a line
break that ends a line of text (a heading); not at ``U.S.``, ``e.g.`` or ``etc.)`` inside a
sentence, not at the stop of an Urdu dateline (a place name, the stop, the date and the
agency), not at a numbered list's ``1.``, not at a line break inside a hard-wrapped sentence.
For each splitter: precision, recall and F1 of the sentence ends it finds (the end of the
text, which every splitter finds, left out), per language and per set: the ``dev``
texts were read while our rules were written, the ``test`` texts only after, to measure them.

sentencex (``pip install sentencex``) is the rule-based segmenter of ~300 languages from
Wikimedia; where it is not installed, its rows say so.

    python benchmarks/sentences.py
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from pathlib import Path

from tabulate import tabulate

from provenance.text.sentences import sentence_spans

GOLD = Path(__file__).resolve().parent.parent / "tests" / "data" / "sentences.jsonl"

Splitter = Callable[[str, str], Iterable[tuple[int, int]]]


def gold_ends(text: str, sentences: list[str]) -> set[int]:
    """The offsets where the marked sentences end, found in order in ``text``."""
    ends, at = set(), 0
    for sentence in sentences:
        at = text.index(sentence, at) + len(sentence)
        ends.add(at)
    return ends


def ours(text: str, language: str) -> Iterable[tuple[int, int]]:
    """Our splitter's sentence spans."""
    return [(int(start), int(end)) for start, end in sentence_spans(text).tolist()]


def sentencex_spans(text: str, language: str) -> Iterable[tuple[int, int]]:
    """sentencex's sentences as spans of ``text`` (it returns strings), white space trimmed."""
    from sentencex import segment  # optional: measured only where installed

    spans, at = [], 0
    for piece in segment(language, text):
        start = text.find(piece, at) if piece else at
        stripped = piece.strip()
        at = start + len(piece)
        if stripped:
            first = start + piece.index(stripped[0])
            spans.append((first, first + len(stripped)))
    return spans


def scores(found: set[tuple[int, int]], truth: set[tuple[int, int]]
           ) -> tuple[float, float, float]:
    """Precision, recall and F1 of ``found`` ends against ``truth``."""
    hits = len(found & truth)
    precision = hits / len(found) if found else 1.0
    recall = hits / len(truth) if truth else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def measure(splitter: Splitter, texts: list[dict[str, object]], part: str, language: str
            ) -> tuple[int, float, float, float]:
    """Sentences marked, and the splitter's precision, recall and F1 on the texts of one set
    (``part``) and ``language``."""
    found: set[tuple[int, int]] = set()
    truth: set[tuple[int, int]] = set()
    for number, item in enumerate(texts):
        if (item["set"], item["language"]) != (part, language):
            continue
        text, sentences = str(item["text"]), list(item["sentences"])  # type: ignore[call-overload]
        last = len(text.rstrip())
        truth |= {(number, end) for end in gold_ends(text, sentences) if end < last}
        found |= {(number, end) for _, end in splitter(text, language) if end < last}
    return (len(truth), *scores(found, truth))


def main() -> None:
    texts = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines()]
    splitters: dict[str, Splitter] = {"ours": ours, "sentencex": sentencex_spans}
    rows: list[list[object]] = []
    for part, language in sorted({(str(item["set"]), str(item["language"])) for item in texts},
                                 key=lambda key: (key[0], key[1] != "ur")):
        for name, splitter in splitters.items():
            try:
                marked, precision, recall, f1 = measure(splitter, texts, part, language)
            except ImportError:
                rows.append([part, language, name, "-", "not installed", "", ""])
                continue
            rows.append([part, language, name, marked, f"{precision:.3f}", f"{recall:.3f}",
                         f"{f1:.3f}"])
    print(tabulate(rows, headers=["set", "language", "splitter", "sentence ends marked",
                                  "precision", "recall", "F1"],
                   tablefmt="github", disable_numparse=True))


if __name__ == "__main__":
    main()
