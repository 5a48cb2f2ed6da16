"""The benchmark's scales. Kept apart from the generator, which imports the portal: the
command line reads them before it points Django at the scale's database."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Scale:
    name: str
    municipalities: int
    # Daycare institutions with rooms; each municipality also has one childminding unit
    # that holds its childminder homes.
    institutions: int
    homes: int
    children: int
    rooms_per_institution: float = 4.5
    staff_per_room: int = 3
    # A family has two guardians in this share of cases, else one; a child is the
    # sibling of the child before in this share (so 1.83 guardians per child).
    two_guardians: float = 0.93
    siblings: float = 0.05
    # Posts over the last POST_DAYS days, per daycare and per municipality.
    institution_posts: int = 12
    group_posts: int = 12
    municipal_posts: int = 8
    post_days: int = 180
    # Notifications are kept for the posts of the last days only.
    notification_days: int = 30
    threads_per_guardian: float = 0.7
    messages_per_thread: tuple[int, int] = (2, 6)
    local_goals: tuple[int, int] = (1, 4)
    shared_experiences: tuple[int, int] = (1, 5)

    @property
    def daycares(self) -> int:
        return self.institutions + (self.municipalities if self.homes else 0)


SCALES = {
    "tiny": Scale("tiny", municipalities=2, institutions=4, homes=4, children=120),
    "municipality": Scale(
        "municipality", municipalities=1, institutions=36, homes=49, children=2985
    ),
    "large": Scale("large", municipalities=1, institutions=400, homes=350, children=25_000),
    "national": Scale(
        "national",
        municipalities=98,
        institutions=4402,
        homes=10_000,
        children=300_000,
        rooms_per_institution=20_000 / 4402,
    ),
}
