"""A municipality goes live from its onboarding workbook, through the real pages: the
template to download, the upload, the preview with its counts, the import in one
transaction, the invitations arriving over SMTP. Then the monthly re-import keeps the
portal in step by the municipality's own ids: it renames, moves, adds, marks leavers and
invites only the new person, and what was made in the portal survives."""

from __future__ import annotations

import html
import io
import re
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from core.models import Notification
from goals.models import LocalGoal
from institutions import services as institution_services
from institutions.models import (
    Child,
    Group,
    Guardianship,
    Institution,
    Invitation,
    Membership,
    WorkbookImport,
)
from institutions.onboarding import services
from messaging.models import Post
from privacy.models import PersonalDataAccess
from tests.factories import (
    ChildFactory,
    MembershipFactory,
    MunicipalityFactory,
    MunicipalRoleFactory,
)
from tests.goals.factories import LocalGoalFactory
from tests.institutions.workbooks import CHILDREN, GUARDIANS, STAFF, rows, upload
from tests.smtp import body_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def koege():
    return MunicipalityFactory(name="Køge Kommune", code="259")


@pytest.fixture
def admin(koege):
    return MunicipalRoleFactory(
        municipality=koege, user__email="admin@koege.example", user__name="Anne Admin"
    ).user


@pytest.fixture
def page(client, admin):
    client.force_login(admin)
    return client


def text(response) -> str:
    """The page's text as a reader sees it: no tags, one space between words."""
    content = response.content.decode()
    content = re.sub(r"<(script|style)\b.*?</\1>", " ", content, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", content)).split())


def url(name: str, *args) -> str:
    return reverse(f"institutions:{name}", args=args)


def imported(admin, koege, sheets=None, capture=None):
    """Check and import a workbook through the services (the pages are tested below)."""
    checked = services.workbook_check(actor=admin, municipality=koege, upload=upload(koege, sheets))
    if capture is None:
        services.workbook_import(actor=admin, workbook=checked)
    else:
        with capture(execute=True):
            services.workbook_import(actor=admin, workbook=checked)
    return checked


# The template ---------------------------------------------------------------------------


def test_the_template_has_a_sheet_each_with_danish_columns_and_the_municipality(page, koege):
    response = page.get(url("workbook_template", koege.pk))

    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="projektmappe-koege-kommune.xlsx"'
    )
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "Kommune",
        "Dagtilbud",
        "Grupper",
        "Medarbejdere",
        "Børn",
        "Forældre",
        "Vejledning",
    ]
    headers = {name: [c.value for c in book[name][1]] for name in book.sheetnames[:6]}
    assert headers["Kommune"] == ["Kommunekode", "Kommune"]
    assert headers["Børn"] == [
        "Barn-id",
        "Fornavn",
        "Efternavn",
        "Fødselsdato",
        "Dagtilbud-id",
        "Gruppe-id",
        "Startdato",
    ]
    assert headers["Forældre"] == ["Forælder-id", "Navn", "E-mail", "Barn-id"]
    assert [c.value for c in book["Kommune"][2]] == ["259", "Køge Kommune"]
    # No example rows on the data sheets: one kept by mistake would be imported.
    assert [book[name].max_row for name in book.sheetnames[1:6]] == [1, 1, 1, 1, 1]
    guide = " ".join(str(c.value) for row in book["Vejledning"].iter_rows() for c in row if c.value)
    assert "Datoer skrives i datoceller (fx 17-05-2022), ikke som tekst." in guide
    assert "leder, pædagog, medhjælper, dagplejer" in guide


# The first import, through the pages ------------------------------------------------


