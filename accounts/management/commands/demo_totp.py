import time

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Print the current two-factor code of a demo account (development only)."

    def add_arguments(self, parser):
        parser.add_argument("email", nargs="?", default="")

    def handle(self, *args, email="", **options):
        if not settings.DEBUG:
            raise CommandError("Only available with DEBUG on.")
        if not email:
            raise CommandError("Usage: make totp EMAIL=leder@koege.example")
        authenticator = Authenticator.objects.filter(
            user__email__iexact=email, type=Authenticator.Type.TOTP
        ).first()
        if authenticator is None:
            raise CommandError(f"{email} has no two-factor login set up.")
        secret = decrypt(authenticator.data["secret"])
        period = 30
        counter = int(time.time()) // period
        remaining = period - int(time.time()) % period
        self.stdout.write(
            f"{format_hotp_value(hotp_value(secret, counter))}  (valid {remaining} s more)"
        )
