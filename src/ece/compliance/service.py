"""Compliance, the public face. Each name lives in the module named for its use case:

- screening, risk and reviews: ``screening`` (the deny list; sign-in and deposit screens),
  ``assessment`` (``assess``: facts, score, check, review), ``reviews`` (the four-eyes queue);
  the pure rules in ``risk_rules`` and ``screening_rules``.
- post-trade monitoring (``monitoring``: the worker scan that checks every settled sale once,
  its own rules in ``trade_rules``; a rejected trade review flags its users) and four-eyes
  limit overrides (``overrides``: proposed by one officer, applied once another approves).
- KYC and KYB (``kyc.py``, ``limits.py``, ``kyb.py``, ``key_rotation.py``): users' KYC levels
  with personal data sealed at rest (``personal_data.py``), the 24 h limits by level that
  payments and the market check before any hold, and companies' KYB status. Pure decisions are
  in ``kyc_rules.py``; the SQL in ``kyc_repository.py``.

Other domains, the web layer and the CLI import this module only.
"""

from __future__ import annotations

# --- screening, risk and reviews ---------------------------------------------------------------
from ece.compliance.assessment import Assessment, Subject, assess, list_checks

# --- KYC and KYB ---
from ece.compliance.key_rotation import Rotation, rotate_keys
from ece.compliance.kyb import (
    KybStatus,
    KybView,
    companies_with_kyb,
    kyb_status,
    kyb_statuses,
    set_kyb,
)
from ece.compliance.kyc import (
    KycView,
    PersonalData,
    decide_kyc,
    kyc_level,
    kyc_queue,
    my_kyc,
    submit_kyc,
)
from ece.compliance.kyc_rules import Activity, KycDecision, KycStatus, Level
from ece.compliance.limits import (
    PurchaseAllowance,
    check_purchase,
    check_within_limit,
    purchase_allowance,
    purchases_unlimited,
    usdc_equivalent,
)
from ece.compliance.models import (
    ComplianceCheck,
    ComplianceReview,
    Decision,
    DenylistEntry,
    LimitOverride,
    OverrideStatus,
    ReviewStatus,
    SubjectType,
    UserFlag,
)
from ece.compliance.monitoring import (
    check_sale,
    is_flagged,
    list_flags,
    scan_trades,
    unflag_user,
)
from ece.compliance.overrides import get_override, list_overrides, propose_override
from ece.compliance.personal_data import PersonalDataUnreadable, create_development_key
from ece.compliance.reviews import (
    ReviewHandler,
    decide_review,
    get_review,
    list_reviews,
    on_review_decided,
)
from ece.compliance.screening import (
    ImportReport,
    add_to_denylist,
    block_deposit,
    denied,
    import_denylist,
    list_denylist,
    remove_from_denylist,
    screen_signin,
)

# --- end KYC and KYB ---

__all__ = [
    # --- KYC and KYB ---
    "Activity",
    # screening, risk and reviews
    "Assessment",
    "ComplianceCheck",
    "ComplianceReview",
    "Decision",
    "DenylistEntry",
    "ImportReport",
    "KybStatus",
    "KybView",
    "KycDecision",
    "KycStatus",
    "KycView",
    "Level",
    "LimitOverride",
    "OverrideStatus",
    "PersonalData",
    "PersonalDataUnreadable",
    "PurchaseAllowance",
    "ReviewHandler",
    "ReviewStatus",
    "Rotation",
    "Subject",
    "SubjectType",
    "UserFlag",
    "add_to_denylist",
    "assess",
    "block_deposit",
    "check_purchase",
    "check_sale",
    "check_within_limit",
    "companies_with_kyb",
    "create_development_key",
    "decide_kyc",
    "decide_review",
    "denied",
    "get_override",
    "get_review",
    "import_denylist",
    "is_flagged",
    "kyb_status",
    "kyb_statuses",
    "kyc_level",
    "kyc_queue",
    "list_checks",
    "list_denylist",
    "list_flags",
    "list_overrides",
    "list_reviews",
    "my_kyc",
    "on_review_decided",
    "propose_override",
    "purchase_allowance",
    "purchases_unlimited",
    "remove_from_denylist",
    "rotate_keys",
    "scan_trades",
    "screen_signin",
    "set_kyb",
    "submit_kyc",
    "unflag_user",
    "usdc_equivalent",
    # --- end KYC and KYB ---
]