def test_a_new_municipality_goes_live_from_its_workbook(
    page, koege, admin, mailbox, django_capture_on_commit_callbacks
):
    start = page.get(url("workbook", koege.pk))
    assert start.status_code == 200
    assert "Hent skabelonen (Excel)" in text(start)

    uploaded = page.post(url("workbook", koege.pk), {"file": upload(koege)})

    checked = WorkbookImport.objects.get(municipality=koege)
    assert uploaded.status_code == 302
    assert uploaded["Location"] == url("workbook_import", koege.pk, checked.pk)
    preview = page.get(uploaded["Location"])
    assert "Se, hvad der bliver ændret" in text(preview)
    assert (
        "2 dagtilbud, 3 grupper, 3 medarbejdere, 3 børn, 4 forældre; 7 invitationer sendes"
        in text(preview)
    )
    assert "Daycares 2 2 0 – Does not apply 0" not in text(preview)  # Danish, not English
    assert "Dagtilbud 2 2 0 – Ikke relevant 0" in text(preview)
    assert "Børn 3 3 0 0 0" in text(preview)
    # Nothing is imported before the administrator says so.
    assert not Institution.objects.filter(municipality=koege).exists()
    assert not Invitation.objects.exists()
    assert mailbox.messages == []

    with django_capture_on_commit_callbacks(execute=True):
        committed = page.post(url("workbook_commit", koege.pk, checked.pk))

    assert committed["Location"] == url("workbook_import", koege.pk, checked.pk)
    done = page.get(committed["Location"])
    assert "Projektmappen er importeret." in text(done)
    assert "Alle 7 invitationer er sendt." in text(done)
    solsikken = Institution.objects.get(municipality=koege, external_key="101")
    assert (solsikken.name, solsikken.kind, solsikken.address) == (
        "Solsikken",
        "integrated",
        "Solsikkevej 1, 4600 Køge",
    )
    assert sorted(Group.objects.values_list("external_key", "name", "kind")) == [
        ("101-1", "Myren", "room"),
        ("101-2", "Egernet", "room"),
        ("102-1", "Dagplejer Hansen", "home"),
    ]
    assert sorted(
        Child.objects.values_list("external_key", "first_name", "birth_date", "group__name")
    ) == [
        ("B1", "Alma", date(2022, 5, 17), "Myren"),
        ("B2", "Otto", date(2021, 3, 2), "Egernet"),
        ("B3", "Freja", date(2023, 1, 9), "Dagplejer Hansen"),
    ]
    invited = sorted(
        Invitation.objects.values_list("email", "role", "institution__name", "child__first_name")
    )
    assert invited == [
        ("jens.berg@example.org", "", None, "Otto"),
        ("lise.holm@koege.example", "leader", "Solsikken", None),
        ("mads.holm@example.org", "", None, "Alma"),
        ("mette.lund@example.org", "", None, "Freja"),
        ("per.berg@koege.example", "staff", "Solsikken", None),
        ("rikke.hansen@koege.example", "childminder", "Dagplejen Syd", None),
        ("sara.holm@example.org", "", None, "Alma"),
    ]
    # The invitations arrived over SMTP, each with its own link.
    messages = mailbox.wait_for(7)
    assert sorted(m["To"] for m in messages) == [i[0] for i in invited]
    (to_mads,) = mailbox.to("mads.holm@example.org")
    assert "som forælder til Alma i Solsikken" in body_text(to_mads)
    token = Invitation.objects.get(email="mads.holm@example.org").token
    assert f"/invitation/{token}/" in body_text(to_mads)
    # The children written by the import are logged as changed by the administrator.
    logged = PersonalDataAccess.objects.filter(actor=admin, action="change")
    assert sorted(logged.values_list("child__first_name", flat=True)) == ["Alma", "Freja", "Otto"]
    assert set(logged.values_list("purpose", flat=True)) == {
        "The municipality's workbook imported from its own systems"
    }

    status = page.get(url("workbook_progress", koege.pk, checked.pk))
    assert "Alle 7 invitationer er sendt." in text(status)
    assert 'hx-trigger="every 2s"' not in status.content.decode()


def test_the_progress_polls_while_invitations_are_on_their_way(page, koege, admin):
    checked = imported(admin, koege)  # the task runs after a commit that never comes here

    status = page.get(url("workbook_progress", koege.pk, checked.pk))

    assert "Sender invitationer: 0 af 7" in text(status)
    assert 'data-hx-trigger="every 2s"' in status.content.decode()
    assert not Invitation.objects.filter(sent_at__isnull=False).exists()  # GET sends nothing

    sent = services.workbook_invitations_send(workbook_id=checked.pk, batch=5)

    assert sent == 5
    assert "Sender invitationer: 5 af 7" in text(
        page.get(url("workbook_progress", koege.pk, checked.pk))
    )


