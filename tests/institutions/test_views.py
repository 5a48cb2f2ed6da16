"""The institution pages as their users see them: what each page shows, what each form
stores or refuses (in Danish, storing nothing), and that nobody reaches another
institution's or municipality's data. Which role gets which status code on every URL is
the authorization matrix's job (tests/security); here are the stories behind it."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from institutions.models import (
    ChildrenCount,
    Group,
    Institution,
    Invitation,
    Membership,
    MunicipalRole,
)
from tests.factories import (
    ChildFactory,
    ChildrenCountFactory,
    GroupFactory,
    GuardianshipFactory,
    InstitutionFactory,
    MembershipFactory,
    MunicipalityFactory,
    MunicipalRoleFactory,
)
from tests.institutions.helpers import csv_upload, shown, snapshot, xlsx_upload
from tests.smtp import body_text

pytestmark = pytest.mark.django_db

REQUIRED = "Dette felt er påkrævet."  # Django's own Danish: the pages speak Danish


def url(name: str, *args) -> str:
    return reverse(f"institutions:{name}", args=args)


def field_error(page: str, field: str) -> str:
    """The text of one field's error message element ("" when there is none)."""
    match = re.search(
        rf'<span class="form-error-message" id="id_{field}-error">(.*?)</span>\s*(?=<|$)',
        page,
        re.S,
    )
    return re.sub(r"<[^>]+>", "", match.group(1)).strip() if match else ""


def messages_on(page: str) -> str:
    return " ".join(re.findall(r'<p class="alert-text">(.*?)</p>', page, re.S))


# Tenant isolation ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "page",
    [
        lambda w: url("people", w.neighbour.pk),
        lambda w: url("children", w.neighbour.pk),
        lambda w: url("child", w.neighbour.pk, w.objects["neighbour_child"].pk),
        # Another daycare's child reached through our own daycare's address.
        lambda w: url("child", w.institution.pk, w.objects["neighbour_child"].pk),
        lambda w: url("group_edit", w.institution.pk, w.objects["neighbour_room"].pk),
        lambda w: url("detail", w.neighbour.pk),
    ],
    ids=["people", "children", "child", "child-via-own", "group-via-own", "detail"],
)
def test_leader_cannot_see_another_institutions_people_or_children_404(world, login, page):
    response = login(world.user("leader")).get(page(world))

    assert response.status_code == 404
    otto = world.objects["neighbour_child"]
    # The full name: a user's random name may well contain "Otto".
    assert f"{otto.first_name} {otto.last_name}" not in response.content.decode()
    assert "leder2@example.org" not in response.content.decode()


def test_leader_cannot_remove_a_role_in_another_institution_404(world, login):
    client = login(world.user("leader"))
    neighbours = world.objects["neighbour_membership"]
    before = snapshot()

    through_neighbour = client.post(url("membership_remove", world.neighbour.pk, neighbours.pk))
    through_own = client.post(url("membership_remove", world.institution.pk, neighbours.pk))

    assert (through_neighbour.status_code, through_own.status_code) == (404, 404)
    assert snapshot() == before


def test_leader_cannot_withdraw_another_institutions_invitation_404(world, login):
    client = login(world.user("leader"))
    before = snapshot()

    response = client.post(
        url("invitation_revoke", world.institution.pk, world.objects["neighbour_invitation"].pk)
    )

    assert response.status_code == 404
    assert snapshot() == before


@pytest.mark.parametrize(
    "page",
    [
        lambda w: url("detail", w.foreign.pk),
        lambda w: url("edit", w.foreign.pk),
        lambda w: url("people", w.foreign.pk),
        lambda w: url("counts", w.foreign.pk),
        lambda w: url("municipality", w.other_municipality.pk),
        lambda w: url("municipality_people", w.other_municipality.pk),
        lambda w: url("municipality_import", w.other_municipality.pk),
        lambda w: reverse("indicators:municipality", args=[w.other_municipality.pk]),
    ],
    ids=["detail", "edit", "people", "counts", "list", "staff", "import", "indicators"],
)
def test_administrator_cannot_see_another_municipalitys_institutions_404(world, login, page):
    response = login(world.user("admin")).get(page(world))

    assert response.status_code == 404
    assert "Havtornen" not in response.content.decode()


