"""`manage.py check_error_tracking`: send one test event to the error tracker named by
SENTRY_DSN, so an operator sees that reports arrive (and what they hold) before relying on
them. Fails when SENTRY_DSN is not set."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Send a test event to the error tracker (SENTRY_DSN)."

    def handle(self, *args, **options):
        if not settings.SENTRY_DSN:
            raise CommandError("SENTRY_DSN is not set: error tracking is off.")
        import sentry_sdk

        event_id = sentry_sdk.capture_message("Dagtilbudsportalen: test event from the operator")
        sentry_sdk.flush(timeout=10)
        self.stdout.write(f"Sent test event {event_id}.")
