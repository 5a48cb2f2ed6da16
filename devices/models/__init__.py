"""Devices, Wi-Fi and digital suitcases: the strategy's "IT, service and organisation".

- a daycare's devices (tablets, PCs, whiteboards) per group or childminder home, with
  the history of every change, and how each was paid (a grant, the shared development
  funds, the daycare's own budget or a central purchase programme);
- Wi-Fi per site of a daycare, with its history;
- central purchase programmes ("32 iPads for the remaining childminders") whose
  distribution creates the device records (`inventory.py`);
- the municipality's digital suitcases, lent in turn: bookings (never overlapping, the
  database refuses it with an exclusion constraint), rotation plans, waiting lists,
  hand-over and return with a checklist of the contents (`suitcases.py`).
"""

from .inventory import (
    COUNTED_KINDS,
    Device,
    DeviceChange,
    DeviceKind,
    Funding,
    ProgrammeLine,
    PurchaseProgramme,
    WifiChange,
    WifiSite,
)
from .suitcases import (
    Booking,
    BookingCheck,
    RotationPlan,
    RotationSlot,
    Suitcase,
    SuitcaseClosure,
    SuitcaseItem,
    SuitcasePhoto,
    WaitingListEntry,
    suitcase_photo_path,
)

__all__ = [
    "COUNTED_KINDS",
    "Booking",
    "BookingCheck",
    "Device",
    "DeviceChange",
    "DeviceKind",
    "Funding",
    "ProgrammeLine",
    "PurchaseProgramme",
    "RotationPlan",
    "RotationSlot",
    "Suitcase",
    "SuitcaseClosure",
    "SuitcaseItem",
    "SuitcasePhoto",
    "WaitingListEntry",
    "WifiChange",
    "WifiSite",
    "suitcase_photo_path",
]
