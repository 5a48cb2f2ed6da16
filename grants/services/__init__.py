"""Writes to pools, applications, share runs, grants, expenses and budgets.

Every service is keyword-only, atomic, audited, and raises ValidationError with a
Danish-translatable message when the input breaks a rule. Views call exactly one.

Locking order, so two services never wait on each other in a circle: the pool row first,
then the application, then the grant, then an earmark allocation.

The functions live in modules by subject and are all importable from here:
`from grants import services; services.pool_create(...)`.
"""

from institutions.selectors import administrators_of

from .applications import (
    APPLICATION_FIELDS,
    application_create,
    application_submit,
    application_update,
    application_withdraw,
)
from .budget import digital_budget_line_create, digital_budget_line_delete
from .common import Outcome, State, leaders_of
from .expenses import expense_create, expense_delete
from .pools import POOL_FIELDS, pool_create, pool_publish, pool_published_notify, pool_update
from .reports import application_report, grant_close, report_reminders_send
from .review import (
    application_comment,
    application_decide,
    application_request_changes,
    application_start_review,
    decision_letter_make,
)
from .shares import (
    compute_shares,
    share_inputs,
    share_run_calculate,
    share_run_publish,
    shares_published_notify,
)

__all__ = [
    "APPLICATION_FIELDS",
    "POOL_FIELDS",
    "Outcome",
    "State",
    "administrators_of",
    "application_comment",
    "application_create",
    "application_decide",
    "application_report",
    "application_request_changes",
    "application_start_review",
    "application_submit",
    "application_update",
    "application_withdraw",
    "compute_shares",
    "decision_letter_make",
    "digital_budget_line_create",
    "digital_budget_line_delete",
    "expense_create",
    "expense_delete",
    "grant_close",
    "leaders_of",
    "pool_create",
    "pool_publish",
    "pool_published_notify",
    "pool_update",
    "report_reminders_send",
    "share_inputs",
    "share_run_calculate",
    "share_run_publish",
    "shares_published_notify",
]
