"""Place allocation (pladsanvisning): the municipality's rules, sign-ups with ranked
wishes, places per group and month, offers and the letters that confirm each step.

The invariants that matter are database constraints as well as service checks:

- one open offer and one accepted offer per child (partial unique indexes on Offer);
- a group's places for a month are never offered beyond what there is:
  `Capacity.offered` is kept in step with the offers by the services, under a lock on
  the capacity row, and the database refuses `offered > places`;
- a placed sign-up has its child in the children register;
- the municipality's rules are never less generous than the law (26 weeks, 3 months).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.uploads import random_name

from . import rules
from .querysets import LetterQuerySet, OfferQuerySet, SignupQuerySet


class PriorityRule(models.TextChoices):
    SPECIAL_NEEDS = rules.SPECIAL_NEEDS, _("Special needs")
    SIBLING = rules.SIBLING, _("Sibling already in the daycare")
    SENIORITY = rules.SENIORITY, _("Seniority on the waiting list")
    WAITING_TIME = rules.WAITING_TIME, _("Time since sign-up")


def default_priority_order() -> list[str]:
    return list(rules.RULES)


class Policy(models.Model):
    """A municipality's rules for place allocation. One per municipality."""

    municipality = models.OneToOneField(
        "institutions.Municipality",
        on_delete=models.CASCADE,
        related_name="admission_policy",
        verbose_name=_("municipality"),
    )
    is_open = models.BooleanField(
        _("parents can sign up"),
        default=True,
        help_text=_("When off, the municipality takes no new sign-ups in the portal."),
    )
    guarantee_age_weeks = models.PositiveSmallIntegerField(
        _("place guaranteed from the age of (weeks)"),
        default=rules.LEGAL_AGE_WEEKS,
        help_text=_("The law says 26 weeks; a municipality may guarantee a place earlier."),
    )
    guarantee_months_after_signup = models.PositiveSmallIntegerField(
        _("place guaranteed at the latest (months after sign-up)"),
        default=rules.LEGAL_MONTHS_AFTER_SIGNUP,
        help_text=_("The law says three months; a municipality may promise a shorter wait."),
    )
    seniority_from_birth_months = models.PositiveSmallIntegerField(
        _("seniority from birth when signed up before the age of (months)"),
        default=3,
        help_text=_("0: seniority always counts from the sign-up date."),
    )
    priority_order = ArrayField(
        models.CharField(max_length=20, choices=PriorityRule.choices),
        verbose_name=_("priority order"),
        default=default_priority_order,
    )
    max_wishes = models.PositiveSmallIntegerField(_("number of wishes allowed"), default=3)
    offer_response_days = models.PositiveSmallIntegerField(_("days to answer an offer"), default=14)
    guarantee_warning_days = models.PositiveSmallIntegerField(
        _("warn this many days before the guarantee date"), default=30
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("place allocation rules")
        verbose_name_plural = _("place allocation rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(guarantee_age_weeks__lte=rules.LEGAL_AGE_WEEKS),
                name="admissions_policy_age_within_law",
            ),
            models.CheckConstraint(
                condition=Q(guarantee_months_after_signup__lte=rules.LEGAL_MONTHS_AFTER_SIGNUP),
                name="admissions_policy_wait_within_law",
            ),
            models.CheckConstraint(
                condition=Q(seniority_from_birth_months__lte=24),
                name="admissions_policy_seniority_months",
            ),
            models.CheckConstraint(
                condition=Q(max_wishes__gte=1) & Q(max_wishes__lte=10),
                name="admissions_policy_max_wishes_range",
            ),
            models.CheckConstraint(
                condition=Q(offer_response_days__gte=1) & Q(offer_response_days__lte=60),
                name="admissions_policy_offer_days_range",
            ),
            models.CheckConstraint(
                condition=Q(priority_order__contained_by=list(rules.RULES)),
                name="admissions_policy_priority_rules_valid",
            ),
        ]

    def __str__(self) -> str:
        return str(self.municipality)

    @property
    def guarantee_rules(self) -> rules.GuaranteeRules:
        return rules.GuaranteeRules(
            age_weeks=self.guarantee_age_weeks,
            months_after_signup=self.guarantee_months_after_signup,
        )

    def priority_labels(self) -> list[str]:
        return [str(PriorityRule(code).label) for code in self.priority_order]


