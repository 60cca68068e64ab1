"""Compliance, the public face. Each name lives in the module named for its use case:

- screening, risk and reviews: ``screening`` (the deny list; sign-in and deposit screens),
  ``assessment`` (``assess``: facts, score, check, review), ``reviews`` (the four-eyes queue);
  the pure rules in ``risk_rules`` and ``screening_rules``.

Other domains, the web layer and the CLI import this module only.
"""

from __future__ import annotations

# --- screening, risk and reviews ---------------------------------------------------------------
from ece.compliance.assessment import Assessment, Subject, assess, list_checks
from ece.compliance.models import (
    ComplianceCheck,
    ComplianceReview,
    Decision,
    DenylistEntry,
    ReviewStatus,
    SubjectType,
)
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

__all__ = [
    # screening, risk and reviews
    "Assessment",
    "ComplianceCheck",
    "ComplianceReview",
    "Decision",
    "DenylistEntry",
    "ImportReport",
    "ReviewHandler",
    "ReviewStatus",
    "Subject",
    "SubjectType",
    "add_to_denylist",
    "assess",
    "block_deposit",
    "decide_review",
    "denied",
    "get_review",
    "import_denylist",
    "list_checks",
    "list_denylist",
    "list_reviews",
    "on_review_decided",
    "remove_from_denylist",
    "screen_signin",
]
