"""One trained Analyzer per test session (the default one, from the on-disk model cache)."""

from __future__ import annotations

import pytest

from kefu import nlu


@pytest.fixture(scope="session")
def analyzer() -> nlu.Analyzer:
    return nlu.default_analyzer()
