"""A fan-out the benchmarks can time: one post to N guardians of one municipality.

    from messaging.bench import fan_out
    result = fan_out(guardians=10_000)   # FanOut(delivered=10000, seconds=..., queries=...)

It builds a throw-away municipality with N children and guardians (bulk inserts), times
`services.post_publish` (what the Celery task runs), and rolls everything back, so no
e-mail leaves and the database is as before.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone


@dataclass
class FanOut:
    delivered: int
    seconds: float
    queries: int

    @property
    def per_guardian_ms(self) -> float:
        return self.seconds * 1000 / max(self.delivered, 1)


class _Rollback(Exception):
    pass


def _world(guardians: int):
    from accounts.models import User
    from institutions.models import Child, Group, Guardianship, Institution, Municipality

    from .models import Post

    tag = uuid.uuid4().hex[:8]
    taken = set(Municipality.objects.values_list("code", flat=True))
    code = next(f"{n:03d}" for n in range(999, 99, -1) if f"{n:03d}" not in taken)
    municipality = Municipality.objects.create(name=f"Benchmark {tag}", code=code)
    institutions = Institution.objects.bulk_create(
        [
            Institution(municipality=municipality, name=f"Institution {n}", kind="integrated")
            for n in range(max(1, guardians // 500))
        ]
    )
    groups = Group.objects.bulk_create(
        [Group(institution=i, name=f"Stue {n}") for i in institutions for n in range(5)]
    )
    children = Child.objects.bulk_create(
        [
            Child(group=groups[n % len(groups)], first_name=f"Barn {n}", birth_date="2021-01-01")
            for n in range(guardians)
        ],
        batch_size=2000,
    )
    users = User.objects.bulk_create(
        [User(email=f"bench-{tag}-{n}@example.org", name=f"Værge {n}") for n in range(guardians)],
        batch_size=2000,
    )
    Guardianship.objects.bulk_create(
        [Guardianship(child=c, guardian=u) for c, u in zip(children, users, strict=True)],
        batch_size=2000,
    )
    return Post.objects.create(
        municipality=municipality,
        institution=None,
        audience=Post.Audience.MUNICIPALITY,
        kind=Post.Kind.PRACTICAL,
        title="Til alle familier",
        body="<p>En besked til alle.</p>",
        publish_at=timezone.now(),
    )


def fan_out(*, guardians: int = 10_000) -> FanOut:
    """Time publishing one municipal post to `guardians` guardians (then roll back)."""
    from .services.posts import post_publish

    result: FanOut | None = None
    try:
        with transaction.atomic():
            post = _world(guardians)
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                delivered = post_publish(post_id=post.pk)
                seconds = time.perf_counter() - start
            result = FanOut(delivered=delivered, seconds=seconds, queries=len(queries))
            raise _Rollback
    except _Rollback:
        pass
    assert result is not None
    return result
