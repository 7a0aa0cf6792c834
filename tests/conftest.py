"""Shared fixtures. Tests that need the shared corpus find it through SKILLKIT_CORPUS, which
defaults to ../shared/corpus (beside the checkout) when that folder exists: without it they
skip locally but fail in CI (CI must never silently skip them)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus"

# Set for the whole session (subprocesses too), so the README's bare `pytest` runs them.
if not os.environ.get("SKILLKIT_CORPUS") and DEFAULT_CORPUS.is_dir():
    os.environ["SKILLKIT_CORPUS"] = str(DEFAULT_CORPUS)


def _require(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (required when CI is set)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def corpus() -> Path:
    value = os.environ.get("SKILLKIT_CORPUS")
    if not value:
        _require("SKILLKIT_CORPUS is not set")
    path = Path(value).resolve()  # type: ignore[arg-type]
    if not (path / "skills").is_dir():
        _require(f"SKILLKIT_CORPUS={value} has no skills/ folder")
    return path


@pytest.fixture(scope="session")
def corpus_skills(corpus: Path) -> Path:
    return corpus / "skills"


@pytest.fixture(scope="session")
def own_skills() -> Path:
    return REPO / "skills"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """`tmp_path` as the working folder, with no skillkit setting leaking in from the caller's
    environment (a CI runner may export them)."""
    monkeypatch.chdir(tmp_path)
    for var in ("SKILLKIT_OUTPUT_FORMAT", "SKILLKIT_CACHE_DIR", "NO_COLOR", "FORCE_COLOR"):
        monkeypatch.delenv(var, raising=False)
    return tmp_path
