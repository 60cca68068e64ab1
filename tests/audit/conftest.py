from __future__ import annotations

import pytest
from fastapi import FastAPI

from ece.core.db import Database


@pytest.fixture
def db(app: FastAPI) -> Database:
    database: Database = app.state.services.db
    return database
