"""The pages as their users see them: the group's staff, the leader, a colleague of
another group, the municipality; bad input; and the access log."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.models import AuditEntry
from goals.models import ActionPlan, LocalGoal
from privacy.models import PersonalDataAccess
from tests.grants.helpers import assert_tagged_pdf
from tests.wellbeing.helpers import WAV, give_audio
from wellbeing import services
from wellbeing.models import Assessment, Question, Response, Session

pytestmark = pytest.mark.django_db


def test_the_groups_staff_starts_a_session_and_the_tablet_shows_the_childrens_pictures(
    world, room, login
):
    client = login(world.user("staff"))
    response = client.post(f"/trivsel/grupper/{room.pk}/start/")
    session = Session.objects.get(group=room)
    assert response["Location"] == f"/trivsel/tablet/{session.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert page.count('class="tablet-child"') == 7
    assert "Find dit billede" in page
    assert "Alma" in page


def test_a_question_screen_has_the_picture_the_sound_and_three_smileys(world, room, session, login):
    question = give_audio(Question.objects.get(pk=session.question_ids[0]))
    pseudonym = room.wellbeing_pseudonyms.filter(child__isnull=False).first()
    client = login(world.user("staff"))
    response = client.post(f"/trivsel/tablet/{session.pk}/barn/{pseudonym.pk}/")
    page = client.get(response["Location"]).content.decode()
    assert f'src="/trivsel/spoergsmaal/{question.pk}/lyd/?v=' in page
    assert 'aria-label="Hør spørgsmålet igen"' in page
    for name in ("Glad", "Både og", "Ked af det"):
        assert f'aria-label="{name}"' in page
    assert f"#q-{question.picture}" in page
    audio = client.get(f"/trivsel/spoergsmaal/{question.pk}/lyd/")
    assert audio["Content-Type"] == "audio/wav"
    assert b"".join(audio.streaming_content) == WAV


def test_a_question_without_sound_tells_the_adult_to_read_it(world, room, session, login):
    Question.objects.filter(pk=session.question_ids[0]).update(audio="")
    pseudonym = room.wellbeing_pseudonyms.filter(child__isnull=False).first()
    client = login(world.user("staff"))
    response = client.post(f"/trivsel/tablet/{session.pk}/barn/{pseudonym.pk}/")
    page = client.get(response["Location"]).content.decode()
    assert "<audio" not in page
    assert "den voksne læser det højt" in page


def test_a_colleague_of_another_group_gets_404_everywhere_in_the_group(
    world, room, session, other_group_staff, login
):
    client = login(other_group_staff)
    pseudonym = room.wellbeing_pseudonyms.filter(child__isnull=False).first()
    for path in (
        f"/trivsel/grupper/{room.pk}/",
        f"/trivsel/grupper/{room.pk}/relationer/",
        f"/trivsel/grupper/{room.pk}/billeder/",
        f"/trivsel/tablet/{session.pk}/",
    ):
        assert client.get(path).status_code == 404, path
    assert client.post(f"/trivsel/tablet/{session.pk}/barn/{pseudonym.pk}/").status_code == 404
    # The daycare's rolled-up results are open to every staff member.
    assert client.get(f"/institutioner/{world.institution.pk}/trivsel/").status_code == 200


def test_viewing_the_relations_map_and_the_pictures_is_logged(world, room, login):
    client = login(world.user("leader"))
    client.get(f"/trivsel/grupper/{room.pk}/relationer/")
    client.get(f"/trivsel/grupper/{room.pk}/billeder/")
    entries = AuditEntry.objects.filter(actor=world.user("leader"), object_id=str(room.pk))
    assert set(entries.values_list("action", flat=True)) == {
        "wellbeing.relations_viewed",
        "wellbeing.pictures_viewed",
    }
    assert all(e.institution_id == world.institution.pk for e in entries)


def test_new_children_get_their_pictures_when_staff_give_them_out_not_by_looking(
    world, room, login
):
    pictures = f"/trivsel/grupper/{room.pk}/billeder/"
    give = f"/trivsel/grupper/{room.pk}/billeder/nye/"
    client = login(world.user("staff"))
    page = client.get(pictures).content.decode()
    assert "Nye i gruppen: Alma" in page and give in page
    assert not room.wellbeing_pseudonyms.exists()

    assert client.post(give)["Location"] == pictures
    assert room.wellbeing_pseudonyms.filter(child__isnull=False).count() == 7
    page = client.get(pictures).content.decode()
    assert give not in page and 'name="pseudonym"' in page


def test_staff_change_a_childs_picture_but_not_to_one_already_taken(world, room, login):
    first, second, *_ = services.pseudonyms_ensure(group=room)
    client = login(world.user("staff"))
    client.post(
        f"/trivsel/grupper/{room.pk}/billeder/", {"pseudonym": second.pk, "symbol": first.symbol}
    )
    second.refresh_from_db()
    assert second.symbol != first.symbol
    client.post(
        f"/trivsel/grupper/{room.pk}/billeder/", {"pseudonym": second.pk, "symbol": "kite-green"}
    )
    second.refresh_from_db()
    assert second.symbol == "kite-green"
    # The picture is the child's own: the change is in the log its guardians see.
    assert list(
        PersonalDataAccess.objects.filter(action="change").values_list("actor", "child", "purpose")
    ) == [
        (
            world.user("staff").pk,
            second.child_id,
            "The children's pictures in the wellbeing questionnaire",
        )
    ]


def test_the_default_questions_are_shown_and_taken_into_use_by_the_administrator(world, login):
    """Looking at the questions copies nothing: the defaults are shown as they ship, and
    become the municipality's own (to change) when the administrator takes them into use."""
    questions = f"/kommune/{world.municipality.pk}/trivsel/spoergsmaal/"
    take = f"/kommune/{world.municipality.pk}/trivsel/spoergsmaal/standard/"
    client = login(world.user("consultant"))
    page = client.get(questions).content.decode()
    assert "Kan du lide at lege her i børnehaven?" in page
    assert take not in page
    assert client.post(take).status_code == 403

    client = login(world.user("admin"))
    page = client.get(questions).content.decode()
    assert "Kan du lide at lege her i børnehaven?" in page and take in page
    assert "/rediger/" not in page
    assert not Question.objects.filter(municipality=world.municipality).exists()

    assert client.post(take)["Location"] == questions
    play = Question.objects.get(municipality=world.municipality, default_code="play")
    page = client.get(questions).content.decode()
    assert f"/spoergsmaal/{play.pk}/rediger/" in page and take not in page


