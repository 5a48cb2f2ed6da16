"""The handle the demo seed (portal/demo.py) passes to each app's `seed(demo)` in
`<app>/demo.py`: what the base seed made, for the apps to build their demo data on."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date
from typing import Any

# The days the demo daycares' children were counted (institutions.ChildCount).
COUNT_DATES = [date(2025, 1, 1), date(2026, 1, 1)]


@dataclass
class Demo:
    """What the base seed made. The ground floor names no app's models: the municipalities
    and the daycare are institutions.Municipality and Institution, the users accounts.User."""

    koege: Any
    solrod: Any
    featured: Any
    users: dict[str, Any] = field(default_factory=dict)
    # What one app's seed leaves for a later app's, by id, so that no app imports another's
    # models: e.g. "share_grants" ({daycare id: grant id}), "without_wifi" ({daycare id}),
    # "pools" ({name: pool id}) from grants, read by devices.
    links: dict[str, Any] = field(default_factory=dict)
    rng: random.Random = field(default_factory=lambda: random.Random(259))
