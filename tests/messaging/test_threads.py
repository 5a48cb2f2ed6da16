"""Threads: a guardian writes to a child's group or the leader, staff write to one or many
guardians (a thread each), the shared inbox answers, closures reply automatically,
sensitive threads stay with the leader, search finds one's own messages."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.models import AuditEntry, Notification
from institutions.models import Membership
from messaging import selectors, services
from messaging.models import ClosurePeriod, Message, Thread
from tests.factories import GroupFactory, InstitutionFactory, MembershipFactory
from tests.messaging.helpers import closed_today, pdf, state
from tests.smtp import body_text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def start(family, *, to="group", sensitive=False, child=None, body="Alma har feber.", **kw):
    return services.thread_start(
        guardian=family.guardian,
        child=child or family.alma,
        to=to,
        subject="Syg i dag",
        body=body,
        sensitive=sensitive,
        **kw,
    )


def told(user) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user, kind="messaging.message"))


def test_a_guardian_writes_to_the_staff_of_the_childs_group(family):
    thread = start(family, files=[pdf()])

    assert (thread.institution, thread.group, thread.child) == (
        family.daycare,
        family.room,
        family.alma,
    )
    message = thread.messages.get()
    assert (message.author, message.from_staff) == (family.guardian, False)
    assert message.attachments.get().name == "madplan.pdf"
    assert thread.awaiting_staff
    # The pedagogue of Myren is told; the colleague without the group and the leader are not.
    assert [n.subject for n in told(family.staff)] == ["Ny besked: Syg i dag"]
    assert told(family.colleague) == []
    assert told(family.leader) == []
    assert told(family.guardian) == []
    assert AuditEntry.objects.filter(action="thread.started", actor=family.guardian).exists()


def test_a_guardian_writes_to_the_leader(family):
    thread = start(family, to="leader")

    assert thread.to == Thread.To.LEADER
    assert len(told(family.leader)) == 1
    assert told(family.staff) == []


def test_a_group_without_assigned_staff_reaches_all_staff(family):
    family.staff.memberships.get().groups.clear()

    start(family)

    assert len(told(family.staff)) == 1
    assert len(told(family.colleague)) == 1


def test_a_guardian_cannot_write_about_someone_elses_child(family):
    before = state()

    with pytest.raises(ValidationError, match="your own children"):
        start(family, child=family.karla)

    assert state() == before


def test_an_empty_message_is_refused_and_nothing_stored(family):
    before = state()

    with pytest.raises(ValidationError, match="Write a message"):
        start(family, body="   ")

    assert state() == before


def test_a_colleague_answers_from_the_shared_inbox_and_the_family_sees_who(family):
    thread = start(family)

    services.message_reply(author=family.colleague, thread=thread, body="God bedring til Alma.")

    thread.refresh_from_db()
    assert thread.answered_by == family.colleague
    assert not thread.awaiting_staff
    (notification,) = told(family.guardian)
    assert "Nanna Friis" in notification.body
    assert "God bedring til Alma." in notification.body
    inbox = list(selectors.institution_inbox(family.staff, family.daycare))
    assert [(t.pk, t.answered_by) for t in inbox] == [(thread.pk, family.colleague)]


def test_read_state_is_per_person(family):
    thread = start(family)

    assert selectors.institution_inbox(family.staff, family.daycare).get().unread
    assert selectors.institution_inbox(family.colleague, family.daycare).get().unread
    assert not selectors.family_inbox(family.guardian).get().unread

    services.thread_mark_read(user=family.staff, thread=thread)
    assert not selectors.institution_inbox(family.staff, family.daycare).get().unread
    assert selectors.institution_inbox(family.colleague, family.daycare).get().unread

    services.message_reply(author=family.colleague, thread=thread, body="Tak.")
    assert selectors.family_inbox(family.guardian).get().unread
    assert not selectors.institution_inbox(family.colleague, family.daycare).get().unread


def test_a_sensitive_thread_is_visible_only_to_the_guardian_and_the_leader(family, world):
    thread = start(family, to="group", sensitive=True)

    assert thread.to == Thread.To.LEADER
    visible = Thread.objects.visible_to
    assert visible(family.guardian).filter(pk=thread.pk).exists()
    assert visible(family.leader).filter(pk=thread.pk).exists()
    for outsider in (family.staff, family.colleague, world.users["ambassador"]):
        assert not visible(outsider).filter(pk=thread.pk).exists()
    assert not visible(world.users["admin"]).filter(pk=thread.pk).exists()


def test_the_email_about_a_sensitive_thread_never_contains_the_text(
    family, mailbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        thread = start(family, to="leader", sensitive=True, body="Vi er ved at blive skilt.")
    with django_capture_on_commit_callbacks(execute=True):
        services.message_reply(author=family.leader, thread=thread, body="Lad os tale sammen.")

    messages = mailbox.wait_for(2)
    assert sorted(m["To"] for m in messages) == sorted([family.leader.email, family.guardian.email])
    for message in messages:
        text = body_text(message)
        html = message.get_body(preferencelist=("html",)).get_content()
        for part in (message["Subject"], text, html):
            assert "skilt" not in part and "tale sammen" not in part and "Syg i dag" not in part
        assert message["Subject"] == "Du har en ny besked i Dagtilbudsportalen"
        assert "Du har en ny besked. Log ind for at læse den." in text
        assert f"http://testserver/beskeder/{thread.pk}/" in text


def test_only_the_leader_may_answer_a_sensitive_thread(family):
    from messaging.permissions import can_reply

    thread = start(family, sensitive=True)

    assert can_reply(family.leader, thread)
    assert not can_reply(family.staff, thread)


def test_staff_write_to_many_guardians_and_each_gets_a_thread_of_their_own(family):
    threads = services.threads_start_from_staff(
        actor=family.staff,
        institution=family.daycare,
        guardians=[family.guardian, family.neighbour_guardian],
        subject="Forældremøde",
        body="Vi holder forældremøde tirsdag.",
    )

    assert len(threads) == 2
    assert {t.guardian for t in threads} == {family.guardian, family.neighbour_guardian}
    assert {t.child for t in threads} == {family.alma, family.karla}
    mine = selectors.family_inbox(family.guardian).get()
    # Nothing in the guardian's thread names the other family.
    names = {m.author.name for m in mine.messages.all()} | {mine.guardian.name}
    assert "Hans Nabo" not in names
    assert len(told(family.guardian)) == 1
    assert len(told(family.neighbour_guardian)) == 1
    services.message_reply(author=family.guardian, thread=mine, body="Vi kommer.")
    other = Thread.objects.get(guardian=family.neighbour_guardian)
    assert other.messages.count() == 1
    assert told(family.neighbour_guardian)[0].body.count("Vi kommer") == 0


def test_staff_cannot_write_to_guardians_of_another_institution(family, world):
    from tests.factories import GuardianshipFactory

    stranger = GuardianshipFactory(child=world.objects["neighbour_child"]).guardian
    before = state()

    with pytest.raises(ValidationError, match="guardians of the institution"):
        services.threads_start_from_staff(
            actor=family.staff,
            institution=family.daycare,
            guardians=[family.guardian, stranger],
            subject="Hej",
            body="Hej",
        )

    assert state() == before


def test_a_guardian_writing_on_a_closed_day_gets_the_automatic_reply_once(family):
    closure = closed_today(family.daycare)

    thread = start(family)
    services.message_reply(author=family.guardian, thread=thread, body="Og en ting mere.")

    automatic = thread.messages.filter(author=None)
    assert [m.body for m in automatic] == [closure.reply]
    assert automatic.get().from_staff
    assert thread.messages.count() == 3


def test_no_automatic_reply_on_an_open_day_or_to_staff(family):
    tomorrow = timezone.localdate() + timedelta(days=1)
    ClosurePeriod.objects.create(
        institution=family.daycare, starts_on=tomorrow, ends_on=tomorrow, reply="Lukket"
    )
    thread = start(family)
    assert not thread.messages.filter(author=None).exists()


def test_closure_periods_of_one_institution_cannot_overlap(family):
    services.closure_create(
        actor=family.leader,
        institution=family.daycare,
        starts_on=date(2027, 7, 13),
        ends_on=date(2027, 7, 24),
        reply="Sommerferie",
    )

    with pytest.raises(ValidationError, match="overlaps"):
        services.closure_create(
            actor=family.leader,
            institution=family.daycare,
            starts_on=date(2027, 7, 20),
            ends_on=date(2027, 8, 2),
            reply="Mere ferie",
        )
    with pytest.raises(ValidationError, match="before the first"):
        services.closure_create(
            actor=family.leader,
            institution=family.daycare,
            starts_on=date(2027, 9, 2),
            ends_on=date(2027, 9, 1),
            reply="Fejl",
        )
    # Another institution may close on the same days.
    services.closure_create(
        actor=family.leader,
        institution=family.club,
        starts_on=date(2027, 7, 13),
        ends_on=date(2027, 7, 24),
        reply="SFO'en holder lukket",
    )
    assert ClosurePeriod.objects.count() == 2
    assert AuditEntry.objects.filter(action="closure.created").count() == 2


def test_one_inbox_holds_the_conversations_with_daycare_and_after_school_club(family):
    daycare_thread = start(family)
    club_thread = start(family, child=family.viggo)

    assert club_thread.institution == family.club
    assert list(selectors.family_inbox(family.guardian)) == [club_thread, daycare_thread]


def test_when_a_child_moves_on_the_family_keeps_its_history_and_reaches_the_new_staff(family):
    old = start(family)
    services.message_reply(author=family.staff, thread=old, body="Velkommen tilbage.")
    school = InstitutionFactory(
        municipality=family.daycare.municipality, name="Ellebækskolen", kind="school"
    )
    first_grade = GroupFactory(institution=school, name="0.A")
    teacher = MembershipFactory(institution=school, role=Membership.Role.STAFF).user
    teacher.memberships.get().groups.add(first_grade)
    family.alma.group = first_grade
    family.alma.save()

    new = start(family)

    assert new.institution == school
    assert len(told(teacher)) == 1
    assert set(selectors.family_inbox(family.guardian)) == {old, new}
    # The daycare still has its conversation, and cannot see the school's.
    assert list(selectors.institution_inbox(family.staff, family.daycare)) == [old]
    assert not Thread.objects.visible_to(family.staff).filter(pk=new.pk).exists()


def test_search_finds_words_in_ones_own_messages_with_danish_stemming(family):
    mine = start(family, body="Alma har ondt i maven og bliver hjemme.")
    services.threads_start_from_staff(
        actor=family.staff,
        institution=family.daycare,
        guardians=[family.neighbour_guardian],
        subject="Maveonde",
        body="Karla havde ondt i maven i dag.",
    )

    hits = selectors.search_messages(family.guardian, "maverne")
    assert [h.message.thread for h in hits] == [mine]
    assert "<mark>maven</mark>" in hits[0].excerpt

    staff_hits = selectors.search_messages(family.staff, "maven")
    assert len(staff_hits) == 2
    assert selectors.search_messages(family.guardian, "Karla") == []


def test_search_escapes_what_people_wrote(family):
    start(family, body="Se <script>alert(1)</script> & 3 < 4 maven")

    (hit,) = selectors.search_messages(family.guardian, "maven")

    assert "<script>" not in hit.excerpt
    assert "<" not in hit.excerpt.replace("<mark>", "").replace("</mark>", "")
    assert "<mark>maven</mark>" in hit.excerpt


def test_replies_keep_their_order_and_each_is_audited(family):
    thread = start(family)
    services.message_reply(author=family.staff, thread=thread, body="Et")
    services.message_reply(author=family.guardian, thread=thread, body="To")

    assert [m.body for m in Message.objects.filter(thread=thread)] == [
        "Alma har feber.",
        "Et",
        "To",
    ]
    thread.refresh_from_db()
    assert thread.awaiting_staff
    assert AuditEntry.objects.filter(action="message.sent").count() == 2


def test_only_the_leader_writes_sensitive_messages_to_guardians(family):
    before = state()
    with pytest.raises(ValidationError, match="Only the leader"):
        services.threads_start_from_staff(
            actor=family.staff,
            institution=family.daycare,
            guardians=[family.guardian],
            subject="Fortroligt",
            body="Hej",
            sensitive=True,
        )
    assert state() == before

    (thread,) = services.threads_start_from_staff(
        actor=family.leader,
        institution=family.daycare,
        guardians=[family.guardian],
        subject="Fortroligt",
        body="Kan vi mødes?",
        sensitive=True,
    )
    (notification,) = told(family.guardian)
    assert "Kan vi mødes" not in notification.body + notification.subject
    assert not Thread.objects.visible_to(family.staff).filter(pk=thread.pk).exists()
