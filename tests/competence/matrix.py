"""Authorization matrix entries for competence development (see tests/security/matrix.py).

Competence pages belong to the municipality's staff: its administrators and consultants
and everyone with a staff role in one of its daycares (our leader, ambassador and staff,
the neighbouring leader, the childminder in the municipal childminding unit). A guardian
and a board member can see the municipality but not these pages (403), and objects of the
app are not even visible to them (404). The other municipality's administrator sees
nothing (404).
"""

from django.urls import reverse
from django.utils import timezone

from competence.models import CalendarFeed, Comment, Registration
from tests.competence.factories import (
    ActivityFactory,
    EventFactory,
    MeetingFactory,
    MeetingFileFactory,
    NetworkFactory,
    PlanFactory,
    PostFactory,
    PostFileFactory,
    RegistrationFactory,
)
from tests.security.matrix import (
    INSTITUTION,
    LOGGED_IN,
    LOGIN,
    Case,
    at_institution,
    at_municipality,
    expect,
    plain,
    with_objects,
)

YEAR = timezone.localdate().year

READ = expect(200, anonymous=LOGIN, guardian=403, board_member=403, other_admin=404)
# Objects of the app: invisible to guardians, board members and the other municipality.
HIDDEN = {"anonymous": LOGIN, "guardian": 404, "board_member": 404, "other_admin": 404}
VISIBLE = expect(200, **HIDDEN)
ADMIN_ONLY = expect(403, anonymous=LOGIN, admin=200, other_admin=404)
STAFF_ROLES_200 = {
    "leader": 200,
    "ambassador": 200,
    "staff": 200,
    "childminder": 200,
    "other_leader": 200,
}
PLAN_READERS = {"staff": 200, "ambassador": 200, "leader": 200, "consultant": 200, "admin": 200}


def extend_world(world):
    w, o = world, world.objects
    o["event"] = EventFactory(municipality=w.municipality, title="Opstartskonference")
    o["registration"] = RegistrationFactory(
        event=o["event"], institution=w.institution, user=w.users["staff"]
    )
    o["network"] = NetworkFactory(municipality=w.municipality, organiser=w.users["consultant"])
    o["network"].members.add(w.institution, w.objects["childminding"])
    o["meeting"] = MeetingFactory(network=o["network"])
    o["meeting_file"] = MeetingFileFactory(meeting=o["meeting"])
    o["plan"] = PlanFactory(institution=w.institution, year=YEAR)
    o["activity"] = ActivityFactory(plan=o["plan"])
    o["post"] = PostFactory(institution=w.institution, author=w.users["ambassador"])
    o["post_file"] = PostFileFactory(post=o["post"])
    o["comment"] = Comment.objects.create(post=o["post"], author=w.users["staff"], body="Tak!")
    o["feed"] = CalendarFeed.objects.create(user=w.users["leader"])
    assert o["registration"].status == Registration.Status.CONFIRMED


def _plan(name, *extra):
    return at_institution(name, YEAR, *extra)


def _feed(w) -> str:
    return reverse("competence:calendar_feed", args=[w.objects["feed"].token])


