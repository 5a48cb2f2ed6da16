"""Collect translatable strings into the Danish catalogues.

The foundation (portal, accounts, institutions, messaging, templates/) shares
locale/da/LC_MESSAGES/django.po. An app with its own `locale/` folder keeps its own
catalogue, <app>/locale/da/LC_MESSAGES/django.po, so work on separate apps never edits
the same file. Django reads them all.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

NOT_SOURCE = [".venv", "node_modules", "var", "staticfiles", ".git"]


def apps_with_own_catalogue(base: Path) -> list[str]:
    return sorted(
        path.parent.name for path in base.glob("*/locale") if (path.parent / "apps.py").exists()
    )


@contextlib.contextmanager
def _inside(directory: Path):
    previous = Path.cwd()
    os.chdir(directory)
    try:
        yield
    finally:
        os.chdir(previous)


class Command(BaseCommand):
    help = (
        "Update the Danish catalogues: locale/ and every <app>/locale/, or only those of "
        "the apps named (use 'foundation' for locale/)."
    )

    def add_arguments(self, parser):
        parser.add_argument("only", nargs="*", help="apps to update, e.g. goals; default: all")

    def handle(self, *args, only=(), **options):
        base = Path(settings.BASE_DIR)
        own = apps_with_own_catalogue(base)
        unknown = set(only) - {*own, "foundation"}
        if unknown:
            raise CommandError(f"No catalogue for: {', '.join(sorted(unknown))}")
        common = {"locale": ["da"], "no_obsolete": True, "no_location": True, "verbosity": 0}
        catalogues = []
        if not only or "foundation" in only:
            with _inside(base):
                call_command(
                    "makemessages",
                    ignore_patterns=[*NOT_SOURCE, *(f"{a}/*" for a in own)],
                    **common,
                )
            catalogues.append("locale")
        for app in own:
            if only and app not in only:
                continue
            with _inside(base / app):
                call_command("makemessages", **common)
            catalogues.append(f"{app}/locale")
        self.stdout.write(
            "Updated: " + ", ".join(f"{c}/da/LC_MESSAGES/django.po" for c in catalogues)
        )
