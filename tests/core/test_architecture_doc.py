"""docs/architecture.md names every import-linter contract of pyproject.toml with its layers as the contract has
them (the guide described the layers of applicants, complaints and agencies otherwise than the contracts did)."""

import tomllib

from django.conf import settings


def _contracts() -> list[dict]:
    with open(settings.BASE_DIR / "pyproject.toml", "rb") as f:
        return tomllib.load(f)["tool"]["importlinter"]["contracts"]


def _line(contract: dict) -> str:
    return " > ".join(f"`{layer}`" for layer in contract["layers"])


def test_the_architecture_guide_names_each_contract_with_its_layers():
    doc = " ".join((settings.BASE_DIR / "docs" / "architecture.md").read_text(encoding="utf-8").split())
    contracts = _contracts()
    assert len(contracts) >= 8
    for contract in contracts:
        assert f"**{contract['id']}**" in doc, contract["id"]
        assert _line(contract) in doc, f"{contract['id']}: the guide should read {_line(contract)}"


def test_the_guide_lists_every_app_of_the_layers():
    doc = (settings.BASE_DIR / "docs" / "architecture.md").read_text(encoding="utf-8")
    for app in ("schemes", "applicants", "assessments", "complaints", "agencies", "quality"):
        assert f"`{app}/`" in doc, app