CASES = {
    # The municipality's pages
    "competence:overview": Case(at_municipality("competence:overview"), READ),
    "competence:ambassadors": Case(at_municipality("competence:ambassadors"), READ),
    "competence:plans": Case(
        at_municipality("competence:plans"),
        expect(403, anonymous=LOGIN, consultant=200, admin=200, other_admin=404),
    ),
    "competence:events": Case(at_municipality("competence:events"), READ),
    "competence:event_create": Case(at_municipality("competence:event_create"), ADMIN_ONLY),
    "competence:networks": Case(at_municipality("competence:networks"), READ),
    "competence:network_create": Case(at_municipality("competence:network_create"), ADMIN_ONLY),
    "competence:posts": Case(at_municipality("competence:posts"), READ),
    "competence:post_create": Case(
        at_municipality("competence:post_create"),
        expect(403, anonymous=LOGIN, other_admin=404, **STAFF_ROLES_200),
    ),
    # Competence plans of our daycare
    "competence:plan_current": Case(
        at_institution("competence:plan_current"),
        expect(403, **INSTITUTION, **dict.fromkeys(PLAN_READERS, 302)),
    ),
    "competence:plan": Case(_plan("competence:plan"), expect(403, **INSTITUTION, **PLAN_READERS)),
    "competence:plan_edit": Case(
        _plan("competence:plan_edit"), expect(403, **INSTITUTION, leader=200)
    ),
    "competence:activity_create": Case(
        _plan("competence:activity_create"), expect(403, **INSTITUTION, leader=200, ambassador=200)
    ),
    "competence:activity_edit": Case(
        _plan("competence:activity_edit", "activity"),
        expect(403, **INSTITUTION, leader=200, ambassador=200),
    ),
    "competence:activity_delete": Case(
        _plan("competence:activity_delete", "activity"),
        expect(403, **INSTITUTION, leader=302, ambassador=302),
        method="post",
    ),
    # Events
    "competence:event": Case(with_objects("competence:event", "event"), VISIBLE),
    "competence:event_edit": Case(
        with_objects("competence:event_edit", "event"), expect(403, **HIDDEN, admin=200)
    ),
    "competence:event_register": Case(
        with_objects("competence:event_register", "event"),
        expect(403, **HIDDEN, **dict.fromkeys(STAFF_ROLES_200, 302)),
        method="post",
    ),
    "competence:registration_cancel": Case(
        with_objects("competence:registration_cancel", "event", "registration"),
        expect(403, **HIDDEN, staff=302, leader=302, admin=302),
        method="post",
    ),
    "competence:event_registrations": Case(
        with_objects("competence:event_registrations", "event"),
        expect(403, **HIDDEN, consultant=200, admin=200),
    ),
    "competence:event_invite": Case(
        with_objects("competence:event_invite", "event"),
        expect(403, **HIDDEN, admin=302),
        method="post",
    ),
    "competence:event_checkin": Case(
        with_objects("competence:event_checkin", "event"),
        expect(403, **HIDDEN, consultant=200, admin=200),
    ),
    "competence:event_checkin_toggle": Case(
        with_objects("competence:event_checkin_toggle", "event", "registration"),
        expect(403, **HIDDEN, consultant=302, admin=302),
        method="post",
        data={"arrived": "1"},
    ),
    "competence:event_ics": Case(with_objects("competence:event_ics", "event"), VISIBLE),
    # Networks and meetings (the consultant organises the network)
    "competence:network": Case(with_objects("competence:network", "network"), VISIBLE),
    "competence:network_edit": Case(
        with_objects("competence:network_edit", "network"),
        expect(403, **HIDDEN, consultant=200, admin=200),
    ),
    "competence:network_generate": Case(
        with_objects("competence:network_generate", "network"),
        expect(403, **HIDDEN, consultant=200, admin=200),
    ),
    "competence:meeting": Case(with_objects("competence:meeting", "meeting"), VISIBLE),
    "competence:meeting_edit": Case(
        with_objects("competence:meeting_edit", "meeting"),
        expect(403, **HIDDEN, consultant=200, admin=200),
    ),
    "competence:meeting_minutes": Case(
        with_objects("competence:meeting_minutes", "meeting"),
        expect(403, **HIDDEN, consultant=200, admin=200),
    ),
    "competence:meeting_attendance": Case(
        with_objects("competence:meeting_attendance", "meeting"),
        expect(403, **HIDDEN, consultant=200, admin=200),
    ),
    "competence:meeting_file": Case(
        with_objects("competence:meeting_file", "meeting", "meeting_file"), VISIBLE
    ),
    # The personal calendar
    "competence:calendar": Case(plain("competence:calendar"), LOGGED_IN),
    "competence:calendar_revoke": Case(
        plain("competence:calendar_revoke"), expect(302, anonymous=LOGIN), method="post"
    ),
    "competence:calendar_feed": Case(_feed, expect(200)),
    # Knowledge sharing (the ambassador wrote the post, the pedagogue the comment)
    "competence:post": Case(with_objects("competence:post", "post"), VISIBLE),
    "competence:post_edit": Case(
        with_objects("competence:post_edit", "post"), expect(403, **HIDDEN, ambassador=200)
    ),
    "competence:post_delete": Case(
        with_objects("competence:post_delete", "post"),
        expect(403, **HIDDEN, ambassador=302, admin=302),
        method="post",
    ),
    "competence:post_useful": Case(
        with_objects("competence:post_useful", "post"),
        expect(302, **HIDDEN, ambassador=403),
        method="post",
    ),
    "competence:comment_create": Case(
        with_objects("competence:comment_create", "post"),
        expect(302, **HIDDEN),
        method="post",
        data={"body": "Godt tip"},
    ),
    "competence:comment_delete": Case(
        with_objects("competence:comment_delete", "post", "comment"),
        expect(403, **HIDDEN, staff=302, admin=302),
        method="post",
    ),
    "competence:post_file": Case(
        with_objects("competence:post_file", "post", "post_file"), VISIBLE
    ),
}
