from django.conf import settings
from django.core.management.base import BaseCommand

from portal import embedded_db


class Command(BaseCommand):
    help = "Stop the embedded PostgreSQL under var/ (it starts by itself when needed)."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["stop"])

    def handle(self, *args, **options):
        if embedded_db.stop(settings.BASE_DIR):
            self.stdout.write("The embedded PostgreSQL was stopped.")
        else:
            self.stdout.write("The embedded PostgreSQL was not running.")