def test_administrator_cannot_change_another_municipalitys_data_404(world, login):
    client = login(world.user("admin"))
    before = snapshot()

    answers = [
        client.post(url("edit", world.foreign.pk), {"name": "Overtaget", "kind": "nursery"}),
        client.post(
            url("counts", world.foreign.pk),
            {"counted_on": "2025-01-01", "aged_0_2": 1, "aged_3_5": 1, "aged_6_plus": 0},
        ),
        client.post(
            url(
                "municipal_role_remove",
                world.other_municipality.pk,
                world.objects["foreign_role"].pk,
            )
        ),
        client.post(
            url("municipal_role_remove", world.municipality.pk, world.objects["foreign_role"].pk)
        ),
    ]

    assert [a.status_code for a in answers] == [404, 404, 404, 404]
    assert snapshot() == before


def test_municipality_list_shows_only_its_own_institutions(world, login):
    page = login(world.user("consultant")).get(url("municipality", world.municipality.pk))

    content = page.content.decode()
    for name in ("Solstrålen", "Troldehøjen", "Dagplejen"):
        assert name in content
    assert "Havtornen" not in content


def test_board_member_sees_the_institution_but_not_its_children_or_people(world, login):
    client = login(world.user("board_member"))

    detail = client.get(url("detail", world.institution.pk))
    children = client.get(url("children", world.institution.pk))
    people = client.get(url("people", world.institution.pk))

    assert detail.status_code == 200
    assert url("children", world.institution.pk) not in detail.content.decode()
    assert (children.status_code, people.status_code) == (403, 403)
    assert "Alma" not in children.content.decode()


# Roles without the right: 403 and nothing stored --------------------------------------


def test_staff_member_without_the_leader_role_gets_403_on_the_invite_page(
    world, login, mailbox, django_capture_on_commit_callbacks
):
    client = login(world.user("staff"))
    before = snapshot()

    shown_page = client.get(url("invite", world.institution.pk))
    with django_capture_on_commit_callbacks(execute=True):
        posted = client.post(
            url("invite", world.institution.pk),
            {"name": "Pia", "email": "pia@example.org", "role": "staff", "language": "da"},
        )

    assert (shown_page.status_code, posted.status_code) == (403, 403)
    assert snapshot() == before
    assert mailbox.messages == []


def test_the_403_page_gives_the_reason(world, login):
    response = login(world.user("staff")).get(url("invite", world.institution.pk))

    assert response.status_code == 403
    assert shown("Only the leader and the municipality's administrators can invite people.") in (
        response.content.decode()
    )


def test_leader_cannot_record_children_counts_403(world, login):
    client = login(world.user("leader"))
    before = snapshot()

    page = client.get(url("counts", world.institution.pk))
    posted = client.post(
        url("counts", world.institution.pk),
        {"counted_on": "2025-02-01", "aged_0_2": 3, "aged_3_5": 4, "aged_6_plus": 0},
    )

    assert page.status_code == 200
    assert 'name="aged_0_2"' not in page.content.decode()  # no form to fill in
    assert posted.status_code == 403
    assert snapshot() == before


def test_staff_cannot_invite_a_guardian_403(world, login):
    child = world.objects["child"]
    client = login(world.user("staff"))
    before = snapshot()

    page = client.get(url("child", world.institution.pk, child.pk))
    posted = client.post(
        url("child", world.institution.pk, child.pk),
        {"name": "Mor", "email": "mor@example.org", "language": "da"},
    )

    assert page.status_code == 200
    assert 'name="email"' not in page.content.decode()
    assert posted.status_code == 403
    assert snapshot() == before


# Institutions -------------------------------------------------------------------------


def test_administrator_creates_an_institution(world, login):
    client = login(world.user("admin"))

    response = client.post(
        url("create", world.municipality.pk),
        {
            "name": "Mælkebøtten",
            "kind": "kindergarten",
            "ownership": "self_governing",
            "postcode": "4600",
            "city": "Køge",
            "is_active": "on",
        },
        follow=True,
    )

    created = world.municipality.institutions.get(name="Mælkebøtten")
    assert response.redirect_chain[-1][0] == url("detail", created.pk)
    assert (created.kind, created.ownership, created.postcode) == (
        "kindergarten",
        "self_governing",
        "4600",
    )
    assert shown("The institution was created.") in response.content.decode()


