from __future__ import annotations

import re
from pathlib import Path

import pytest

from provenance.attribution.agencies import builtin_registry, load_registry
from provenance.errors import ParameterError


def test_short_forms_match_their_case_and_long_forms_any_case() -> None:
    registry = builtin_registry()
    assert registry.lookup("AP").name == "Associated Press"  # type: ignore[union-attr]
    assert registry.lookup("ap") is None
    assert registry.lookup("dpa").name == "Deutsche Presse-Agentur"  # type: ignore[union-attr]
    assert registry.lookup("the associated press").name == "Associated Press"  # type: ignore[union-attr]
    assert registry.lookup("REUTERS").name == "Reuters"  # type: ignore[union-attr]
    assert registry.lookup("The Japan Times") is None


def test_the_registry_knows_agency_credits_in_other_scripts() -> None:
    registry = builtin_registry()
    assert registry.lookup("اے پی پی").name == "Associated Press of Pakistan"  # type: ignore[union-attr]
    assert registry.lookup("共同通信").name == "Kyodo News"  # type: ignore[union-attr]
    assert registry.is_generic("news agencies") and registry.is_generic("نیوز ایجنسیاں")
    assert not registry.is_generic("Reuters")


def test_ambiguous_forms_match_only_their_exact_case() -> None:
    # "Online" is an agency in "(Online)" and an English word elsewhere: the registry knows
    # it only as written, and leaves it out of the pattern used in running text.
    registry = builtin_registry()
    online = "Online International News Network"
    assert registry.lookup("Online").name == online  # type: ignore[union-attr]
    assert registry.lookup("آن لائن").name == online  # type: ignore[union-attr]
    assert registry.lookup("online") is None and registry.lookup("ONLINE") is None
    assert registry.lookup("共同").name == "Kyodo News"  # type: ignore[union-attr]
    assert re.fullmatch(registry.pattern(ambiguous=True), "Online")
    assert not re.fullmatch(registry.pattern(ambiguous=True), "online")
    assert not re.fullmatch(registry.pattern(), "Online")


def test_press_release_wires_are_registered_as_such() -> None:
    registry = builtin_registry()
    wires = {form: registry.lookup(form) for form in ("PRNewswire", "BUSINESS WIRE",
                                                      "GLOBE NEWSWIRE", "Reuters")}
    assert {form: (a.name, a.release) for form, a in wires.items() if a} == {
        "PRNewswire": ("PR Newswire", True), "BUSINESS WIRE": ("Business Wire", True),
        "GLOBE NEWSWIRE": ("GlobeNewswire", True), "Reuters": ("Reuters", False)}


def test_settings_add_agencies_and_forms(tmp_path: Path) -> None:
    (tmp_path / "provenance.toml").write_text(
        '[[agencies]]\nname = "Reuters"\naliases = ["Reuter"]\n\n'
        '[[agencies]]\nname = "Wire Example"\nshort = ["WEX"]\n', encoding="utf-8")
    registry = load_registry(tmp_path)
    assert registry.lookup("Reuter").name == "Reuters"  # type: ignore[union-attr]
    assert registry.lookup("Thomson Reuters").name == "Reuters"  # type: ignore[union-attr]
    assert registry.lookup("WEX").name == "Wire Example"  # type: ignore[union-attr]
    assert len(registry.agencies) == len(builtin_registry().agencies) + 1


def test_settings_add_ambiguous_forms_and_release_wires(tmp_path: Path) -> None:
    (tmp_path / "provenance.toml").write_text(
        '[[agencies]]\nname = "Jiji Press"\nambiguous = ["JIJI"]\n\n'
        '[[agencies]]\nname = "Acme Wire"\naliases = ["AcmeWire"]\nrelease = true\n',
        encoding="utf-8")
    registry = load_registry(tmp_path)
    jiji = registry.lookup("JIJI")
    assert jiji is not None and jiji.ambiguous == ("時事", "JIJI")
    assert registry.lookup("時事通信") == jiji  # the built-in forms are kept
    acme = registry.lookup("acmewire")
    assert acme is not None and acme.release


@pytest.mark.parametrize("entry, message", [
    ('[[agencies]]\nshort = ["X"]\n', "needs a `name`"),
    ('[[agencies]]\nname = "X"\naliases = "Y"\n', "`aliases` must be a list"),
    ('[[agencies]]\nname = "X"\ncountry = "Y"\n', "unknown key(s) country"),
    ('[[agencies]]\nname = "X"\nrelease = "yes"\n', "`release` must be true or false"),
    ('[[agencies]]\nname = "X"\nambiguous = "Y"\n', "`ambiguous` must be a list"),
    ('agencies = "AP"\n', "must be an array of tables"),
])
def test_malformed_agency_settings_say_what_is_wrong(tmp_path: Path, entry: str,
                                                     message: str) -> None:
    (tmp_path / "provenance.toml").write_text(entry, encoding="utf-8")
    with pytest.raises(ParameterError, match=r"provenance\.toml") as error:
        load_registry(tmp_path)
    assert message in str(error.value)
