"""The six curriculum themes (læreplanstemaer) in the names of 2004 and of 2018, mapped to
each other by `code` (see core/curriculum.py). Every installation has them."""

from django.db import migrations

from core.curriculum import THEMES, ensure_themes


def add_themes(apps, schema_editor):
    ensure_themes(apps.get_model("goals", "CurriculumTheme"))


def remove_themes(apps, schema_editor):
    Theme = apps.get_model("goals", "CurriculumTheme")
    Theme.objects.filter(code__in=[code for code, _a, _b in THEMES]).delete()


class Migration(migrations.Migration):
    dependencies = [("goals", "0001_initial")]

    operations = [migrations.RunPython(add_themes, remove_themes)]