def test_an_empty_institution_form_shows_danish_field_errors_and_stores_nothing(world, login):
    client = login(world.user("admin"))
    before = snapshot()

    response = client.post(url("create", world.municipality.pk), {"name": "", "kind": ""})

    page = response.content.decode()
    assert response.status_code == 200
    assert field_error(page, "name") == f"{shown('Error:')} {REQUIRED}"
    assert REQUIRED in field_error(page, "kind")
    assert 'aria-invalid="true"' in page
    assert snapshot() == before


def test_an_institution_name_the_municipality_has_is_refused_on_the_page(world, login):
    client = login(world.user("admin"))
    before = snapshot()

    response = client.post(
        url("create", world.municipality.pk),
        {"name": "solstrålen", "kind": "nursery", "ownership": "municipal"},
    )

    assert response.status_code == 200
    assert shown("The municipality already has an institution with that name.") in (
        response.content.decode()
    )
    assert snapshot() == before


def test_administrator_edits_an_institution(world, login):
    client = login(world.user("admin"))

    client.post(
        url("edit", world.institution.pk),
        {"name": "Solstrålen", "kind": "nursery", "ownership": "private", "district": "Syd"},
    )

    world.institution.refresh_from_db()
    assert (world.institution.kind, world.institution.ownership) == ("nursery", "private")
    assert world.institution.district == "Syd"
    assert world.institution.is_active is False  # an unticked box closes it


def test_renaming_to_a_neighbours_name_is_refused_and_changes_nothing(world, login):
    client = login(world.user("admin"))
    before = snapshot()

    response = client.post(
        url("edit", world.institution.pk),
        {"name": "Troldehøjen", "kind": "nursery", "ownership": "private", "is_active": "on"},
    )

    assert response.status_code == 200
    assert shown("The municipality already has an institution with that name.") in (
        response.content.decode()
    )
    assert snapshot() == before


def test_an_invalid_postcode_is_shown_on_the_field(world, login):
    client = login(world.user("admin"))
    before = snapshot()

    response = client.post(
        url("edit", world.institution.pk),
        {"name": "Solstrålen", "kind": "nursery", "ownership": "municipal", "postcode": "46"},
    )

    assert shown("A Danish postcode is four digits.") in field_error(
        response.content.decode(), "postcode"
    )
    assert snapshot() == before


# Municipality list filters ------------------------------------------------------------


@pytest.fixture
def roskilde():
    municipality = MunicipalityFactory(name="Roskilde Kommune", code="265")
    InstitutionFactory(municipality=municipality, name="Ahorn", kind="nursery", district="Nord")
    InstitutionFactory(
        municipality=municipality,
        name="Birk",
        kind="kindergarten",
        ownership="private",
        district="Syd",
    )
    InstitutionFactory(municipality=municipality, name="Cedertræet", kind="school", district="Syd")
    InstitutionFactory(
        municipality=municipality, name="Dunet", kind="nursery", district="", is_active=False
    )
    return municipality


def _listed(client, municipality, **query) -> list[str]:
    page = client.get(url("municipality", municipality.pk), query).content.decode()
    return re.findall(r'<th scope="row"><a href="/institutioner/\d+/">([^<]+)</a>', page)


@pytest.mark.parametrize(
    "query,expected",
    [
        ({}, ["Ahorn", "Birk", "Cedertræet", "Dunet"]),
        ({"type": "nursery"}, ["Ahorn", "Dunet"]),
        ({"type": "school"}, ["Cedertræet"]),
        ({"ejerform": "private"}, ["Birk"]),
        ({"distrikt": "Syd"}, ["Birk", "Cedertræet"]),
        ({"distrikt": "Syd", "type": "kindergarten"}, ["Birk"]),
        ({"type": "kindergarten", "ejerform": "municipal"}, []),
        ({"type": "castle"}, ["Ahorn", "Birk", "Cedertræet", "Dunet"]),  # unknown: ignored
    ],
)
def test_municipality_list_filters(roskilde, login, query, expected):
    client = login(MunicipalRoleFactory(municipality=roskilde, role="consultant").user)

    assert _listed(client, roskilde, **query) == expected


