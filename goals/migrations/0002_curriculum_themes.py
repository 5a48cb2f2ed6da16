"""The six curriculum themes (læreplanstemaer) in the names of 2004 and of 2018, mapped to
each other by `code`. Every installation has them; they are the act's own names."""

from datetime import date

from django.db import migrations

THEMES = [
    # code, 2004 name, 2018 name
    ("personal_development", "Barnets alsidige personlige udvikling", "Alsidig personlig udvikling"),
    ("social", "Sociale kompetencer", "Social udvikling"),
    ("language", "Sprog", "Kommunikation og sprog"),
    ("body", "Krop og bevægelse", "Krop, sanser og bevægelse"),
    ("nature", "Naturen og naturfænomener", "Natur, udeliv og science"),
    ("culture", "Kulturelle udtryksformer og værdier", "Kultur, æstetik og fællesskab"),
]
IN_FORCE = {2004: date(2004, 8, 1), 2018: date(2018, 7, 1)}


def add_themes(apps, schema_editor):
    Theme = apps.get_model("goals", "CurriculumTheme")
    for position, (code, name_2004, name_2018) in enumerate(THEMES, start=1):
        for version, name in ((2004, name_2004), (2018, name_2018)):
            Theme.objects.update_or_create(
                version=version,
                code=code,
                defaults={"name": name, "position": position, "in_force_from": IN_FORCE[version]},
            )


def remove_themes(apps, schema_editor):
    Theme = apps.get_model("goals", "CurriculumTheme")
    Theme.objects.filter(code__in=[code for code, _a, _b in THEMES]).delete()


class Migration(migrations.Migration):
    dependencies = [("goals", "0001_initial")]

    operations = [migrations.RunPython(add_themes, remove_themes)]