def test_invitations_go_out_in_batches_each_queueing_the_next(
    koege, admin, mailbox, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(services, "SEND_BATCH", 2)
    checked = services.workbook_check(actor=admin, municipality=koege, upload=upload(koege))

    with django_capture_on_commit_callbacks(execute=True):
        services.workbook_import(actor=admin, workbook=checked)

    assert len(mailbox.wait_for(7)) == 7
    checked.refresh_from_db()
    assert services.workbook_progress(checked) == (7, 7)


def test_accepting_a_workbook_invitation_gives_the_role_its_id_and_tells_nobody(koege, admin):
    imported(admin, koege)
    invitation = Invitation.objects.get(email="lise.holm@koege.example")

    user = institution_services.invitation_accept(
        invitation=invitation, name="Lise Holm", password="Solsikker-i-sol-2024"
    )

    membership = Membership.objects.get(user=user)
    assert (membership.institution.external_key, membership.role, membership.external_key) == (
        "101",
        "leader",
        "M1",
    )
    assert not Notification.objects.filter(recipient=admin).exists()


# The monthly re-import ------------------------------------------------------------


def test_a_reimport_renames_moves_adds_marks_a_leaver_and_invites_only_the_new_person(
    page, koege, admin, mailbox, django_capture_on_commit_callbacks
):
    imported(admin, koege)
    lise = institution_services.invitation_accept(
        invitation=Invitation.objects.get(email="lise.holm@koege.example"),
        name="Lise Holm",
        password="Solsikker-i-sol-2024",
    )
    mads = institution_services.invitation_accept(
        invitation=Invitation.objects.get(email="mads.holm@example.org"),
        name="Mads Holm",
        password="Blaabaer-og-kanel-77",
    )
    solsikken = Institution.objects.get(external_key="101")
    myren = Group.objects.get(external_key="101-1")
    # Made in the portal: a goal, a post to a group, a colleague and a child added by hand.
    goal = LocalGoalFactory(institution=solsikken)
    post = Post.objects.create(
        municipality=koege,
        institution=solsikken,
        audience=Post.Audience.GROUPS,
        author=lise,
        kind=Post.Kind.PRACTICAL,
        title="Tur i skoven",
        body="<p>Husk gummistøvler.</p>",
        publish_at=timezone.now(),
    )
    post.groups.add(myren)
    colleague = MembershipFactory(institution=solsikken, role=Membership.Role.STAFF)
    by_hand = ChildFactory(group=myren, first_name="Storm")
    freja = Child.objects.get(external_key="B3")
    mailbox.clear()

    daycares = [list(r) for r in rows()["Dagtilbud"]]
    daycares[0][1] = "Solsikkehuset"
    children = [list(r) for r in CHILDREN if r[0] != "B3"]  # Freja has left
    children[1][5] = "101-1"  # Otto moves from Egernet to Myren
    children.append(["B4", "Ida", "Holm", date(2024, 2, 1), "101", "101-1", None])
    guardians = [list(r) for r in GUARDIANS if r[3] != "B3"]
    guardians.append(["F1", "Mads Holm", "mads.holm@example.org", "B4"])  # known: Ida's father
    guardians.append(["F5", "Karen Juul", "karen.juul@example.org", "B4"])  # new
    staff = [list(r) for r in STAFF if r[0] != "M3"]  # the childminder has left
    sheets = rows(Dagtilbud=daycares, Børn=children, Forældre=guardians, Medarbejdere=staff)

    uploaded = page.post(url("workbook", koege.pk), {"file": upload(koege, sheets)})
    preview = text(page.get(uploaded["Location"]))

    assert (
        "2 dagtilbud, 3 grupper, 2 medarbejdere, 3 børn, 4 forældre; 1 invitation sendes" in preview
    )
    assert "Børn 3 1 0 1 1" in preview  # in the workbook, new, changed, moved, leaving
    assert "Solsikken → Solsikkehuset" in preview
    assert "1 invitation går til en ny forælder." in preview
    assert "2 ventende invitationer trækkes tilbage." in preview  # Freja's mother, Rikke

    checked = WorkbookImport.objects.get(state="ready")
    with django_capture_on_commit_callbacks(execute=True):
        page.post(url("workbook_commit", koege.pk, checked.pk))

    solsikken.refresh_from_db()
    assert solsikken.name == "Solsikkehuset"
    assert Child.objects.get(external_key="B2").group == myren
    ida = Child.objects.get(external_key="B4")
    assert (ida.first_name, ida.group, ida.left_on) == ("Ida", myren, None)
    # The known father gets his daughter at once; only the new mother is invited.
    assert Guardianship.objects.get(child=ida, guardian=mads).external_key == "F1"
    (message,) = mailbox.wait_for(1)
    assert message["To"] == "karen.juul@example.org"
    assert Invitation.objects.filter(workbook=checked).count() == 1
    # Freja left today and is kept for the retention rules; her invitations are withdrawn.
    freja.refresh_from_db()
    assert freja.left_on == timezone.localdate()
    assert all(i.revoked_at for i in Invitation.objects.filter(child=freja))
    assert Invitation.objects.get(email="rikke.hansen@koege.example").revoked_at is not None
    # Per has not accepted yet: his invitation stands, and is not sent again.
    per = Invitation.objects.get(email="per.berg@koege.example")
    assert (per.revoked_at, per.accepted_at) == (None, None)
    # What was made in the portal is all there.
    assert LocalGoal.objects.filter(pk=goal.pk, institution=solsikken).exists()
    assert list(Post.objects.get(pk=post.pk).groups.all()) == [myren]
    assert Membership.objects.filter(pk=colleague.pk).exists()
    by_hand.refresh_from_db()
    assert by_hand.left_on is None
    assert Membership.objects.get(user=lise).external_key == "M1"


def test_the_same_workbook_again_changes_nothing_and_invites_nobody(
    koege, admin, mailbox, django_capture_on_commit_callbacks
):
    imported(admin, koege, capture=django_capture_on_commit_callbacks)
    mailbox.clear()

    again = imported(admin, koege, capture=django_capture_on_commit_callbacks)

    assert again.summary["invitations"]["total"] == 0
    assert again.summary["children"] == {
        "new": 0,
        "changed": 0,
        "moved": 0,
        "transferred": 0,
        "left": 0,
    }
    assert mailbox.messages == []
    assert Child.objects.count() == 3


def test_a_child_who_moves_daycare_leaves_a_record_behind_and_keeps_its_guardians(koege, admin):
    imported(admin, koege)
    mette = institution_services.invitation_accept(
        invitation=Invitation.objects.get(email="mette.lund@example.org"),
        name="Mette Lund",
        password="Blaabaer-og-kanel-77",
    )
    old = Child.objects.get(external_key="B3")
    children = [list(r) for r in CHILDREN]
    children[2][4:6] = ["101", "101-2"]  # Freja starts in Egernet at Solsikken

    checked = imported(admin, koege, rows(Børn=children))

    assert checked.summary["children"]["transferred"] == 1
    old.refresh_from_db()
    assert old.left_on == timezone.localdate()
    new = Child.objects.get(external_key="B3", left_on=None)
    assert new.group.name == "Egernet" and new.pk != old.pk
    assert list(new.guardians.all()) == [mette]
    assert Guardianship.objects.get(child=new).external_key == "F4"


def test_a_municipality_that_started_by_hand_is_taken_over_not_doubled(koege, admin):
    daycare = Institution.objects.create(municipality=koege, name="Solsikken", kind="integrated")
    room = Group.objects.create(institution=daycare, name="Myren")
    alma = ChildFactory(group=room, first_name="Alma", birth_date=date(2022, 5, 17))
    lise = MembershipFactory(
        institution=daycare, role=Membership.Role.LEADER, user__email="lise.holm@koege.example"
    )

    checked = imported(admin, koege)

    daycare.refresh_from_db()
    room.refresh_from_db()
    alma.refresh_from_db()
    lise.refresh_from_db()
    assert (daycare.external_key, room.external_key, alma.external_key) == ("101", "101-1", "B1")
    assert lise.external_key == "M1"
    assert Institution.objects.filter(municipality=koege).count() == 2
    assert Child.objects.count() == 3
    assert checked.summary["invitations"]["staff"] == 2  # not Lise: she has the role


# One import at a time, and only of what the preview showed ---------------------------


def test_an_import_refuses_when_the_portal_changed_since_the_preview(page, koege, admin):
    imported(admin, koege)
    daycares = [list(r) for r in rows()["Dagtilbud"]]
    daycares[0][1] = "Solsikkehuset"
    checked = services.workbook_check(
        actor=admin, municipality=koege, upload=upload(koege, rows(Dagtilbud=daycares))
    )
    # Meanwhile someone renames the daycare in the portal to what the workbook says.
    Institution.objects.filter(external_key="101").update(name="Solsikkehuset")

    done = page.post(url("workbook_commit", koege.pk, checked.pk), follow=True)

    assert (
        "Portalen er ændret siden forhåndsvisningen (en anden import eller ændringer i "
        "portalen), så intet blev importeret." in text(done)
    )
    assert "Forhåndsvisningen gælder ikke længere" in text(done)
    checked.refresh_from_db()
    assert (checked.state, checked.rows) == ("discarded", {})


def test_an_expired_preview_is_not_imported_and_is_forgotten(koege, admin):
    checked = services.workbook_check(actor=admin, municipality=koege, upload=upload(koege))
    WorkbookImport.objects.filter(pk=checked.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )

    with pytest.raises(ValidationError) as refused:
        services.workbook_import(actor=admin, workbook=checked)

    assert refused.value.messages == [
        "Forhåndsvisningen gælder ikke længere. Upload projektmappen igen."
    ]
    assert not Institution.objects.filter(municipality=koege).exists()
    assert services.workbook_previews_forget() == 1
    checked.refresh_from_db()
    assert (checked.state, checked.rows) == ("discarded", {})


def test_a_newer_upload_replaces_the_preview_waiting(koege, admin):
    first = services.workbook_check(actor=admin, municipality=koege, upload=upload(koege))
    services.workbook_check(actor=admin, municipality=koege, upload=upload(koege))

    first.refresh_from_db()
    assert (first.state, first.rows) == ("discarded", {})
    with pytest.raises(ValidationError):
        services.workbook_import(actor=admin, workbook=first)


def test_an_imported_workbook_forgets_its_rows_and_cannot_be_imported_twice(koege, admin):
    checked = imported(admin, koege)

    checked.refresh_from_db()
    assert (checked.state, checked.rows) == ("imported", {})
    assert checked.summary["totals"]["children"] == 3
    with pytest.raises(ValidationError) as refused:
        services.workbook_import(actor=admin, workbook=checked)
    assert refused.value.messages == ["Projektmappen er allerede importeret."]
    assert Child.objects.count() == 3


def test_another_municipalitys_administrator_finds_no_workbook(client, koege, admin):
    checked = services.workbook_check(actor=admin, municipality=koege, upload=upload(koege))
    solrod = MunicipalityFactory(name="Solrød Kommune", code="269")
    other = MunicipalRoleFactory(municipality=solrod).user
    client.force_login(other)

    through_ours = client.get(url("workbook_import", koege.pk, checked.pk))
    through_theirs = client.get(url("workbook_import", solrod.pk, checked.pk))
    commit = client.post(url("workbook_commit", solrod.pk, checked.pk))

    assert (through_ours.status_code, through_theirs.status_code, commit.status_code) == (
        404,
        404,
        404,
    )
    assert not Institution.objects.filter(municipality=koege).exists()