def test_municipality_list_offers_its_districts_and_marks_the_chosen_filter(roskilde, login):
    client = login(MunicipalRoleFactory(municipality=roskilde).user)

    page = client.get(url("municipality", roskilde.pk), {"distrikt": "Syd"}).content.decode()

    assert re.findall(r'<option value="(Nord|Syd)"', page) == ["Nord", "Syd"]
    assert '<option value="Syd" selected>' in page
    assert 'href="' + url("create", roskilde.pk) + '"' in page


def test_municipality_list_shows_group_counts_and_the_latest_children_count(roskilde, login):
    ahorn = roskilde.institutions.get(name="Ahorn")
    GroupFactory(institution=ahorn)
    GroupFactory(institution=ahorn)
    GroupFactory(institution=ahorn, is_active=False)
    ChildrenCountFactory(institution=ahorn, counted_on=date(2024, 1, 1), aged_0_2=5, aged_3_5=6)
    ChildrenCountFactory(institution=ahorn, counted_on=date(2025, 1, 1), aged_0_2=17, aged_3_5=29)
    client = login(MunicipalRoleFactory(municipality=roskilde).user)

    page = client.get(url("municipality", roskilde.pk)).content.decode()

    row = re.search(r"Ahorn</a>.*?</tr>", page, re.S).group(0)
    cells = re.findall(r'<td class="align-text-right">([^<]*)</td>', row)
    assert cells == ["2", "17", "29"]


def test_consultant_sees_no_create_button(roskilde, login):
    client = login(MunicipalRoleFactory(municipality=roskilde, role="consultant").user)

    page = client.get(url("municipality", roskilde.pk)).content.decode()

    assert url("create", roskilde.pk) not in page


# Groups and children ------------------------------------------------------------------


def test_leader_creates_a_group_and_sees_it_on_the_institution_page(world, login):
    client = login(world.user("leader"))

    response = client.post(
        url("group_create", world.institution.pk),
        {"name": "Sommerfuglen", "kind": "room", "is_active": "on"},
        follow=True,
    )

    assert world.institution.groups.filter(name="Sommerfuglen", kind="room").exists()
    assert "Sommerfuglen" in response.content.decode()


def test_a_group_name_the_institution_has_is_refused_and_nothing_stored(world, login):
    client = login(world.user("leader"))
    before = snapshot()

    response = client.post(
        url("group_create", world.institution.pk), {"name": "MYREN", "kind": "room"}
    )

    assert response.status_code == 200
    assert shown("The institution already has a group with that name.") in response.content.decode()
    assert snapshot() == before


def test_leader_renames_a_group(world, login):
    room = world.objects["room"]

    login(world.user("leader")).post(
        url("group_edit", world.institution.pk, room.pk),
        {"name": "Myretuen", "kind": "room", "is_active": "on"},
    )

    room.refresh_from_db()
    assert room.name == "Myretuen"


def test_renaming_a_group_to_its_neighbours_name_changes_nothing(world, login):
    room = world.objects["room"]
    before = snapshot()

    response = login(world.user("leader")).post(
        url("group_edit", world.institution.pk, room.pk),
        {"name": "Egernet", "kind": "room", "is_active": "on"},
    )

    assert shown("The institution already has a group with that name.") in response.content.decode()
    assert snapshot() == before


def test_only_the_units_childminders_are_offered_for_a_home(world, login):
    unit = world.objects["childminding"]
    page = login(world.user("admin")).get(url("group_create", unit.pk)).content.decode()
    childminder = world.user("childminder")

    options = re.findall(
        r'<option value="(\d+)"', page.split('name="childminder"')[1].split("</select>")[0]
    )
    assert options == [str(childminder.pk)]


def test_leader_adds_a_child_who_then_appears_in_the_group(world, login):
    client = login(world.user("leader"))
    room = world.objects["room"]

    response = client.post(
        url("child_create", world.institution.pk),
        {"first_name": "Bertil", "birth_date": "2023-04-05", "group": room.pk},
    )

    child = room.children.get(first_name="Bertil")
    assert child.birth_date == date(2023, 4, 5)
    assert response["Location"] == url("child", world.institution.pk, child.pk)
    listing = client.get(url("children", world.institution.pk)).content.decode()
    assert "Bertil" in listing
    assert "05.04.2023" in listing


