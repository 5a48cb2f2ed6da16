"""The strategy's money: pools, applications and their decisions, shares by number of
children, grants with their earmarks, expenses, and the daycares' own budgets.

All amounts are whole øre in BigIntegerFields (never floats). The invariants that matter
are database constraints as well as service checks:

- a pool is never committed beyond its total: `Pool.committed_ore` is kept in step with
  the grants by the services (in the transaction that locks the pool row) and the database
  refuses `committed_ore > total_ore`;
- an earmark is never spent beyond what it was given: `EarmarkAllocation.spent_ore` is
  kept in step with the expenses, and the database refuses `spent_ore > amount_ore`;
- an application moves only along `Application.TRANSITIONS`, each move logged in
  `ApplicationEvent`.

Pools and applications are in `pools.py`, what was given and spent in `money.py`.
"""

from .common import (
    DAYCARE_KIND_VALUES,
    EARMARK_VALUES,
    Earmark,
)
from .money import (
    RECEIPT_TYPES,
    DigitalBudgetLine,
    EarmarkAllocation,
    Expense,
    Grant,
    Share,
    ShareRun,
    receipt_path,
)
from .pools import (
    Application,
    ApplicationEvent,
    BudgetLine,
    Pool,
    ReviewComment,
)

__all__ = [
    "DAYCARE_KIND_VALUES",
    "EARMARK_VALUES",
    "RECEIPT_TYPES",
    "Application",
    "ApplicationEvent",
    "BudgetLine",
    "DigitalBudgetLine",
    "Earmark",
    "EarmarkAllocation",
    "Expense",
    "Grant",
    "Pool",
    "ReviewComment",
    "Share",
    "ShareRun",
    "receipt_path",
]
