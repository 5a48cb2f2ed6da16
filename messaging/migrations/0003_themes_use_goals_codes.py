# Posts name the curriculum themes by the goals app's codes ('personal' became
# 'personal_development'), so every app tags a theme the same way.

import django.contrib.postgres.fields
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('messaging', '0002_posts_threads_preferences'),
    ]

    operations = [
        migrations.RunSQL(
            "UPDATE messaging_post SET themes = array_replace(themes, 'personal', 'personal_development')",
            "UPDATE messaging_post SET themes = array_replace(themes, 'personal_development', 'personal')",
        ),
        migrations.AlterField(
            model_name='post',
            name='themes',
            field=django.contrib.postgres.fields.ArrayField(base_field=models.CharField(choices=[('personal_development', 'All-round personal development'), ('social', 'Social development'), ('language', 'Communication and language'), ('body', 'Body, senses and movement'), ('nature', 'Nature, outdoor life and science'), ('culture', 'Culture, aesthetics and community')], max_length=20), blank=True, default=list, size=None, verbose_name='curriculum themes'),
        ),
    ]
