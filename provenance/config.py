"""Scan parameters: defaults, and validation of values a user sets."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from .errors import ParameterError


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
    #: Samples two articles must share to become a candidate pair.
    min_shared_samples: int = 2
    #: Samples found in more articles than this are page furniture or stock phrases, not reuse.
    max_sample_articles: int = 200
    #: A pair is reported when the shorter-side containment or the Jaccard reaches this.
    min_containment: float = 0.1
    #: Shared runs at most this many words apart are merged into one passage.
    max_gap: int = 3

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
            (self.min_shared_samples >= 1, "min_shared_samples must be at least 1"),
            (self.max_sample_articles >= 2, "max_sample_articles must be at least 2"),
            (0.0 <= self.min_containment <= 1.0, "min_containment must be between 0 and 1"),
            (self.max_gap >= 0, "max_gap must not be negative"),
        ]
        for ok, message in checks:
            if not ok:
                raise ParameterError(message)

    def as_dict(self) -> dict[str, float | int]:
        """The parameters as plain values, for reports."""
        return asdict(self)
