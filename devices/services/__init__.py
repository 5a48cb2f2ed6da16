"""The devices app's writes, one module per part (see each module's docstring)."""

from .inventory import (
    device_create,
    device_update,
    devices_register,
    wifi_site_create,
    wifi_site_update,
)
from .programmes import programme_create, programme_distribute, programme_line_add
from .rotation import (
    fair_assignment,
    plan_create,
    plan_generate,
    plan_publish,
    plan_published_notify,
    plan_slot_change,
    turns_of,
)
from .suitcases import (
    booking_cancel,
    booking_create,
    booking_hand_over,
    booking_return,
    closure_create,
    closure_delete,
    offer_next,
    return_reminders_send,
    suitcase_create,
    suitcase_photo_add,
    suitcase_update,
)
from .waiting import (
    offer_accept,
    offer_decline,
    offers_expire,
    waiting_join,
    waiting_withdraw,
)

__all__ = [
    "booking_cancel",
    "booking_create",
    "booking_hand_over",
    "booking_return",
    "closure_create",
    "closure_delete",
    "device_create",
    "device_update",
    "devices_register",
    "fair_assignment",
    "offer_accept",
    "offer_decline",
    "offer_next",
    "offers_expire",
    "plan_create",
    "plan_generate",
    "plan_publish",
    "plan_published_notify",
    "plan_slot_change",
    "programme_create",
    "programme_distribute",
    "programme_line_add",
    "return_reminders_send",
    "suitcase_create",
    "suitcase_photo_add",
    "suitcase_update",
    "turns_of",
    "waiting_join",
    "waiting_withdraw",
    "wifi_site_create",
    "wifi_site_update",
]
