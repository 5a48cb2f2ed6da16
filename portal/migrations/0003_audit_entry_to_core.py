# The audit trail moves to core (core.0001); its table stays as it is.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0002_snapshots_and_status_reports"),
        ("core", "0001_audit_entry_from_portal"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="AuditEntry")],
            database_operations=[],
        ),
    ]
