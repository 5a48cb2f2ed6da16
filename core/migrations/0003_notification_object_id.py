# A notification names the object it is about, so its e-mail attachment is found by id
# instead of by reading the notification's key. E-mails still waiting to be sent get the
# id their key names.

from django.db import migrations, models

KEYS = [
    r"^grants-decision-(\d+)$",
    r"^admissions:letter:(\d+)$",
    r"^competence:event:(\d+):",
    r"^competence:meeting:(\d+):reminder:",
]

BACKFILL = [
    "UPDATE messaging_notification SET object_id = substring(key from %s)::bigint "
    "WHERE emailed_at IS NULL AND email_failed_at IS NULL AND send_email AND key ~ %s"
]


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_notifications_from_messaging"),
    ]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="object_id",
            field=models.PositiveBigIntegerField(blank=True, null=True),
        ),
        migrations.RunSQL(
            [(BACKFILL[0], [pattern, pattern]) for pattern in KEYS],
            reverse_sql=migrations.RunSQL.noop,
        ),
    ]