def test_the_administrator_edits_and_adds_questions(world, login, settings):
    settings.WELLBEING_ESPEAK = "no-such-espeak-program"
    client = login(world.user("admin"))
    client.post(f"/kommune/{world.municipality.pk}/trivsel/spoergsmaal/standard/")
    question = Question.objects.get(municipality=world.municipality, default_code="play")

    response = client.post(
        f"/kommune/{world.municipality.pk}/trivsel/spoergsmaal/{question.pk}/rediger/",
        {
            "text": "Er det sjovt at lege her?",
            "dimension": "psychological",
            "picture": "play",
            "position": "5",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert (question.text, question.position) == ("Er det sjovt at lege her?", 5)
    assert AuditEntry.objects.filter(action="wellbeing.question_changed").exists()

    response = client.post(
        f"/kommune/{world.municipality.pk}/trivsel/spoergsmaal/nyt/",
        {
            "text": "Kan du lide at synge?",
            "kind": "smiley",
            "dimension": "aesthetic",
            "picture": "beauty",
            "is_active": "on",
            "recording": SimpleUploadedFile("sang.wav", WAV, content_type="audio/wav"),
        },
    )
    assert response.status_code == 302
    added = Question.objects.get(text="Kan du lide at synge?")
    assert added.audio_source == Question.AudioSource.RECORDING
    assert added.position > question.position


def test_a_bad_question_form_says_why_and_changes_nothing(world, login):
    client = login(world.user("admin"))
    client.get(f"/kommune/{world.municipality.pk}/trivsel/spoergsmaal/")
    count = Question.objects.filter(municipality=world.municipality).count()
    response = client.post(
        f"/kommune/{world.municipality.pk}/trivsel/spoergsmaal/nyt/",
        {
            "text": "  ",
            "kind": "smiley",
            "dimension": "space",
            "picture": "nope",
            "recording": SimpleUploadedFile("virus.wav", b"MZ\x90\x00" * 10),
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "virus.wav: Filens indhold passer ikke til dens navn" in page
    assert Question.objects.filter(municipality=world.municipality).count() == count


def test_the_leader_writes_and_completes_the_assessment_with_an_action_plan(world, login):
    goal = LocalGoal.objects.create(
        institution=world.institution, title="Rolige stuer", didactic_considerations="Lyd"
    )
    plan = ActionPlan.objects.create(goal=goal, title="Mindre larm")
    client = login(world.user("leader"))
    url = f"/institutioner/{world.institution.pk}/trivsel/boernemiljoe/"
    data = {
        "physical": "Larm ved frokost",
        "psychological": "",
        "aesthetic": "",
        "action_plan_id": plan.pk,
        "complete": "1",
    }
    response = client.post(url, data)
    assert response.status_code == 400
    assert "før du afslutter vurderingen" in response.content.decode()
    assert not Assessment.objects.filter(status="completed").exists()

    data.update(psychological="Venskaber", aesthetic="Børnenes tegninger")
    assert client.post(url, data).status_code == 302
    assessment = Assessment.objects.get(institution=world.institution)
    assert assessment.is_completed and assessment.action_plan_id == plan.pk
    page = client.get(url).content.decode()
    assert "Rolige stuer: Mindre larm" in page
    pdf = client.get(f"{url}{assessment.year}.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    assert_tagged_pdf(pdf.content)


def test_staff_read_the_assessment_but_only_the_leader_writes_it(world, login):
    client = login(world.user("staff"))
    url = f"/institutioner/{world.institution.pk}/trivsel/boernemiljoe/"
    assert "Skriv vurderingen" not in client.get(url).content.decode()
    assert client.post(url, {"physical": "x"}).status_code == 403


@pytest.mark.parametrize("bad", ["1; DROP TABLE x", "²", "-1", "9" * 40, ""])
def test_odd_numbers_from_the_browser_are_turned_away_without_a_change(
    world, room, session, login, bad
):
    first, second, *_ = services.pseudonyms_ensure(group=room)
    client = login(world.user("staff"))
    response = client.post(
        f"/trivsel/grupper/{room.pk}/billeder/", {"pseudonym": bad, "symbol": "kite-green"}
    )
    assert response.status_code == 404
    begun = client.post(f"/trivsel/tablet/{session.pk}/barn/{first.pk}/")
    answer_pk = int(begun["Location"].rstrip("/").rsplit("/", 1)[1])
    for question in Question.objects.filter(pk__in=session.question_ids):
        if question.kind == Question.Kind.PEERS:
            data = {"chosen": [bad, str(second.pk)]}
        else:
            data = {"value": bad}
        response = client.post(f"/trivsel/tablet/svar/{answer_pk}/{question.pk}/", data)
        assert response.status_code == 302
    answered = Response.objects.get(pk=answer_pk)
    assert not answered.answers.exists()
    assert not answered.choices.exists()
