# Notifications, e-mail settings and digests move from messaging to core; their tables
# (messaging_notification, messaging_emailpreference, messaging_digestemail) stay as they are.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('messaging', '0003_themes_use_goals_codes'),
        ('core', '0001_audit_entry_from_portal'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='DigestEmail',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('day', models.DateField()),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('sent_at', models.DateTimeField(blank=True, null=True)),
                        ('notification_count', models.PositiveIntegerField(default=0)),
                        ('recipient', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='digests', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'messaging_digestemail',
                        'constraints': [models.UniqueConstraint(fields=('recipient', 'day'), name='digest_once_per_day')],
                    },
                ),
                migrations.CreateModel(
                    name='EmailPreference',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('category', models.CharField(choices=[('posts', 'New posts'), ('messages', 'New messages'), ('other', 'Reminders and other notifications')], max_length=20)),
                        ('frequency', models.CharField(choices=[('immediate', 'At once'), ('digest', 'Once a day, in a digest'), ('off', 'No e-mail (only in the portal)')], max_length=20)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='email_preferences', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'e-mail setting',
                        'verbose_name_plural': 'e-mail settings',
                        'db_table': 'messaging_emailpreference',
                        'constraints': [models.UniqueConstraint(fields=('user', 'category'), name='email_preference_once'), models.CheckConstraint(condition=models.Q(('category__in', ['posts', 'messages', 'other'])), name='email_preference_category_valid'), models.CheckConstraint(condition=models.Q(('frequency__in', ['immediate', 'digest', 'off'])), name='email_preference_frequency_valid')],
                    },
                ),
                migrations.CreateModel(
                    name='Notification',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(max_length=80)),
                        ('subject', models.CharField(max_length=200, verbose_name='subject')),
                        ('body', models.TextField(blank=True, verbose_name='text')),
                        ('url', models.CharField(blank=True, max_length=300)),
                        ('key', models.CharField(max_length=120)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('read_at', models.DateTimeField(blank=True, null=True)),
                        ('send_email', models.BooleanField(default=True)),
                        ('email_digest', models.BooleanField(default=False)),
                        ('emailed_at', models.DateTimeField(blank=True, null=True)),
                        ('email_failed_at', models.DateTimeField(blank=True, null=True)),
                        ('email_error', models.CharField(blank=True, max_length=300)),
                        ('email_attempts', models.PositiveSmallIntegerField(default=0)),
                        ('recipient', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'notification',
                        'verbose_name_plural': 'notifications',
                        'db_table': 'messaging_notification',
                        'ordering': ['-created_at', '-id'],
                        'indexes': [models.Index(condition=models.Q(('read_at', None)), fields=['recipient'], name='notification_unread_idx'), models.Index(fields=['recipient', '-created_at'], name='notification_recent_idx'), models.Index(condition=models.Q(('email_digest', True), ('email_failed_at', None), ('emailed_at', None)), fields=['recipient'], name='notification_digest_due_idx')],
                        'constraints': [models.UniqueConstraint(fields=('recipient', 'key'), name='notification_once_per_key')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