def test_a_birth_date_in_the_future_is_refused_and_nothing_stored(world, login):
    client = login(world.user("leader"))
    tomorrow = timezone.localdate() + timedelta(days=1)
    before = snapshot()

    response = client.post(
        url("child_create", world.institution.pk),
        {
            "first_name": "Fremtid",
            "birth_date": tomorrow.isoformat(),
            "group": world.objects["room"].pk,
        },
    )

    assert response.status_code == 200
    assert shown("The birth date cannot be in the future.") in response.content.decode()
    assert snapshot() == before


def test_a_child_cannot_be_put_in_another_institutions_group(world, login):
    client = login(world.user("leader"))
    before = snapshot()

    response = client.post(
        url("child_create", world.institution.pk),
        {
            "first_name": "Snyd",
            "birth_date": "2023-01-01",
            "group": world.objects["neighbour_room"].pk,
        },
    )

    assert field_error(response.content.decode(), "group")
    assert snapshot() == before


def test_children_page_shows_current_children_by_group_with_guardian_counts(world, login):
    room = world.objects["room"]
    ChildFactory(
        group=room, first_name="Gået", started_on=date(2023, 1, 1), left_on=date(2024, 1, 1)
    )
    GuardianshipFactory(child=world.objects["child"])  # Alma's second guardian

    page = login(world.user("staff")).get(url("children", world.institution.pk)).content.decode()

    assert "Alma" in page
    assert "Gået" not in page
    alma_row = re.search(r"Alma</a></th>.*?</tr>", page, re.S).group(0)
    assert '<td class="align-text-right">2</td>' in alma_row


def test_leader_invites_a_guardian_from_the_childs_page(
    world, login, mailbox, django_capture_on_commit_callbacks
):
    child = world.objects["child"]
    client = login(world.user("leader"))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("child", world.institution.pk, child.pk),
            {"name": "Morten Far", "email": "far@example.org", "language": "en"},
        )

    assert response.status_code == 302
    invitation = Invitation.objects.get(email="far@example.org")
    assert (invitation.child, invitation.institution, invitation.language) == (child, None, "en")
    (message,) = mailbox.wait_for(1)
    assert "Alma" in body_text(message)
    page = client.get(url("child", world.institution.pk, child.pk)).content.decode()
    assert "far@example.org" in page  # listed as not yet accepted


# Children counts ----------------------------------------------------------------------


def test_administrator_records_a_count_and_sees_it_listed(world, login):
    client = login(world.user("admin"))

    response = client.post(
        url("counts", world.institution.pk),
        {"counted_on": "2025-02-01", "aged_0_2": 21, "aged_3_5": 38, "aged_6_plus": 0},
        follow=True,
    )

    count = ChildrenCount.objects.get(institution=world.institution, counted_on=date(2025, 2, 1))
    assert (count.aged_0_2, count.aged_3_5) == (21, 38)
    page = response.content.decode()
    assert "01.02.2025" in page
    assert '<td class="align-text-right">59</td>' in page


def test_recording_a_date_again_corrects_its_count(world, login):
    client = login(world.user("admin"))  # the world has 20 + 40 on 2025-01-01

    client.post(
        url("counts", world.institution.pk),
        {"counted_on": "2025-01-01", "aged_0_2": 22, "aged_3_5": 41, "aged_6_plus": 0},
    )

    (count,) = ChildrenCount.objects.filter(institution=world.institution)
    assert (count.aged_0_2, count.aged_3_5) == (22, 41)


def test_a_negative_count_is_refused_on_the_field_in_danish(world, login):
    client = login(world.user("admin"))
    before = snapshot()

    response = client.post(
        url("counts", world.institution.pk),
        {"counted_on": "2025-02-01", "aged_0_2": -1, "aged_3_5": 38, "aged_6_plus": 0},
    )

    error = field_error(response.content.decode(), "aged_0_2")
    # Django's own message, in Danish.
    assert shown(
        "Ensure this value is greater than or equal to %(limit_value)s.", limit_value=0
    ) in (error)
    assert snapshot() == before


