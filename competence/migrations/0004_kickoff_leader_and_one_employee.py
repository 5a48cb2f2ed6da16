# The kick-off conference is for the leader and one employee from each daycare, and the
# database holds it: a registration's copy of its event's is_kickoff is kept true by a
# foreign key on both columns (ON UPDATE CASCADE), and a partial unique index allows one
# active leader and one active employee per daycare where that copy is true.

from django.db import migrations, models

ADD_FOLLOWS_EVENT = """
ALTER TABLE competence_registration ADD CONSTRAINT registration_kickoff_follows_event
  FOREIGN KEY (event_id, for_kickoff) REFERENCES competence_event (id, is_kickoff)
  ON UPDATE CASCADE ON DELETE CASCADE
"""

DROP_FOLLOWS_EVENT = (
    "ALTER TABLE competence_registration DROP CONSTRAINT registration_kickoff_follows_event"
)


class Migration(migrations.Migration):

    dependencies = [
        ('competence', '0003_registration_for_kickoff'),
    ]

    operations = [
        migrations.AddConstraint(
            model_name='event',
            constraint=models.UniqueConstraint(fields=('id', 'is_kickoff'), name='event_id_is_kickoff'),
        ),
        migrations.AddConstraint(
            model_name='registration',
            constraint=models.UniqueConstraint(condition=models.Q(('for_kickoff', True), ('status__in', ['confirmed', 'waiting'])), fields=('event', 'institution', 'as_leader'), name='registration_kickoff_leader_and_one_employee'),
        ),
        migrations.RunSQL(ADD_FOLLOWS_EVENT, DROP_FOLLOWS_EVENT),
    ]
