"""How well credits and lineage recover a labelled dataset's provenance.

A folder holds ``articles.jsonl`` (with each article's ``outlet``) and ``pairs.jsonl``
(source, derived, label). Two tables:

- **credits**: per outlet that the agency registry knows (the agencies' own articles), the
  share whose text carries a wire credit to that agency;
- **lineage**: per label, the share of derived articles whose lineage names their paired
  source as their source, and what their lineage says.

    python benchmarks/lineage.py ../shared/datasets/counter-dev
"""

from __future__ import annotations

import argparse
import json
from collections import Counter

from labelled import labelled_folder
from tabulate import tabulate

from provenance.attribution.agencies import load_registry
from provenance.scanning import scan
from provenance.text.corpus import load_corpus


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=labelled_folder)
    options = parser.parse_args()
    registry = load_registry()
    articles = load_corpus([options.folder / "articles.jsonl"]).articles
    result = scan(articles, registry=registry)

    found: dict[str, list[bool]] = {}
    for article in articles:
        agency = registry.lookup(article.outlet)
        if agency:
            credited = any(c.wire and c.agency == agency.name
                           for c in result.credits.get(article.id, ()))
            found.setdefault(article.outlet, []).append(credited)
    rows = [[outlet, len(hits), sum(hits), f"{sum(hits) / len(hits):.3f}"]
            for outlet, hits in sorted(found.items(), key=lambda item: -len(item[1]))]
    every = [hit for hits in found.values() for hit in hits]
    rows.append(["all", len(every), sum(every), f"{sum(every) / max(len(every), 1):.3f}"])
    print(tabulate(rows, headers=["agency outlet", "articles", "credit found", "share"],
                   disable_numparse=True))
    print()

    by_label: dict[str, list[tuple[bool, str]]] = {}
    for line in (options.folder / "pairs.jsonl").read_text(encoding="utf-8").splitlines():
        labelled = json.loads(line)
        lineage = result.lineage.of(labelled["derived"])
        by_label.setdefault(labelled["label"], []).append(
            (lineage.source == labelled["source"], lineage.kind))
    rows = []
    for label, outcomes in sorted(by_label.items()):
        kinds = Counter(kind for _, kind in outcomes)
        points = sum(hit for hit, _ in outcomes)
        rows.append([label, len(outcomes), points, f"{points / len(outcomes):.3f}",
                     ", ".join(f"{kind} {count}" for kind, count in sorted(kinds.items()))])
    print(tabulate(rows, headers=["label", "derived articles", "source found", "share",
                                  "lineage"], disable_numparse=True))


if __name__ == "__main__":
    main()
