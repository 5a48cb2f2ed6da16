"""`manage.py health worker|beat`: the container health check of a Celery worker or beat.
Exits 0 when the part's heartbeat (core/health.py) is fresh, 1 with the reason if not."""

from __future__ import annotations

import socket

from django.core.management.base import BaseCommand, CommandError

from core import health


class Command(BaseCommand):
    help = "Exit 0 when this machine's Celery worker, or beat, has reported recently."

    def add_arguments(self, parser):
        parser.add_argument("part", choices=["worker", "beat"])
        parser.add_argument(
            "--hostname", help="the worker's node name (default: celery@<this host>)"
        )

    def handle(self, *args, part, hostname=None, **options):
        try:
            beats = health.last_beats()
        except Exception as exc:
            raise CommandError(f"Redis does not answer: {exc}") from exc
        key = "beat" if part == "beat" else f"worker:{hostname or 'celery@' + socket.gethostname()}"
        age = beats.get(key)
        if age is None:
            raise CommandError(f"No heartbeat from {key}.")
        if age > health.STALE_AFTER:
            raise CommandError(f"The last heartbeat from {key} is {age:.0f} s old.")
        self.stdout.write(f"{key}: last heartbeat {age:.0f} s ago")
