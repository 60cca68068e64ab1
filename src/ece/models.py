"""Every table, imported in one place so Alembic and the tests see the whole schema."""

from ece.auth import models as auth_models
from ece.core import idempotency, outbox
from ece.core.db import Base

__all__ = ["Base", "auth_models", "idempotency", "outbox"]