def test_a_count_in_the_future_is_refused(world, login):
    client = login(world.user("admin"))
    tomorrow = timezone.localdate() + timedelta(days=1)
    before = snapshot()

    response = client.post(
        url("counts", world.institution.pk),
        {"counted_on": tomorrow.isoformat(), "aged_0_2": 1, "aged_3_5": 1, "aged_6_plus": 0},
    )

    assert shown("A children count cannot be dated in the future.") in response.content.decode()
    assert snapshot() == before


# People and invitations ---------------------------------------------------------------


def test_leader_invites_a_colleague_who_gets_the_email(
    world, login, mailbox, django_capture_on_commit_callbacks
):
    client = login(world.user("leader"))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("invite", world.institution.pk),
            {"name": "Pia Pædagog", "email": "pia@example.org", "role": "staff", "language": "da"},
            follow=True,
        )

    invitation = Invitation.objects.get(email="pia@example.org")
    assert (invitation.institution, invitation.role) == (world.institution, "staff")
    assert invitation.invited_by == world.user("leader")
    assert response.redirect_chain[-1][0] == url("people", world.institution.pk)
    page = response.content.decode()
    assert shown("The invitation was sent to %(email)s.", email="pia@example.org") in page
    assert "pia@example.org" in page  # in the list of pending invitations
    (message,) = mailbox.wait_for(1)
    assert message["To"] == "pia@example.org"


def test_leader_cannot_appoint_a_leader_and_nothing_is_stored(world, login):
    client = login(world.user("leader"))
    before = snapshot()

    page = client.get(url("invite", world.institution.pk)).content.decode()
    response = client.post(
        url("invite", world.institution.pk),
        {"name": "Ny Leder", "email": "ny-leder@example.org", "role": "leader", "language": "da"},
    )

    assert '<option value="leader"' not in page
    assert response.status_code == 200
    assert field_error(response.content.decode(), "role")
    assert snapshot() == before


def test_an_invalid_email_address_is_shown_on_the_field(world, login):
    client = login(world.user("leader"))
    before = snapshot()

    response = client.post(
        url("invite", world.institution.pk),
        {"name": "Pia", "email": "pia(at)example.org", "role": "staff", "language": "da"},
    )

    assert "Indtast en gyldig e-mail-adresse." in field_error(response.content.decode(), "email")
    assert snapshot() == before


def test_inviting_a_current_colleague_to_their_role_is_refused_on_the_page(world, login):
    client = login(world.user("leader"))
    before = snapshot()

    response = client.post(
        url("invite", world.institution.pk),
        {"name": "Pædagogen", "email": "paedagog@example.org", "role": "staff", "language": "da"},
    )

    assert shown("%(email)s already has this role.", email="paedagog@example.org") in (
        response.content.decode()
    )
    assert snapshot() == before


def test_people_page_lists_everyone_with_a_role(world, login):
    page = login(world.user("staff")).get(url("people", world.institution.pk)).content.decode()

    for email in (
        "leder@example.org",
        "ambassador@example.org",
        "paedagog@example.org",
        "bestyrelse@example.org",
    ):
        assert email in page
    assert "leder2@example.org" not in page
    assert "ny@example.org" not in page  # pending invitations are for those who may invite
    assert "/fjern/" not in page  # and staff cannot remove anybody


def test_leader_removes_a_staff_member(world, login):
    membership = world.objects["staff_membership"]
    client = login(world.user("leader"))

    response = client.post(
        url("membership_remove", world.institution.pk, membership.pk), follow=True
    )

    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert shown("The role was removed.") in response.content.decode()


def test_removing_the_only_leader_is_refused_with_a_message(world, login):
    leader_membership = Membership.objects.get(user=world.user("leader"), role="leader")
    client = login(world.user("admin"))
    before = snapshot()

    response = client.post(
        url("membership_remove", world.institution.pk, leader_membership.pk), follow=True
    )

    assert shown("An institution must keep at least one leader.") in messages_on(
        response.content.decode()
    )
    assert snapshot() == before


def test_leader_withdraws_a_pending_invitation(world, login):
    invitation = world.objects["invitation"]
    client = login(world.user("leader"))

    client.post(url("invitation_revoke", world.institution.pk, invitation.pk))

    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert (
        client.get(reverse("institutions:invitation_accept", args=[invitation.token])).status_code
        == 410
    )


