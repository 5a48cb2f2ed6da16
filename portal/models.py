"""Models the whole portal shares: the audit trail, the nightly indicator snapshots
behind the dashboard's trends, and the PDF status reports."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .indicators import Status


class AuditEntry(models.Model):
    """Who changed what, when. Written by services, never by views or signals."""

    # The summary and the changes name the children and parents acted on: a worker's own
    # data download (privacy/export.py) shows what they did and when, not about whom.
    PERSONAL_DATA_ABOUT_OTHERS = ("summary", "changes")

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    municipality = models.ForeignKey(
        "institutions.Municipality",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    institution = models.ForeignKey(
        "institutions.Institution",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=60)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=40, blank=True)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    changes = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            models.Index(fields=["institution", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.summary}"


class Snapshot(models.Model):
    """One night's record of every indicator for every daycare of a municipality.

    Taken by the nightly task (see portal/snapshots.py); the trend charts read these.
    One per municipality and day: taking it again the same day refreshes it.
    """

    municipality = models.ForeignKey(
        "institutions.Municipality", on_delete=models.CASCADE, related_name="indicator_snapshots"
    )
    taken_on = models.DateField(_("date"))
    taken_at = models.DateTimeField(_("taken at"))

    class Meta:
        verbose_name = _("indicator snapshot")
        verbose_name_plural = _("indicator snapshots")
        ordering = ["-taken_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "taken_on"], name="snapshot_one_per_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality}: {self.taken_on:%Y-%m-%d}"


class SnapshotResult(models.Model):
    """The status of one indicator for one daycare in a snapshot."""

    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="results")
    institution = models.ForeignKey(
        "institutions.Institution", on_delete=models.CASCADE, related_name="+"
    )
    # The indicator's code; an indicator removed later keeps its history.
    indicator = models.CharField(_("indicator"), max_length=80)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    evidence = models.TextField(_("evidence"), blank=True)

    class Meta:
        verbose_name = _("snapshot result")
        verbose_name_plural = _("snapshot results")
        constraints = [
            models.UniqueConstraint(
                fields=["snapshot", "institution", "indicator"], name="snapshot_result_unique"
            ),
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in Status]), name="snapshot_status_valid"
            ),
        ]
        indexes = [models.Index(fields=["institution", "snapshot"])]

    def __str__(self) -> str:
        return f"{self.snapshot}: {self.indicator} {self.status}"


# Who in a daycare works with its reports: the leader and the digital ambassador.
REPORT_ROLES = ("leader", "ambassador")


class StatusReportQuerySet(models.QuerySet):
    def visible_to(self, user) -> StatusReportQuerySet:
        """The municipality's people reach all its reports; people of a daycare reach its
        institution reports (whether their role may open them is permissions' question)."""
        if not user.is_authenticated:
            return self.none()
        from institutions.models import Membership, MunicipalRole

        return self.filter(
            Exists(MunicipalRole.objects.filter(user=user, municipality=OuterRef("municipality")))
            | Q(kind="institution")
            & Exists(Membership.objects.filter(user=user, institution=OuterRef("institution")))
        )


class StatusReport(models.Model):
    """A PDF status report: asked for in the browser or made monthly, generated by a task.

    The file is kept with who asked and when; only people who may see the data behind it
    may download it (see portal/reports/permissions.py).
    """

    class Kind(models.TextChoices):
        INSTITUTION = "institution", _("Institution report")
        MUNICIPALITY = "municipality", _("Municipality report")

    class State(models.TextChoices):
        QUEUED = "queued", pgettext_lazy("report state", "Queued")
        RUNNING = "running", pgettext_lazy("report state", "Being made")
        DONE = "done", pgettext_lazy("report state", "Ready")
        FAILED = "failed", pgettext_lazy("report state", "Failed")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    municipality = models.ForeignKey(
        "institutions.Municipality", on_delete=models.CASCADE, related_name="status_reports"
    )
    institution = models.ForeignKey(
        "institutions.Institution",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="status_reports",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    # Set on the monthly reports made by Celery beat: the first day of the month.
    month = models.DateField(_("month"), null=True, blank=True)
    language = models.CharField(max_length=5, default=settings.LANGUAGE_CODE)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    file = models.FileField(upload_to="reports/%Y/%m/", blank=True)
    pages = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=300, blank=True)

    objects = StatusReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("status report")
        verbose_name_plural = _("status reports")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="institution", institution__isnull=False)
                | Q(kind="municipality", institution__isnull=True),
                name="status_report_kind_matches_institution",
            ),
            models.CheckConstraint(
                condition=Q(state__in=["queued", "running", "done", "failed"]),
                name="status_report_state_valid",
            ),
            models.CheckConstraint(
                condition=~Q(state="done") | ~Q(file=""), name="status_report_done_has_file"
            ),
            # One monthly report per municipality and month, however often beat fires.
            models.UniqueConstraint(
                fields=["municipality", "month"],
                condition=Q(month__isnull=False),
                name="status_report_one_monthly",
            ),
        ]
        indexes = [
            models.Index(fields=["municipality", "-requested_at"]),
            models.Index(fields=["institution", "-requested_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.requested_at:%Y-%m-%d %H:%M}"

    @property
    def subject(self) -> str:
        return self.institution.name if self.institution_id else self.municipality.name

    @property
    def is_finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)
