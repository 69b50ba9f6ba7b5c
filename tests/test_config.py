from __future__ import annotations

import pytest

from provenance.config import Parameters
from provenance.errors import ParameterError


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"shingle_size": 0}, "shingle_size"),
        ({"bands": 64, "rows": 4}, "exceeds num_perm"),
        ({"min_containment": 1.5}, "between 0 and 1"),
        ({"sample_rate": 0}, "sample_rate"),
        ({"max_gap": -1}, "max_gap"),
    ],
)
def test_invalid_parameters_say_what_is_wrong(changes: dict[str, float], message: str) -> None:
    with pytest.raises(ParameterError, match=message):
        Parameters(**changes)  # type: ignore[arg-type]


def test_defaults_are_valid_and_reported() -> None:
    assert Parameters().as_dict()["shingle_size"] == 5
