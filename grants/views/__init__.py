"""Pages for pools, applications, shares, grants, expenses and budgets.

Every view fetches its object through the user's scope (`visible_to`: 404 outside it),
then checks the role in permissions.py (403), then calls one service.

The views live in modules by subject and are all importable from here, as urls.py does:
`views.pool_detail`.
"""

from .applications import (
    application_create,
    application_detail,
    application_edit,
    application_review,
    application_submit,
    application_withdraw,
)
from .daycare import budget, budget_line_delete, institution_grants
from .expenses import application_report, expense_delete, expense_receipt, grant_close, grant_detail
from .pools import (
    municipality_export,
    municipality_pools,
    pool_create,
    pool_detail,
    pool_edit,
    pool_publish,
)
from .review import (
    application_comment,
    application_decide,
    application_request_changes,
    decision_letter,
)
from .shares import share_run, share_run_publish

__all__ = [
    "application_comment",
    "application_create",
    "application_decide",
    "application_detail",
    "application_edit",
    "application_report",
    "application_request_changes",
    "application_review",
    "application_submit",
    "application_withdraw",
    "budget",
    "budget_line_delete",
    "decision_letter",
    "expense_delete",
    "expense_receipt",
    "grant_close",
    "grant_detail",
    "institution_grants",
    "municipality_export",
    "municipality_pools",
    "pool_create",
    "pool_detail",
    "pool_edit",
    "pool_publish",
    "share_run",
    "share_run_publish",
]
