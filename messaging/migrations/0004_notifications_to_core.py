# Notifications, e-mail settings and digests move to core (core.0002); their tables stay.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0002_notifications_from_messaging'),
        ('messaging', '0003_themes_use_goals_codes'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='emailpreference',
                    name='user',
                ),
                migrations.RemoveField(
                    model_name='notification',
                    name='recipient',
                ),
                migrations.DeleteModel(
                    name='DigestEmail',
                ),
                migrations.DeleteModel(
                    name='EmailPreference',
                ),
                migrations.DeleteModel(
                    name='Notification',
                ),
            ],
            database_operations=[],
        ),
    ]
