from __future__ import annotations

import pytest

from ece.config import Settings


@pytest.fixture
def settings(settings: Settings) -> Settings:
    # Short phases, so a battle runs on a moved clock in a test.
    return settings.model_copy(update={"battle_min_phase_s": 60})