# Municipal staff ----------------------------------------------------------------------


def test_administrator_invites_a_consultant(
    world, login, mailbox, django_capture_on_commit_callbacks
):
    client = login(world.user("admin"))

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url("municipality_people", world.municipality.pk),
            {
                "name": "Kim Konsulent",
                "email": "kim@example.org",
                "role": "consultant",
                "language": "da",
            },
        )

    invitation = Invitation.objects.get(email="kim@example.org")
    assert (invitation.municipal_role, invitation.institution) == ("consultant", None)
    assert len(mailbox.wait_for(1)) == 1
    page = client.get(url("municipality_people", world.municipality.pk)).content.decode()
    assert "kim@example.org" in page


def test_administrator_removes_a_consultant(world, login):
    role = world.objects["consultant_role"]

    login(world.user("admin")).post(url("municipal_role_remove", world.municipality.pk, role.pk))

    assert not MunicipalRole.objects.filter(pk=role.pk).exists()


def test_administrator_cannot_remove_their_own_role(world, login):
    own = MunicipalRole.objects.get(user=world.user("admin"))
    client = login(world.user("admin"))
    before = snapshot()

    response = client.post(url("municipal_role_remove", world.municipality.pk, own.pk), follow=True)

    assert shown("You cannot remove your own municipal role.") in messages_on(
        response.content.decode()
    )
    assert snapshot() == before


# Import -------------------------------------------------------------------------------


def _import(client, municipality, upload, kind="institutions", **extra):
    return client.post(
        url("municipality_import", municipality.pk), {"kind": kind, "file": upload}, **extra
    )


def test_import_of_a_file_with_a_bad_row_answers_400_lists_the_row_and_stores_nothing(world, login):
    client = login(world.user("admin"))
    before = snapshot()
    upload = csv_upload(
        [
            ["navn", "type", "postnummer"],
            ["Mælkebøtten", "børnehave", "4600"],
            ["Humlebien", "legestue", "4600"],
        ]
    )

    response = _import(client, world.municipality, upload)

    assert response.status_code == 400
    page = response.content.decode()
    assert shown("Nothing was stored. Correct these rows and try again:") in page
    errors = re.findall(r"<li>(.*?)</li>", page.split('class="import-errors"')[1].split("</ul>")[0])
    assert len(errors) == 1
    assert errors[0].startswith(shown("Row %(row)s", row=3) + ": ")
    assert "legestue" in errors[0]
    assert snapshot() == before


def test_import_of_a_good_file_stores_it_and_says_how_much(world, login):
    client = login(world.user("admin"))
    upload = csv_upload(
        [["institution", "dato", "0-2 år", "3-5 år"], ["Solstrålen", "2025-03-01", "22", "41"]],
        delimiter=",",
    )

    response = _import(client, world.municipality, upload, kind="counts", follow=True)

    assert response.redirect_chain[-1][0] == url("municipality_import", world.municipality.pk)
    assert ChildrenCount.objects.filter(
        institution=world.institution, counted_on=date(2025, 3, 1), aged_0_2=22
    ).exists()
    assert (
        shown(
            "The file was imported: %(created)d created, %(updated)d updated.", created=1, updated=0
        )
        in response.content.decode()
    )


def test_import_of_an_xlsx_file_through_the_page(world, login):
    client = login(world.user("admin"))
    upload = xlsx_upload([["Institution", "Navn"], ["Troldehøjen", "Ræven"]])

    response = _import(client, world.municipality, upload, kind="groups")

    assert response.status_code == 302
    assert Group.objects.filter(institution=world.neighbour, name="Ræven").exists()


def test_import_of_another_file_type_is_refused_on_the_field(world, login):
    client = login(world.user("admin"))
    before = snapshot()

    response = _import(client, world.municipality, SimpleUploadedFile("liste.pdf", b"%PDF-1.7"))

    assert shown("Choose a CSV or an Excel (.xlsx) file.") in field_error(
        response.content.decode(), "file"
    )
    assert snapshot() == before


