"""The compliance indicator registry.

An indicator measures one municipal or local goal of the strategy. Each app declares its
own in `<app>/indicators.py`:

    @register
    class AmbassadorNamed(Indicator):
        code = "institutions.ambassador_named"
        area = Area.COMPETENCE
        level = Level.LOCAL
        title = _("Digital ambassador named")
        goal = _("Each daycare names at least one employee who ...")

        def evaluate(self, *, municipality, institutions, today):
            ...  # a fixed number of queries for all institutions together
            return {institution.pk: Result(Status.MET, evidence="..."), ...}

The dashboard, the PDF reports and the nightly snapshots read only this registry, so
adding a goal means adding an indicator. `evaluate` is called once per municipality
with every institution in it and must not run a query per institution.

The dashboard keeps the evaluated matrix in the cache under a version that any change to
the data an indicator reads moves on. Each app therefore names, next to its indicators,
the models they read: `watch(Model, ...)`. Writes that send no signals (`bulk_create`,
`QuerySet.update`, COPY) call `indicators_changed()` themselves.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from django.core.cache import cache
from django.core.exceptions import FieldDoesNotExist
from django.db import models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    MET = "met", _("Met")
    AT_RISK = "at_risk", _("At risk")
    NOT_MET = "not_met", _("Not met")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


class Area(models.TextChoices):
    """The strategy's three areas."""

    DIGITAL_MEDIA = "digital_media", _("Digital media in use")
    COMPETENCE = "competence", _("Competence development")
    IT_SERVICE = "it_service", _("IT, service and organisation")


class Level(models.TextChoices):
    MUNICIPAL = "municipal", _("Municipal goal")
    LOCAL = "local", _("Local goal")


@dataclass(frozen=True)
class Result:
    status: Status
    evidence: str = ""
    # Where the daycare can act on it, when there is such a page.
    fix_url: str = ""

    def get_status_display(self) -> str:
        return str(Status(self.status).label)


NOT_APPLICABLE = Result(Status.NOT_APPLICABLE)


class Indicator:
    code: str = ""
    title: str = ""
    goal: str = ""
    area: Area = Area.DIGITAL_MEDIA
    level: Level = Level.LOCAL
    deadline: date | None = None
    order: int = 100

    def applies_to(self, institution) -> bool:
        """Indicators measure daycares; schools and after-school care are not applicable."""
        return institution.is_daycare

    def evaluate(self, *, municipality, institutions: Sequence, today: date) -> dict[int, Result]:
        raise NotImplementedError

    def may_fix(self, user, institution, result: Result) -> bool:
        """Whether `user` may open `result.fix_url` (the daycare's page where it is done):
        the check that page makes, so the link is shown only to those it lets in. An
        indicator that gives such links answers for them; by default nobody is sent."""
        return False

    def graded(self, satisfied: bool, today: date) -> Status:
        """Met, or not yet met: at risk before the deadline, not met after it (or without one)."""
        if satisfied:
            return Status.MET
        if self.deadline is not None and today <= self.deadline:
            return Status.AT_RISK
        return Status.NOT_MET


_registry: dict[str, Indicator] = {}
# Counts registrations, so that what was evaluated with another set of indicators is not
# taken for this one (see `data_version`).
_registrations = 0


def register(cls: type[Indicator]) -> type[Indicator]:
    global _registrations
    if not cls.code:
        raise ValueError(f"{cls.__name__} needs a code")
    if cls.code in _registry and type(_registry[cls.code]) is not cls:
        raise ValueError(f"Two indicators share the code {cls.code}")
    _registry[cls.code] = cls()
    _registrations += 1
    return cls


def all_indicators() -> list[Indicator]:
    area_order = {area.value: index for index, area in enumerate(Area)}
    return sorted(_registry.values(), key=lambda i: (area_order[i.area], i.order, i.code))


def get_indicator(code: str) -> Indicator | None:
    return _registry.get(code)


@dataclass
class Matrix:
    """Every indicator for every institution of one municipality."""

    indicators: list[Indicator]
    institutions: list
    results: dict[str, dict[int, Result]]

    def result(self, indicator: Indicator, institution) -> Result:
        return self.results[indicator.code].get(institution.pk, NOT_APPLICABLE)

    def count(self, indicator: Indicator, status: Status) -> int:
        return sum(1 for r in self.results[indicator.code].values() if r.status == status)

    def applicable(self, indicator: Indicator) -> int:
        return sum(
            1 for r in self.results[indicator.code].values() if r.status != Status.NOT_APPLICABLE
        )

    def rows(self) -> Iterable[tuple]:
        for institution in self.institutions:
            yield (
                institution,
                [self.result(indicator, institution) for indicator in self.indicators],
            )


