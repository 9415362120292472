"""Rustici's real golf samples from ../shared/packages/ (never copied into the repo), and what a SCO
commits, for the sequencing engine's tests."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from courseport.core.packages import sequencing as seq

PACKAGE_FOLDERS = [Path(__file__).resolve().parents[3].parent / "shared" / "packages"]


def manifest(name: str) -> bytes:
    found = next((folder / name for folder in PACKAGE_FOLDERS if (folder / name).exists()), None)
    if found is None:
        pytest.skip(f"{name} is not in shared/packages on this machine")
    with zipfile.ZipFile(found) as package:
        return package.read("imsmanifest.xml")


def tree(name: str) -> seq.ActivityTree:
    return seq.parse_tree(manifest(name))


def passed(score: float | None = None) -> dict[str, str]:
    return _result("passed", score)


def failed(score: float | None = None) -> dict[str, str]:
    return _result("failed", score)


def completed() -> dict[str, str]:
    return {"cmi.completion_status": "completed"}


def _result(success: str, score: float | None) -> dict[str, str]:
    cmi = {"cmi.completion_status": "completed", "cmi.success_status": success}
    if score is not None:
        cmi["cmi.score.scaled"] = str(score)
    return cmi


def step(tree: seq.ActivityTree, state: dict, request: str, target: str | None = None) -> seq.Outcome:
    """A navigation request that must not be refused; checks the state stays plain JSON."""
    outcome = seq.navigate(tree, state, request, target)
    assert outcome.refused is None, outcome.refused
    assert json.loads(json.dumps(outcome.state)) == outcome.state
    return outcome