class Signup(models.Model):
    """A child signed up for a place, with the parents' ranked wishes."""

    class State(models.TextChoices):
        WAITING = "waiting", pgettext_lazy("sign-up state", "On the waiting list")
        PLACED = "placed", pgettext_lazy("sign-up state", "Place accepted")
        WITHDRAWN = "withdrawn", pgettext_lazy("sign-up state", "Withdrawn")

    class Channel(models.TextChoices):
        DIGITAL = "digital", pgettext_lazy("sign-up channel", "Digital")
        PAPER = "paper", pgettext_lazy("sign-up channel", "Paper form")

    municipality = models.ForeignKey(
        "institutions.Municipality",
        on_delete=models.PROTECT,
        related_name="admission_signups",
        verbose_name=_("municipality"),
    )
    # The parent who signed up (digital sign-ups), or none for a paper form entered by
    # the municipality; the letters are then printed and posted.
    parent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="admission_signups",
        verbose_name=_("parent"),
    )
    parent_name = models.CharField(_("parent's name"), max_length=150)
    parent_address = models.CharField(_("parent's address"), max_length=200, blank=True)
    child_first_name = models.CharField(_("child's first name"), max_length=100)
    child_last_name = models.CharField(_("child's last name"), max_length=100)
    birth_date = models.DateField(_("birth date"))
    wished_start = models.DateField(_("wished start date"))
    needs = models.TextField(
        _("needs"),
        blank=True,
        help_text=_("Anything the daycare should know, e.g. a diagnosis or special support."),
    )
    # The municipality's assessment: the needs give priority on the waiting lists.
    needs_priority = models.BooleanField(_("priority for special needs"), default=False)
    channel = models.CharField(
        _("signed up by"), max_length=10, choices=Channel.choices, default=Channel.DIGITAL
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.WAITING
    )
    signed_up_on = models.DateField(_("signed up"))
    created_at = models.DateTimeField(auto_now_add=True)
    seniority_date = models.DateField(_("seniority from"))
    guarantee_date = models.DateField(_("place guaranteed from"))
    child = models.OneToOneField(
        "institutions.Child",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="admission_signup",
        verbose_name=_("child in the register"),
    )
    # A child already in a nursery or childminding who signs up for kindergarten: on
    # acceptance it moves, keeping its guardians, instead of being registered twice.
    current_child = models.ForeignKey(
        "institutions.Child",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="admission_moves",
        verbose_name=_("child already in daycare"),
    )
    placed_at = models.DateTimeField(_("placed"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects = SignupQuerySet.as_manager()
    # The sign-up is the parent's data; `created_by` (a worker registering a paper form)
    # does not make it theirs (see privacy.export).
    PERSONAL_DATA_OWNERS = ("parent",)

    class Meta:
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=["waiting", "placed", "withdrawn"]),
                name="admissions_signup_state_valid",
            ),
            models.CheckConstraint(
                condition=Q(channel__in=["digital", "paper"]),
                name="admissions_signup_channel_valid",
            ),
            # A digital sign-up has its parent's account; a paper one is the municipality's.
            models.CheckConstraint(
                condition=Q(channel="paper") | Q(parent__isnull=False),
                name="admissions_signup_digital_has_parent",
            ),
            models.CheckConstraint(
                condition=Q(wished_start__gte=F("birth_date")),
                name="admissions_signup_start_after_birth",
            ),
            models.CheckConstraint(
                condition=Q(signed_up_on__gte=F("birth_date")),
                name="admissions_signup_after_birth",
            ),
            models.CheckConstraint(
                condition=~Q(state="placed") | Q(placed_at__isnull=False),
                name="admissions_signup_placed_has_date",
            ),
        ]
        indexes = [
            models.Index(
                fields=["municipality", "guarantee_date"],
                condition=Q(state="waiting"),
                name="admissions_waiting_guarantee",
            ),
            models.Index(fields=["parent", "-created_at"], name="admissions_signup_parent"),
        ]

    def __str__(self) -> str:
        return self.child_name

    @property
    def child_name(self) -> str:
        return f"{self.child_first_name} {self.child_last_name}".strip()

    @property
    def is_waiting(self) -> bool:
        return self.state == self.State.WAITING


class Wish(models.Model):
    """One daycare the parents wish, ranked (1 is the first wish)."""

    signup = models.ForeignKey(Signup, on_delete=models.CASCADE, related_name="wishes")
    institution = models.ForeignKey(
        "institutions.Institution",
        on_delete=models.PROTECT,
        related_name="admission_wishes",
        verbose_name=_("daycare"),
    )
    rank = models.PositiveSmallIntegerField(_("wish"))
    # An offer from this daycare was declined or ran out: no more offers from it.
    declined_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("wish")
        verbose_name_plural = _("wishes")
        ordering = ["rank"]
        constraints = [
            models.UniqueConstraint(fields=["signup", "rank"], name="admissions_wish_rank_unique"),
            models.UniqueConstraint(
                fields=["signup", "institution"], name="admissions_wish_institution_unique"
            ),
            models.CheckConstraint(condition=Q(rank__gte=1), name="admissions_wish_rank_gte_1"),
        ]
        indexes = [
            models.Index(
                fields=["institution"],
                condition=Q(declined_at=None),
                name="admissions_wish_open",
            )
        ]

    def __str__(self) -> str:
        return f"{self.rank}. {self.institution}"