def evaluate(
    *,
    municipality,
    institutions: Sequence | None = None,
    today: date | None = None,
    indicators: Sequence[Indicator] | None = None,
) -> Matrix:
    """Evaluate every registered indicator (or only `indicators`) for `institutions`
    (default: all active ones)."""
    today = today or timezone.localdate()
    if institutions is None:
        institutions = list(municipality.institutions.filter(is_active=True).order_by("name"))
    indicators = list(indicators) if indicators is not None else all_indicators()
    results: dict[str, dict[int, Result]] = {}
    for indicator in indicators:
        applicable = [i for i in institutions if indicator.applies_to(i)]
        evaluated = (
            indicator.evaluate(municipality=municipality, institutions=applicable, today=today)
            if applicable
            else {}
        )
        results[indicator.code] = {
            i.pk: evaluated.get(i.pk, NOT_APPLICABLE) if indicator.applies_to(i) else NOT_APPLICABLE
            for i in institutions
        }
    return Matrix(indicators=indicators, institutions=list(institutions), results=results)


VERSION_KEY = "indicators:version"


def _municipality_key(municipality_id: int) -> str:
    return f"{VERSION_KEY}:{municipality_id}"


def data_version(municipality_id: int | None = None) -> str:
    """The current version of the data the indicators read: the version of all data, and
    with `municipality_id` that of the municipality's own rows too (a fresh one when
    unknown, so a matrix cached before a version was lost is never read again)."""
    keys = (
        [VERSION_KEY]
        if municipality_id is None
        else [VERSION_KEY, _municipality_key(municipality_id)]
    )
    found = cache.get_many(keys)
    for key in keys:
        if found.get(key) is None:
            cache.add(key, uuid.uuid4().hex, timeout=None)
            found[key] = cache.get(key) or uuid.uuid4().hex
    return ".".join([*(found[key] for key in keys), str(_registrations)])


def _bump(key: str) -> None:
    cache.set(key, uuid.uuid4().hex, timeout=None)


def indicators_changed(municipality_id: int | None = None) -> None:
    """Data an indicator reads changed: what was evaluated before is not read again. With
    `municipality_id` only that municipality's evaluations are dropped: a message in one
    municipality leaves every other municipality's dashboard as it was.

    Moved on at once (this transaction's own later reads) and again after commit, so a
    reader that evaluated between the two from data not yet committed is not trusted."""
    key = VERSION_KEY if municipality_id is None else _municipality_key(municipality_id)
    _bump(key)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: _bump(key))


def _municipality_of(instance) -> int | None:
    """The municipality a changed row belongs to, where the row says so itself or through
    its institution; None (every municipality) otherwise. An institution may move between
    municipalities, so a change to one counts for all."""
    if instance._meta.label == "institutions.Institution":
        return None
    municipality_id = getattr(instance, "municipality_id", None)
    loaded = instance._state.fields_cache.get("institution")
    if municipality_id is None and loaded is not None:
        municipality_id = loaded.municipality_id
    if municipality_id is None and getattr(instance, "institution_id", None):
        # The model the row's own foreign key points at: the ground floor names no app.
        try:
            institution_model = instance._meta.get_field("institution").related_model
        except FieldDoesNotExist:
            return None
        municipality_id = (
            institution_model._default_manager.filter(pk=instance.institution_id)
            .values_list("municipality_id", flat=True)
            .first()
        )
    return municipality_id


def _changed(sender, instance=None, **kwargs) -> None:
    if kwargs.get("raw"):  # fixtures being loaded
        return
    indicators_changed(_municipality_of(instance) if instance is not None else None)


def _relation_changed(sender, **kwargs) -> None:
    indicators_changed()


def watch(*models_read: type[models.Model]) -> None:
    """Indicators read these models: saving or deleting a row (or changing one of their
    many-to-many relations) moves the data version on, of the row's municipality where
    the row names it."""
    for model in models_read:
        uid = f"indicators:{model._meta.label}"
        post_save.connect(_changed, sender=model, weak=False, dispatch_uid=uid)
        post_delete.connect(_changed, sender=model, weak=False, dispatch_uid=uid)
        for field in model._meta.many_to_many:
            m2m_changed.connect(
                _relation_changed,
                sender=field.remote_field.through,
                weak=False,
                dispatch_uid=f"{uid}.{field.name}",
            )
