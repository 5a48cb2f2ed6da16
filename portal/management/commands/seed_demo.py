import logging

from django.conf import settings
from django.core.management.base import BaseCommand
from django.test.utils import override_settings

from core.indicators import indicators_changed
from portal import demo


class Command(BaseCommand):
    help = "Load the demo municipalities once and print one login per role."

    def handle(self, *args, **options):
        # Building the demo sends thousands of notifications to made-up people; in
        # development they would flood the console, so they are dropped, and so are the
        # lines the inline tasks log for each.
        trace = logging.getLogger("celery.app.trace")
        level = trace.level
        trace.setLevel(logging.WARNING)
        try:
            with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
                created = demo.seed()
        finally:
            trace.setLevel(level)
        indicators_changed()  # the demo loads much of its data with bulk_create
        if created is None:
            self.stdout.write("Demo data is already loaded.")
        else:
            self.stdout.write(
                self.style.SUCCESS("Demo data loaded: Køge Kommune (259) and Solrød Kommune (269).")
            )
        self.stdout.write("")
        self.stdout.write(
            f"Log in at {settings.PORTAL_BASE_URL}/ with password: {demo.DEMO_PASSWORD}"
        )
        width = max(len(role) for role, _email, _mfa in demo.LOGINS)
        for role, email, needs_2fa in demo.LOGINS:
            note = "  (two-factor: make totp EMAIL=" + email + ")" if needs_2fa else ""
            self.stdout.write(f"  {role.ljust(width)}  {email}{note}")
        self.stdout.write("")
        secret = demo.DEMO_TOTP_SECRET
        self.stdout.write(f"Two-factor secret of the demo accounts (authenticator app): {secret}")
