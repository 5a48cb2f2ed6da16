"""Writes of place allocation: rules, sign-ups, wishes, capacity, offers, moving on.

Every service is keyword-only, atomic, audited, and raises ValidationError with a
Danish-translatable message when the input breaks a rule. Views call exactly one.
Each step a family takes (or that happens to its sign-up) gets a Letter: a task made
after commit prints the PDF and tells the parent, with the letter attached.

Locking order, so two services never wait on each other in a circle: the capacity row
first, then the sign-up, then the offer.

The functions live in modules by subject and are all importable from here:
`from admissions import services; services.signup_create(...)`.
"""

from .capacity import capacity_set
from .common import (
    OfferState,
    State,
    _date_signup,
    administrators_of,
    leaders_of,
    municipal_staff_of,
    places_set_by,
    policy_for,
)
from .letters import letter_make
from .offers import guarantee_alerts_send, offer_accept, offer_decline, offer_make, offers_expire
from .rules import POLICY_FIELDS, policy_update
from .school import child_move_to_school
from .signups import (
    CHILD_FIELDS,
    signup_change_wishes,
    signup_create,
    signup_set_needs_priority,
    signup_withdraw,
)

__all__ = [
    "CHILD_FIELDS",
    "POLICY_FIELDS",
    "OfferState",
    "State",
    "_date_signup",
    "administrators_of",
    "capacity_set",
    "child_move_to_school",
    "guarantee_alerts_send",
    "leaders_of",
    "letter_make",
    "municipal_staff_of",
    "offer_accept",
    "offer_decline",
    "offer_make",
    "offers_expire",
    "places_set_by",
    "policy_for",
    "policy_update",
    "signup_change_wishes",
    "signup_create",
    "signup_set_needs_priority",
    "signup_withdraw",
]
