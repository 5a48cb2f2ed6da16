"""Publish the tasks waiting in the outbox (the beat schedule does this every minute)."""

from __future__ import annotations

import time
from datetime import timedelta

from django.core.management.base import BaseCommand

from outbox.relay import relay, waiting_count


class Command(BaseCommand):
    help = "Publish tasks kept in the outbox while the broker was unreachable."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Include rows written just now.")
        parser.add_argument(
            "--loop", type=float, default=0, help="Repeat every N seconds until stopped."
        )

    def handle(self, *args, **options):
        grace = timedelta(0) if options["all"] else None
        while True:
            sent = relay(grace=grace) if grace is not None else relay()
            self.stdout.write(f"published {sent}, waiting {waiting_count()}")
            if not options["loop"]:
                return
            time.sleep(options["loop"])
