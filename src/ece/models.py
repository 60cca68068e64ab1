"""Every table, imported in one place so Alembic and the tests see the whole schema."""

from ece.auctions import models as auction_models
from ece.audit import models as audit_models
from ece.auth import models as auth_models
from ece.battles import models as battle_models
from ece.cards import models as card_models
from ece.chain import models as chain_models
from ece.compliance import models as compliance_models
from ece.controls import models as control_models
from ece.core import idempotency, outbox
from ece.core.db import Base
from ece.ledger import models as ledger_models
from ece.market import models as market_models
from ece.notifications import models as notification_models
from ece.payments import models as payment_models
from ece.portfolio import models as portfolio_models
from ece.settlement import models as settlement_models
from ece.trades import models as trade_models
from ece.treasury import models as treasury_models

__all__ = [
    "Base",
    "auction_models",
    "audit_models",
    "auth_models",
    "battle_models",
    "card_models",
    "chain_models",
    "compliance_models",
    "control_models",
    "idempotency",
    "ledger_models",
    "market_models",
    "notification_models",
    "outbox",
    "payment_models",
    "portfolio_models",
    "settlement_models",
    "trade_models",
    "treasury_models",
]
