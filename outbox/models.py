"""The transactional outbox: tasks on their way to the broker, kept in PostgreSQL.

`core.queue.enqueue` writes one row in the same transaction as the change that asks
for the task, and deletes it once the broker (Redis) has the task. A row that stays
behind (Redis was down, or the process died between commit and publish) is published
again by `outbox.relay.relay`, so no task is lost. Tasks are idempotent: one published
twice does its work once.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.observability import current_request_id


class OutboxMessage(models.Model):
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    task = models.CharField(_("task"), max_length=200)
    args = models.JSONField(default=list, blank=True)
    kwargs = models.JSONField(default=dict, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    # The request that queued the task, so its log lines in the worker carry the same id.
    request_id = models.CharField(
        _("request id"), max_length=64, blank=True, default=current_request_id
    )

    class Meta:
        verbose_name = _("queued task")
        verbose_name_plural = _("queued tasks")
        ordering = ["id"]
        indexes = [models.Index(fields=["created_at"], name="outbox_created_idx")]

    def __str__(self) -> str:
        return f"{self.task} #{self.pk}"
