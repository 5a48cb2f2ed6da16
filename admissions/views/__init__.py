"""Pages of place allocation: the family's sign-ups, the daycare's waiting list and
places, the municipality's rules and guarantee list.

Every view fetches its object through the user's scope (`visible_to`: 404 outside it),
then checks the role in permissions.py (403), then calls one service."""

from .daycare import (
    CAPACITY_MONTHS,
    MONTHS_SHOWN,
    capacity,
    moving_on,
    offer_create,
    waiting_list,
)
from .family import (
    letter,
    mine,
    offer_accept,
    offer_decline,
    signup_create,
    signup_detail,
    signup_needs,
    signup_start,
    signup_wishes,
    signup_withdraw,
)
from .municipality import (
    guarantee,
    municipality_overview,
    paper_signup,
    policy,
)

__all__ = [
    "CAPACITY_MONTHS",
    "MONTHS_SHOWN",
    "capacity",
    "guarantee",
    "letter",
    "mine",
    "moving_on",
    "municipality_overview",
    "offer_accept",
    "offer_create",
    "offer_decline",
    "paper_signup",
    "policy",
    "signup_create",
    "signup_detail",
    "signup_needs",
    "signup_start",
    "signup_wishes",
    "signup_withdraw",
    "waiting_list",
]
