"""Authorization matrix entries for the children's own voice (see tests/security/matrix.py).

A group's questionnaire, results, pictures and relations map: the group's own staff and
the daycare's leader, nobody else (404) – not a colleague of another group (here the
ambassador, who works in Egernet), not a parent, not the municipality. The daycare's
rolled-up results and assessment: its staff roles and the municipality. The questions
and the municipality's results: its administrators and consultants (others 403).
"""

from __future__ import annotations

from django.utils import timezone

from institutions.models import Membership
from tests.security.matrix import (
    LOGIN,
    MUNICIPAL_ADMIN,
    MUNICIPAL_READ,
    Case,
    at_institution,
    at_municipality,
    expect,
    with_objects,
)
from tests.wellbeing.helpers import add_children, give_audio, questions_of
from wellbeing import services
from wellbeing.models import Assessment


def extend_world(world) -> None:
    room = world.objects["room"]
    other_room = world.institution.groups.exclude(pk=room.pk).get()
    ambassador = Membership.objects.get(user=world.user("ambassador"), role="ambassador")
    ambassador.groups.add(other_room)
    add_children(room, 3)
    questions = questions_of(world.municipality)
    question = give_audio(questions[0])
    session = services.session_start(actor=world.user("leader"), group=room)
    pseudonym = room.wellbeing_pseudonyms.filter(child=world.objects["child"]).get()
    response = services.response_begin(session=session, pseudonym=pseudonym)
    world.objects.update(
        wellbeing_session=session,
        wellbeing_pseudonym=pseudonym,
        wellbeing_response=response,
        wellbeing_question=question,
        wellbeing_year=timezone.localdate().year,
    )
    Assessment.objects.create(institution=world.institution, year=timezone.localdate().year)


# The group's own staff and the leader; everybody else 404.
GROUP = expect(404, anonymous=LOGIN, staff=200, leader=200)
GROUP_POST = expect(404, anonymous=LOGIN, staff=302, leader=302)
# The daycare's staff roles and the municipality.
DAYCARE = expect(
    404, anonymous=LOGIN, staff=200, ambassador=200, leader=200, consultant=200, admin=200
)
# Anyone running the questionnaire in the municipality hears the questions.
AUDIO = expect(200, anonymous=LOGIN, guardian=404, board_member=404, other_admin=404)


def _year(w):
    return w.objects["wellbeing_year"]


CASES = {
    # The municipality
    "wellbeing:municipality": Case(at_municipality("wellbeing:municipality"), MUNICIPAL_READ),
    "wellbeing:questions": Case(at_municipality("wellbeing:questions"), MUNICIPAL_READ),
    "wellbeing:question_create": Case(
        at_municipality("wellbeing:question_create"), MUNICIPAL_ADMIN
    ),
    "wellbeing:questions_take_defaults": Case(
        at_municipality("wellbeing:questions_take_defaults"),
        expect(403, anonymous=LOGIN, admin=302, other_admin=404),
        method="post",
    ),
    "wellbeing:question_edit": Case(
        at_municipality("wellbeing:question_edit", "wellbeing_question"), MUNICIPAL_ADMIN
    ),
    "wellbeing:question_audio": Case(
        with_objects("wellbeing:question_audio", "wellbeing_question"), AUDIO
    ),
    # The daycare
    "wellbeing:institution": Case(at_institution("wellbeing:institution"), DAYCARE),
    "wellbeing:assessment": Case(at_institution("wellbeing:assessment"), DAYCARE),
    "wellbeing:assessment_pdf": Case(
        lambda w: at_institution("wellbeing:assessment_pdf", _year(w))(w), DAYCARE
    ),
    # A group
    "wellbeing:group": Case(with_objects("wellbeing:group", "room"), GROUP),
    "wellbeing:session_start": Case(
        with_objects("wellbeing:session_start", "room"), GROUP_POST, method="post"
    ),
    "wellbeing:pictures": Case(with_objects("wellbeing:pictures", "room"), GROUP),
    "wellbeing:pictures_give": Case(
        with_objects("wellbeing:pictures_give", "room"), GROUP_POST, method="post"
    ),
    "wellbeing:relations": Case(with_objects("wellbeing:relations", "room"), GROUP),
    # The tablet
    "wellbeing:tablet": Case(with_objects("wellbeing:tablet", "wellbeing_session"), GROUP),
    "wellbeing:begin": Case(
        with_objects("wellbeing:begin", "wellbeing_session", "wellbeing_pseudonym"),
        GROUP_POST,
        method="post",
    ),
    "wellbeing:session_close": Case(
        with_objects("wellbeing:session_close", "wellbeing_session"), GROUP_POST, method="post"
    ),
    "wellbeing:question": Case(with_objects("wellbeing:question", "wellbeing_response"), GROUP),
    "wellbeing:answer": Case(
        with_objects("wellbeing:answer", "wellbeing_response", "wellbeing_question"),
        GROUP_POST,
        method="post",
        data={"value": "3"},
    ),
    "wellbeing:thanks": Case(with_objects("wellbeing:thanks", "wellbeing_response"), GROUP),
}