class Capacity(models.Model):
    """The places a group (or childminder home) can fill with new children from a month.

    The municipality sets them; offers take them (`offered`, kept by the services under
    a lock on this row), a declined or expired offer gives its place back.
    """

    group = models.ForeignKey(
        "institutions.Group",
        on_delete=models.CASCADE,
        related_name="admission_capacities",
        verbose_name=_("group"),
    )
    month = models.DateField(_("month"))
    places = models.PositiveSmallIntegerField(_("places for new children"))
    offered = models.PositiveSmallIntegerField(_("places offered"), default=0, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("capacity")
        verbose_name_plural = _("capacities")
        ordering = ["month", "group__name"]
        constraints = [
            models.UniqueConstraint(fields=["group", "month"], name="admissions_capacity_unique"),
            models.CheckConstraint(
                condition=Q(month__day=1), name="admissions_capacity_first_of_month"
            ),
            models.CheckConstraint(
                condition=Q(offered__gte=0), name="admissions_capacity_offered_gte_0"
            ),
            # The invariant: never more offers than places.
            models.CheckConstraint(
                condition=Q(offered__lte=F("places")),
                name="admissions_capacity_not_over_allocated",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group}: {self.month:%Y-%m}"

    @property
    def free(self) -> int:
        return self.places - self.offered


class Offer(models.Model):
    """A daycare's offer of a place in a group from a start date, answered by a deadline."""

    class State(models.TextChoices):
        PENDING = "pending", pgettext_lazy("offer state", "Awaiting answer")
        ACCEPTED = "accepted", pgettext_lazy("offer state", "Accepted")
        DECLINED = "declined", pgettext_lazy("offer state", "Declined")
        EXPIRED = "expired", pgettext_lazy("offer state", "Expired")
        CANCELLED = "cancelled", pgettext_lazy("offer state", "Cancelled")

    signup = models.ForeignKey(Signup, on_delete=models.CASCADE, related_name="offers")
    institution = models.ForeignKey(
        "institutions.Institution",
        on_delete=models.PROTECT,
        related_name="admission_offers",
        verbose_name=_("daycare"),
    )
    group = models.ForeignKey(
        "institutions.Group",
        on_delete=models.PROTECT,
        related_name="admission_offers",
        verbose_name=_("group"),
    )
    capacity = models.ForeignKey(Capacity, on_delete=models.PROTECT, related_name="offers")
    start_date = models.DateField(_("start date"))
    deadline = models.DateField(
        _("answer by"), help_text=_("The parents can answer until the end of this day.")
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING
    )
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    made_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects = OfferQuerySet.as_manager()

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        ordering = ["-made_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=["pending", "accepted", "declined", "expired", "cancelled"]),
                name="admissions_offer_state_valid",
            ),
            # One open offer per child at a time ...
            models.UniqueConstraint(
                fields=["signup"],
                condition=Q(state="pending"),
                name="admissions_one_open_offer_per_child",
            ),
            # ... and one accepted offer, ever.
            models.UniqueConstraint(
                fields=["signup"],
                condition=Q(state="accepted"),
                name="admissions_one_accepted_offer_per_child",
            ),
            models.CheckConstraint(
                condition=Q(state="pending") | Q(answered_at__isnull=False),
                name="admissions_offer_answered_has_date",
            ),
        ]
        indexes = [
            models.Index(
                fields=["deadline"], condition=Q(state="pending"), name="admissions_offer_due"
            ),
            models.Index(fields=["institution", "state"], name="admissions_offer_inst_state"),
        ]

    def __str__(self) -> str:
        return f"{self.signup}: {self.institution}"

    @property
    def is_pending(self) -> bool:
        return self.state == self.State.PENDING


def letter_path(letter: Letter, filename: str) -> str:
    # A letter names a child: its stored name is random, so no address can be guessed
    # (the family downloads it under `Letter.filename`, through the access check).
    return random_name("admissions/letters", filename)


class Letter(models.Model):
    """The PDF letter that confirms one step: made by a task after the step commits."""

    class Kind(models.TextChoices):
        SIGNED_UP = "signed_up", pgettext_lazy("letter", "Confirmation of sign-up")
        WISHES_CHANGED = "wishes_changed", pgettext_lazy("letter", "Changed wishes")
        OFFER = "offer", pgettext_lazy("letter", "Offer of a place")
        ACCEPTED = "accepted", pgettext_lazy("letter", "Place accepted")
        DECLINED = "declined", pgettext_lazy("letter", "Offer declined")
        EXPIRED = "expired", pgettext_lazy("letter", "Offer expired")
        WITHDRAWN = "withdrawn", pgettext_lazy("letter", "Withdrawal")
        MOVED_ON = "moved_on", pgettext_lazy("letter", "School start")

    signup = models.ForeignKey(Signup, on_delete=models.CASCADE, related_name="letters")
    offer = models.ForeignKey(
        Offer, on_delete=models.CASCADE, null=True, blank=True, related_name="letters"
    )
    kind = models.CharField(_("letter"), max_length=20, choices=Kind.choices)
    pdf = models.FileField(upload_to=letter_path, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    made_at = models.DateTimeField(null=True, blank=True)

    objects = LetterQuerySet.as_manager()

    class Meta:
        verbose_name = _("letter")
        verbose_name_plural = _("letters")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    kind__in=[
                        "signed_up",
                        "wishes_changed",
                        "offer",
                        "accepted",
                        "declined",
                        "expired",
                        "withdrawn",
                        "moved_on",
                    ]
                ),
                name="admissions_letter_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.signup}"

    @property
    def filename(self) -> str:
        return f"brev-{self.kind.replace('_', '-')}-{self.pk}.pdf"
