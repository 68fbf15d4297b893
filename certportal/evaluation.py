
"""Inputs of the yearly evaluation of the service standard and the SOP (seed 003 item 14, seed 001 item 14).

The evaluation is recorded by the schemes app (which holds the service standard); its inputs come from apps the
schemes app may not import (the satisfaction survey and the complaint statistics live in complaints). Each app
registers a provider here at start-up; the evaluation asks for every provider's figures for a year and keeps them
as a snapshot, so the record shows what the meeting saw even after late answers arrive.

    evaluation.register("complaints.skm", provider)   # provider(year) -> {"title": str, "lines": [str, ...]}
"""

from collections.abc import Callable
from typing import Any

from certportal.registry import ExtensionPoint

INPUTS: ExtensionPoint[Any] = ExtensionPoint("core.evaluation_input", "provider(year) -> {\"title\": str, \"lines\": [str, ...]}, keyed "
                        "by a name: an input of the yearly evaluation of the service standard and the SOP", keyed=True)


def register(key: str, provider: Callable[[int], dict]) -> None:
    INPUTS.provide(provider, key=key)


def inputs_for(year: int) -> list[dict]:
    """Every registered provider's figures for ``year``: ``[{"key", "title", "lines"}]`` in registration order."""
    return [{"key": key, **provider(year)} for key, provider in INPUTS.by_key().items()]
