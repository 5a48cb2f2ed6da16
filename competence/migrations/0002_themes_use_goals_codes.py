# Shared experiences name the curriculum themes by the goals app's codes ('personal'
# became 'personal_development'); the check constraint follows.

import django.contrib.postgres.fields
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('competence', '0001_initial'),
        ('institutions', '0002_one_pending_invitation'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='post',
            name='post_themes_valid',
        ),
        migrations.RunSQL(
            "UPDATE competence_post SET themes = array_replace(themes, 'personal', 'personal_development')",
            "UPDATE competence_post SET themes = array_replace(themes, 'personal_development', 'personal')",
        ),
        migrations.AlterField(
            model_name='post',
            name='themes',
            field=django.contrib.postgres.fields.ArrayField(base_field=models.CharField(choices=[('personal_development', 'All-round personal development'), ('social', 'Social development'), ('language', 'Communication and language'), ('body', 'Body, senses and movement'), ('nature', 'Nature, outdoor life and science'), ('culture', 'Culture, aesthetics and community')], max_length=20), blank=True, default=list, size=None, verbose_name='curriculum themes'),
        ),
        migrations.AddConstraint(
            model_name='post',
            constraint=models.CheckConstraint(condition=models.Q(('themes__contained_by', ['personal_development', 'social', 'language', 'body', 'nature', 'culture'])), name='post_themes_valid'),
        ),
    ]
