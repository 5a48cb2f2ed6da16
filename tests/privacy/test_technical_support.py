"""Technical support sees nobody by default. The technical admin's lists of children,
guardians, sign-ups and messages show ids, daycares, groups and dates; a person's page
opens only after the support worker states why, and every look is then logged in the
role "technical support" with that reason, which the family reads under "My data".
Messages are never shown at all. The log itself cannot be changed or deleted from the
admin, nor blanked by deleting what it points at."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import ProtectedError
from django.urls import NoReverseMatch, reverse

from accounts.models import User
from core.models import Notification
from institutions.models import Child, Guardianship
from messaging.models import Message, Post, Thread
from privacy import purposes
from privacy.models import PersonalDataAccess
from privacy.support import PersonalDataAdmin
from tests.accounts.helpers import log_in_with_code, technical_staff
from tests.privacy.test_every_page_is_logged import _people
from tests.security.matrix import build_matrix_world

pytestmark = pytest.mark.django_db

REASON = "Sag 2026-118: forælderen kan ikke logge ind"


@pytest.fixture
def support(client):
    staff = technical_staff()
    log_in_with_code(client, staff.email)
    return staff


def change_url(obj) -> str:
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def reason_url(obj) -> str:
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_reason", args=[obj.pk])


def state_reason(client, obj, reason: str = REASON):
    return client.post(reason_url(obj), {"reason": reason, "next": change_url(obj)})


# One child, step by step ----------------------------------------------------------


def test_a_childs_page_asks_why_before_it_shows_anything(client, world, support):
    child = world.objects["child"]

    response = client.get(change_url(child))

    assert response.status_code == 302
    assert response["Location"].startswith(reason_url(child))
    form = client.get(response["Location"])
    assert form.status_code == 200
    assert "Alma" not in form.content.decode()
    assert f"Barn #{child.pk}" in form.content.decode()
    assert not PersonalDataAccess.objects.exists()


def test_the_stated_reason_opens_the_page_and_the_look_is_logged_with_it(client, world, support):
    child = world.objects["child"]

    response = state_reason(client, child)
    page = client.get(response["Location"])

    assert response["Location"] == change_url(child)
    assert page.status_code == 200
    assert "Alma" in page.content.decode()
    row = PersonalDataAccess.objects.get()
    assert (row.child, row.actor, row.action) == (child, support, "read")
    assert row.actor_role == PersonalDataAccess.TECHNICAL_SUPPORT
    assert row.purpose == purposes.TECHNICAL_SUPPORT
    assert row.reason == REASON
    assert row.path == change_url(child)


def test_the_reason_is_asked_once_per_person_and_each_look_is_logged(client, world, support):
    child = world.objects["child"]
    state_reason(client, child)

    client.get(change_url(child))
    client.get(change_url(child))

    assert PersonalDataAccess.objects.filter(child=child, reason=REASON).count() == 2
    guardianship = Guardianship.objects.get(child=child)
    assert client.get(change_url(guardianship))["Location"].startswith(reason_url(guardianship))


@pytest.mark.parametrize(
    "reason,error",
    [
        ("", "Skriv, hvorfor du skal se oplysningerne."),
        ("ok", "Skriv en begrundelse på mindst fem tegn."),
        ("Sag 12 \u202egnidnuorgeb", "Skriv begrundelsen som almindelig tekst"),
    ],
)
def test_a_missing_or_garbled_reason_is_refused_in_danish(client, world, support, reason, error):
    child = world.objects["child"]

    response = state_reason(client, child, reason)

    assert response.status_code == 400
    assert error in response.content.decode()
    assert client.get(change_url(child)).status_code == 302
    assert not PersonalDataAccess.objects.exists()


def test_the_guardian_sees_that_technical_support_looked_and_why(client, world, support):
    state_reason(client, world.objects["child"])
    client.get(change_url(world.objects["child"]))
    client.force_login(world.user("guardian"))

    page = client.get(reverse("privacy:my_data")).content.decode()

    assert "Teknisk support</td>" in page
    assert f"Teknisk support af portalen: {REASON}" in page
    assert support.name not in page and support.email not in page


def test_a_parents_account_asks_why_and_a_change_to_it_is_logged(client, world, support):
    guardian = world.user("guardian")
    assert client.get(change_url(guardian))["Location"].startswith(reason_url(guardian))
    state_reason(client, guardian)
    assert guardian.email in client.get(change_url(guardian)).content.decode()

    client.post(
        change_url(guardian),
        {
            "email": guardian.email,
            "name": guardian.name,
            "phone": "",
            "language": "da",
            "is_active": "",
        },
    )

    guardian.refresh_from_db()
    assert not guardian.is_active
    assert PersonalDataAccess.objects.filter(
        guardian=guardian, action="change", reason=REASON, actor_role="technical_support"
    ).exists()


def test_a_staff_members_account_needs_no_reason_and_is_not_logged(client, world, support):
    leader = world.user("leader")

    response = client.get(change_url(leader))

    assert response.status_code == 200
    assert leader.email in response.content.decode()
    assert not PersonalDataAccess.objects.exists()


def test_the_admin_finds_an_account_by_its_exact_address_only(client, world, support):
    guardian = world.user("guardian")
    users = reverse("admin:accounts_user_changelist")

    exact = client.get(users, {"q": guardian.email}).content.decode()
    partial = client.get(users, {"q": guardian.email.split("@")[0]}).content.decode()

    assert f"Bruger #{guardian.pk}<" in exact
    assert f"Bruger #{guardian.pk}<" not in partial
    assert guardian.name not in exact and guardian.email not in exact.replace(
        f'value="{guardian.email}"', ""
    )


# The access log is evidence --------------------------------------------------------


def test_the_access_log_cannot_be_changed_or_deleted_in_the_admin(client, world, support):
    child = world.objects["child"]
    state_reason(client, child)
    client.get(change_url(child))
    row = PersonalDataAccess.objects.get()
    log_list = reverse("admin:privacy_personaldataaccess_changelist")
    delete = reverse("admin:privacy_personaldataaccess_delete", args=[row.pk])

    answers = [
        client.post(change_url(row), {"purpose": "Ingenting", "reason": ""}).status_code,
        client.post(delete, {"post": "yes"}).status_code,
        client.get(reverse("admin:privacy_personaldataaccess_add")).status_code,
    ]
    client.post(
        log_list, {"action": "delete_selected", "_selected_action": [row.pk], "post": "yes"}
    )

    assert answers == [403, 403, 403]
    row.refresh_from_db()
    assert (row.purpose, row.reason, row.child, row.actor) == (
        purposes.TECHNICAL_SUPPORT,
        REASON,
        child,
        support,
    )
    assert f"Barn #{child.pk}" in client.get(log_list).content.decode()
    assert "Alma" not in client.get(log_list).content.decode()


def test_deleting_what_the_log_points_at_is_refused(client, world, support):
    child = world.objects["child"]
    state_reason(client, child)
    client.get(change_url(child))
    delete = {"post": "yes"}

    answers = [
        client.post(reverse("admin:institutions_child_delete", args=[child.pk]), delete),
        client.post(reverse("admin:accounts_user_delete", args=[support.pk]), delete),
        client.post(
            reverse("admin:institutions_institution_delete", args=[world.institution.pk]), delete
        ),
    ]

    assert [a.status_code for a in answers[:2]] == [403, 403]
    assert "Alma" not in answers[2].content.decode()
    assert PersonalDataAccess.objects.filter(child=child, actor=support).count() == 1
    assert Child.objects.filter(pk=child.pk).exists()
    with pytest.raises(ProtectedError):
        support.delete()


# Every page of the admin ---------------------------------------------------------------


def _mark_messages() -> list[str]:
    """Give every message a text nobody else has; no admin page may ever show one."""
    for thread in Thread.objects.all():
        Thread.objects.filter(pk=thread.pk).update(subject=f"Emne{thread.pk}hemmeligt")
    for message in Message.objects.all():
        Message.objects.filter(pk=message.pk).update(body=f"Besked{message.pk}hemmelig")
    for post in Post.objects.all():
        Post.objects.filter(pk=post.pk).update(title=f"Opslag{post.pk}hemmeligt")
    for note in Notification.objects.all():
        Notification.objects.filter(pk=note.pk).update(
            subject=f"Notits{note.pk}hemmelig", body=f"Tekst{note.pk}hemmelig"
        )
    texts = [f"Emne{pk}hemmeligt" for pk in Thread.objects.values_list("pk", flat=True)]
    texts += [f"Besked{pk}hemmelig" for pk in Message.objects.values_list("pk", flat=True)]
    texts += [f"Opslag{pk}hemmeligt" for pk in Post.objects.values_list("pk", flat=True)]
    texts += [f"Notits{pk}hemmelig" for pk in Notification.objects.values_list("pk", flat=True)]
    return texts


def _admin_pages() -> dict[str, list]:
    """Every list of the admin, and for a few objects of each kind (every child and every
    parent) its change, history and delete pages: {url: [object or None]}."""
    pages: dict[str, list] = {}
    parents = set(Guardianship.objects.values_list("guardian_id", flat=True))
    for model, model_admin in admin.site._registry.items():
        info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        pages[reverse(f"{info}_changelist")] = [None]
        objects = list(model._default_manager.order_by("pk")[:3])
        if model is Child:
            objects = list(Child.objects.all())
        elif model is get_user_model():
            objects += list(User.objects.filter(pk__in=parents))
        for obj in objects:
            for page in ("change", "history", "delete"):
                try:
                    pages[reverse(f"{info}_{page}", args=[obj.pk])] = [obj, model_admin]
                except NoReverseMatch:
                    continue
    return pages


def test_no_admin_page_shows_a_person_without_a_reason_or_a_message_ever(client):
    build_matrix_world()
    people = _people()
    texts = _mark_messages()
    staff = technical_staff()
    log_in_with_code(client, staff.email)
    pages = _admin_pages()
    assert len(pages) > 200, "The walk no longer reaches the admin's pages"

    def shown(response) -> tuple[set, list]:
        page = response.content.decode() if response.status_code == 200 else ""
        return {(kind, pk) for who, kind, pk in people if who in page}, [
            t for t in texts if t in page
        ]

    # Without a reason: nobody, on any page (nor on the page that asks for the reason).
    leaks = []
    for url in pages:
        response = client.get(url)
        if response.status_code == 302 and "/begrundelse/" in response["Location"]:
            response = client.get(response["Location"])
        people_seen, texts_seen = shown(response)
        if people_seen or texts_seen:
            leaks.append(f"{url}: {sorted(people_seen)} {texts_seen}")
    assert not leaks, "Admin pages that show people without a reason:\n" + "\n".join(leaks)
    assert not PersonalDataAccess.objects.exists()

    # With a reason for every person's page: what is shown is logged, with the reason.
    gated = 0
    for obj, *rest in pages.values():
        personal = obj is not None and isinstance(rest[0], PersonalDataAdmin)
        if personal and client.get(change_url(obj)).status_code == 302:
            state_reason(client, obj)
            gated += 1
    assert gated >= 8, "The walk no longer reaches the people's pages"
    unlogged = []
    for url in pages:
        last = PersonalDataAccess.objects.order_by("-pk").values_list("pk", flat=True).first()
        response = client.get(url)
        people_seen, texts_seen = shown(response)
        rows = PersonalDataAccess.objects.filter(
            pk__gt=last or 0, actor=staff, path=url, reason=REASON, actor_role="technical_support"
        )
        logged = {("child", pk) for pk in rows.values_list("child_id", flat=True)}
        logged |= {("guardian", pk) for pk in rows.values_list("guardian_id", flat=True)}
        logged |= {("signup", pk) for pk in rows.values_list("signup_id", flat=True)}
        if (missing := people_seen - logged) or texts_seen:
            unlogged.append(f"{url}: {sorted(missing)} not logged; {texts_seen}")
    assert not unlogged, "Admin pages that show people without logging it:\n" + "\n".join(unlogged)
