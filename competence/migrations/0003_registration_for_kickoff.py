# The kick-off conference is for the leader and one employee from each daycare. A
# registration copies its event's is_kickoff, so that the database can hold the rule
# (0004_kickoff_leader_and_one_employee, in its own transaction: PostgreSQL builds no
# index on a table with row changes still to check).
#
# Registrations made before the rule may break it. Per daycare the one to keep is the
# one who arrived, else the confirmed, else the first in the queue; the others are
# cancelled (their seats are given to the waiting list at the event's next change).

from django.conf import settings
from django.db import migrations, models

COPY_KICKOFF = """
UPDATE competence_registration r SET for_kickoff = true
  FROM competence_event e WHERE r.event_id = e.id AND e.is_kickoff
"""

CANCEL_SURPLUS = """
WITH ranked AS (
  SELECT id, row_number() OVER (
    PARTITION BY event_id, institution_id, as_leader
    ORDER BY checked_in_at IS NULL, status <> 'confirmed', queued_at, id
  ) AS n
  FROM competence_registration
  WHERE for_kickoff AND status IN ('confirmed', 'waiting')
)
UPDATE competence_registration r
   SET status = 'cancelled', cancelled_at = now(), checked_in_at = NULL
  FROM ranked WHERE r.id = ranked.id AND ranked.n > 1
"""

RECOUNT_SEATS = """
UPDATE competence_event e SET confirmed_count = (
  SELECT count(*) FROM competence_registration r
   WHERE r.event_id = e.id AND r.status = 'confirmed'
) WHERE e.is_kickoff
"""

class Migration(migrations.Migration):

    dependencies = [
        ('competence', '0002_themes_use_goals_codes'),
        ('institutions', '0002_one_pending_invitation'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='registration',
            name='for_kickoff',
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.RunSQL(COPY_KICKOFF, migrations.RunSQL.noop),
        migrations.RunSQL(CANCEL_SURPLUS, migrations.RunSQL.noop),
        migrations.RunSQL(RECOUNT_SEATS, migrations.RunSQL.noop),
    ]
