"""Delete or anonymise what may no longer be kept; --dry-run only says what."""

from django.core.management.base import BaseCommand

from privacy.retention import apply_retention


class Command(BaseCommand):
    help = "Delete or anonymise children who left long ago, and old lookup log rows."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Change nothing; report.")

    def handle(self, *args, **options):
        report = apply_retention(dry_run=options["dry_run"])
        self.stdout.write(report.summary())
        # A dry run is for seeing who would be affected: it always lists them, by id
        # (names stay out of logs; look them up in the register).
        if report.dry_run or options["verbosity"] > 1:
            would = "would be " if report.dry_run else ""
            self.stdout.write(f"children {would}deleted: {report.children_deleted}")
            self.stdout.write(f"children {would}anonymised: {report.children_anonymised}")
            self.stdout.write(f"guardians {would}anonymised: {report.guardians_anonymised}")
