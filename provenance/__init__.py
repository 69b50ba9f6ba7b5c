"""wire-provenance: find the text news articles share, and where it came from.

The workflows the ``provenance`` command runs, as functions returning result data::

    import provenance

    corpus = provenance.load_corpus(["corpus/"])
    result = provenance.scan(corpus.articles)
    for pair in result.pairs:
        print(pair.verdict.source, pair.verdict.derived, pair.verdict.extent)

Each stage lives in a subpackage (:mod:`.text`, :mod:`.candidates`, :mod:`.attribution`,
:mod:`.verdict`, :mod:`.lineage`, :mod:`.store`, :mod:`.report`, :mod:`.ci`); what is
named here is the supported surface.
"""

from provenance.attribution.agencies import Registry, load_registry
from provenance.attribution.credits import CreditFinder
from provenance.candidates.minhash import minhashes
from provenance.ci.workflow import check, check_folder
from provenance.config import Parameters, Policy, policy_setting
from provenance.errors import (
    ArticleTextError,
    CalibrationError,
    DuplicateIdError,
    IndexDamagedError,
    IndexFileError,
    InputError,
    NotFoundError,
    OutputError,
    ParameterError,
    ProvenanceError,
    SpoolError,
)
from provenance.evaluation import evaluate, read_examples
from provenance.model import (
    AlignedSentence,
    Article,
    ArticleLineage,
    CommonSource,
    Credit,
    Derivation,
    Direction,
    Lineage,
    PairScore,
    Passage,
    Skipped,
    Story,
    Verdict,
)
from provenance.report.files import write_reports
from provenance.results import (
    CheckResult,
    Evaluation,
    Finding,
    IndexUpdate,
    ScanResult,
)
from provenance.scanning import compare, scan, scan_indexed
from provenance.store.index import Index
from provenance.text.corpus import Corpus, as_corpus_ids, load_corpus
from provenance.verdict.models import Calibration, load_calibration

__all__ = [
    "AlignedSentence",
    "Article",
    "ArticleLineage",
    "ArticleTextError",
    "Calibration",
    "CalibrationError",
    "CheckResult",
    "CommonSource",
    "Corpus",
    "Credit",
    "CreditFinder",
    "Derivation",
    "Direction",
    "DuplicateIdError",
    "Evaluation",
    "Finding",
    "Index",
    "IndexDamagedError",
    "IndexFileError",
    "IndexUpdate",
    "InputError",
    "Lineage",
    "NotFoundError",
    "OutputError",
    "PairScore",
    "ParameterError",
    "Parameters",
    "Passage",
    "Policy",
    "ProvenanceError",
    "Registry",
    "ScanResult",
    "Skipped",
    "SpoolError",
    "Story",
    "Verdict",
    "as_corpus_ids",
    "check",
    "check_folder",
    "compare",
    "evaluate",
    "load_calibration",
    "load_corpus",
    "load_registry",
    "minhashes",
    "policy_setting",
    "read_examples",
    "scan",
    "scan_indexed",
    "write_reports",
]
