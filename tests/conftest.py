"""Shared fixtures: the bundled article and the optional ../shared development data."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "raw" / "iran-offers-iraq-everything-it-needs.txt"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def seed_path() -> Path:
    return SEED


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not (SHARED / "data").is_dir():
        pytest.skip("../shared development data not available")
    return SHARED


@pytest.fixture(scope="session")
def seed_analysis():
    import analysis

    return analysis.analyze(SEED)
