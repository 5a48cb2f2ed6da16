"""Demo data for place allocation in Køge (see portal/demo.py for the base).

Køge's rules (the law's: 26 weeks, three months; three wishes; special needs, siblings,
seniority, waiting time), places for new children in the featured daycare's groups and
a few others for the next six months, and some thirty sign-ups: on the waiting lists,
with offers awaiting an answer, accepted, withdrawn, on paper, one past its guarantee
date. The demo parent has signed up a baby with the featured daycare (where its big
sister goes) as first wish, so the leader can offer a place and the parent accept it.
Everything goes through the services; only dates the services refuse in the past are
moved afterwards. Letters are printed by the tasks queued after the seed commits.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from accounts.models import User
from core.dates import add_months
from core.demo import Demo
from institutions.models import Institution, Membership

from . import rules, services
from .models import Policy, Signup

FIRST = ["Lea", "Oscar", "Ella", "Karl", "Freja", "Alfred", "Ida", "Malthe", "Clara", "Storm"]
LAST = ["Nielsen", "Jensen", "Hansen", "Pedersen", "Larsen", "Sørensen", "Rasmussen"]


def _leader(institution: Institution) -> User:
    return (
        Membership.objects.filter(institution=institution, role=Membership.Role.LEADER)
        .select_related("user")
        .first()
        .user
    )


def seed(demo: Demo) -> None:
    rng = demo.rng
    koege = demo.koege
    admin = demo.users["admin"]
    today = timezone.localdate()
    services.policy_update(actor=admin, municipality=koege)
    featured = demo.featured
    daycares = list(Institution.objects.filter(municipality=koege).daycares().order_by("name"))
    others = [d for d in daycares if d.pk != featured.pk]
    first_month = rules.first_of_month(today)
    last_month = add_months(first_month, 5)
    for institution in [featured, *others[:5]]:
        for group in institution.groups.filter(is_active=True).order_by("name")[:3]:
            services.capacity_set(
                actor=admin,
                group=group,
                first_month=first_month,
                last_month=last_month,
                places=3 if institution.pk == featured.pk else rng.randint(1, 3),
            )
    parents = list(User.objects.filter(email__startswith="foraelder0").order_by("email")[:30])
    signups: list[Signup] = []
    for index, parent in enumerate(parents[:26]):
        age_days = rng.randint(20, 700)
        birth = today - timedelta(days=age_days)
        start = max(today + timedelta(days=rng.randint(10, 200)), birth + timedelta(weeks=26))
        # Only daycares that take a child of its age at the start; the draw is the same
        # either way, so the rest of the demo stays as it was.
        drawn = rng.sample(others, 3)
        fitting = [d for d in others if rules.age_fits(d.kind, birth_date=birth, on=start)]
        fitting = [d for d in drawn if d in fitting] + [d for d in fitting if d not in drawn]
        wishes = ([featured] if index % 3 == 0 else []) + fitting[:3]
        paper = index % 9 == 4
        signup = services.signup_create(
            actor=admin if paper else parent,
            municipality=koege,
            parent=None if paper else parent,
            parent_name=parent.name,
            parent_address="Torvet 1, 4600 Køge" if paper else "",
            channel=Signup.Channel.PAPER if paper else Signup.Channel.DIGITAL,
            wishes=wishes[:3],
            child_first_name=FIRST[index % len(FIRST)],
            child_last_name=rng.choice(LAST),
            birth_date=birth,
            wished_start=start,
            needs="Har brug for ekstra sprogstøtte." if index == 7 else "",
        )
        # Signed up earlier than today: the waiting time and seniority are real.
        signed_up = max(birth, today - timedelta(days=rng.randint(0, min(age_days, 300))))
        Signup.objects.filter(pk=signup.pk).update(signed_up_on=signed_up)
        signup.signed_up_on = signed_up
        signups.append(signup)
    policy = Policy.objects.get(municipality=koege)
    for signup in signups:
        services._date_signup(signup, policy)
    Signup.objects.bulk_update(signups, ["guarantee_date", "seniority_date"])
    services.signup_set_needs_priority(actor=admin, signup=signups[7], priority=True)
    # One child is past its guarantee date without an offer: the list and the indicator
    # show it.
    Signup.objects.filter(pk=signups[2].pk).update(guarantee_date=today - timedelta(days=5))

    # Offers: one awaiting an answer, one accepted, one declined; one withdrawal.
    group = featured.groups.filter(is_active=True).order_by("name").first()
    leader = _leader(featured)
    # Two months ahead, as a municipality offers places: the parents get the usual
    # weeks to answer before the start.
    start = add_months(first_month, 2)
    waiting = [s for s in signups if s.wishes.filter(institution=featured).exists()]
    if len(waiting) >= 3:
        services.offer_make(
            actor=leader, institution=featured, signup=waiting[0], group=group, start_date=start
        )
        accepted = services.offer_make(
            actor=leader, institution=featured, signup=waiting[1], group=group, start_date=start
        )
        if waiting[1].parent_id:
            services.offer_accept(actor=waiting[1].parent, offer=accepted)
        declined = services.offer_make(
            actor=leader, institution=featured, signup=waiting[2], group=group, start_date=start
        )
        services.offer_decline(actor=waiting[2].parent or admin, offer=declined)
    services.signup_withdraw(actor=signups[-1].parent or admin, signup=signups[-1])

    # The demo parent's baby, with the featured daycare (its big sister's) first.
    parent = demo.users["guardian"]
    birth, start = today - timedelta(days=150), add_months(first_month, 2)
    fitting = [d for d in others if rules.age_fits(d.kind, birth_date=birth, on=start)]
    services.signup_create(
        actor=parent,
        municipality=koege,
        parent=parent,
        wishes=[featured, *fitting[:2]],
        child_first_name="Lea",
        child_last_name="Dahl",
        birth_date=birth,
        wished_start=start,
    )
