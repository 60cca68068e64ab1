"""Compliance, the public face.

KYC and KYB (``kyc.py``, ``limits.py``, ``kyb.py``, ``key_rotation.py``): users' KYC levels
with personal data sealed at rest (``personal_data.py``), the 24 h limits by level that
payments and the market check before any hold, and companies' KYB status. Pure decisions are in
``kyc_rules.py``; the SQL in ``kyc_repository.py``.
"""

from __future__ import annotations

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
    usdc_equivalent,
)
from ece.compliance.personal_data import PersonalDataUnreadable, create_development_key

# --- end KYC and KYB ---

__all__ = [
    # --- KYC and KYB ---
    "Activity",
    "KybStatus",
    "KybView",
    "KycDecision",
    "KycStatus",
    "KycView",
    "Level",
    "PersonalData",
    "PersonalDataUnreadable",
    "PurchaseAllowance",
    "Rotation",
    "check_purchase",
    "check_within_limit",
    "companies_with_kyb",
    "create_development_key",
    "decide_kyc",
    "kyb_status",
    "kyb_statuses",
    "kyc_level",
    "kyc_queue",
    "my_kyc",
    "purchase_allowance",
    "rotate_keys",
    "set_kyb",
    "submit_kyc",
    "usdc_equivalent",
    # --- end KYC and KYB ---
]