def test_import_of_a_file_over_the_size_limit_is_refused_on_the_field(world, login, settings):
    settings.IMPORT_MAX_BYTES = 1024 * 1024
    client = login(world.user("admin"))
    before = snapshot()
    rows = [["navn", "type"]] + [[f"Institution {n:06d}", "vuggestue"] for n in range(40000)]

    response = _import(client, world.municipality, csv_upload(rows))

    assert shown("The file is too large. The largest file is %(size)d MB.", size=1) in (
        field_error(response.content.decode(), "file")
    )
    assert snapshot() == before


def test_import_of_binary_junk_is_refused_with_a_clear_message(world, login):
    client = login(world.user("admin"))
    before = snapshot()

    response = _import(
        client, world.municipality, SimpleUploadedFile("liste.xlsx", b"\x00\x01\x02 not a workbook")
    )

    assert response.status_code == 400
    assert shown("The file could not be read as an Excel workbook.") in response.content.decode()
    assert snapshot() == before


def test_consultant_cannot_import_403(world, login):
    client = login(world.user("consultant"))
    before = snapshot()

    response = _import(
        client, world.municipality, csv_upload([["navn", "type"], ["X", "vuggestue"]])
    )

    assert response.status_code == 403
    assert snapshot() == before


def test_import_template_is_a_csv_excel_opens_with_the_danish_letters(world, login):
    response = login(world.user("admin")).get(
        url("import_template", world.municipality.pk, "counts")
    )

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="skabelon-boernetal.csv"' in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeffinstitution;dato;0-2 år;3-5 år;6+ år")


def test_an_unknown_import_template_is_not_found(world, login):
    response = login(world.user("admin")).get(
        url("import_template", world.municipality.pk, "children")
    )
    assert response.status_code == 404


# Lists run a fixed number of queries --------------------------------------------------


def _queries(client, path) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries.captured_queries), response.content.decode()


def test_municipality_list_runs_a_fixed_number_of_queries_as_institutions_grow(login):
    municipality = MunicipalityFactory()
    client = login(MunicipalRoleFactory(municipality=municipality).user)
    path = url("municipality", municipality.pk)

    def grow(up_to):
        for n in range(municipality.institutions.count(), up_to):
            institution = InstitutionFactory(
                municipality=municipality, name=f"Institution {n:02d}", district=f"D{n % 4}"
            )
            GroupFactory(institution=institution)
            ChildrenCountFactory(institution=institution)

    grow(3)
    client.get(path)
    few, _ = _queries(client, path)
    grow(30)
    many, page = _queries(client, path)

    assert few == many
    assert page.count("Institution ") >= 30


def test_children_page_runs_a_fixed_number_of_queries_as_children_grow(world, login):
    client = login(world.user("leader"))
    path = url("children", world.institution.pk)
    client.get(path)
    few, _ = _queries(client, path)
    for n in range(20):
        group = world.objects["room"] if n % 2 else GroupFactory(institution=world.institution)
        GuardianshipFactory(child=ChildFactory(group=group, first_name=f"Barn{n:02d}"))

    many, page = _queries(client, path)

    assert few == many
    assert len(re.findall(r"Barn\d\d", page)) == 20


def test_institution_page_runs_a_fixed_number_of_queries_as_groups_and_people_grow(world, login):
    client = login(world.user("leader"))
    path = url("detail", world.institution.pk)
    client.get(path)
    few, _ = _queries(client, path)
    for n in range(10):
        GroupFactory(institution=world.institution, name=f"Gruppe {n}")
        MembershipFactory(institution=world.institution, role="ambassador")

    many, page = _queries(client, path)

    assert few == many
    # One row per group (the indicators may name groups too).
    assert len(re.findall(r'<th scope="row"><a href="[^"]+">Gruppe \d</a></th>', page)) == 10


def test_people_page_runs_a_fixed_number_of_queries_as_staff_grow(world, login):
    client = login(world.user("leader"))
    path = url("people", world.institution.pk)
    client.get(path)
    few, _ = _queries(client, path)
    for _n in range(15):
        MembershipFactory(institution=world.institution, role="staff")

    many, _ = _queries(client, path)

    assert few == many


def test_institution_page_counts_an_inactive_group_out(world, login):
    GroupFactory(institution=world.institution, name="Nedlagt", is_active=False)

    page = login(world.user("leader")).get(url("detail", world.institution.pk)).content.decode()

    assert "Nedlagt" not in page
    assert Institution.objects.get(pk=world.institution.pk).groups.count() == 3
