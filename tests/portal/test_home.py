"""The home page leads with what each role does most: a guardian the news and the
answers from the staff, staff the posts and the shared inbox, a leader the day's tasks, the
municipality the dashboard. Everything else follows in brief, each card one link."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from core.shell import home_sections
from institutions.selectors import roles_for
from messaging import services
from messaging.models import Post
from tests.goals.factories import ActionStepFactory, LocalGoalFactory
from tests.messaging.helpers import build_family

pytestmark = pytest.mark.django_db

HOME = reverse("home")


def da(text: str, **values) -> str:
    with translation.override("da"):
        return translation.gettext(text) % values if values else translation.gettext(text)


def home(client, user) -> str:
    client.force_login(user)
    response = client.get(HOME)
    assert response.status_code == 200
    return response.content.decode()


def lead_headings(html: str) -> list[str]:
    """The sections shown in full, in their order on the page."""
    return re.findall(r'<h2 id="section-\d+">([^<]+)</h2>', html)


def brief_headings(html: str) -> list[str]:
    return re.findall(r'<h3 class="h4" id="more-\d+">([^<]+)</h3>', html)


def links(html: str) -> set[str]:
    main = html[html.index('id="main-content"') :]
    return {href.replace("&amp;", "&") for href in re.findall(r'href="([^"]+)"', main)}


def thread_from(guardian, child, subject: str):
    return services.thread_start(
        guardian=guardian, child=child, to="group", subject=subject, body="Hej"
    )


def test_a_guardians_home_opens_with_the_news_and_the_staffs_answers(client, world):
    family = build_family(world)
    post = services.post_create(
        actor=family.staff,
        municipality=world.municipality,
        institution=family.daycare,
        audience=Post.Audience.GROUPS,
        groups=[family.room],
        kind=Post.Kind.PRACTICAL,
        title="Husk regntøj",
        body="Vi går en tur.",
    )
    services.post_publish(post_id=post.pk)
    thread = thread_from(family.guardian, family.alma, "Hentes tidligt")
    services.message_reply(author=family.staff, thread=thread, body="Det er fint.")

    html = home(client, family.guardian)

    headings = lead_headings(html)
    assert headings[:2] == [da("News and messages"), da("Your children")]
    news = html[html.index(da("News and messages")) : html.index(da("Your children"))]
    assert "Husk regntøj" in news and da("Unread") in news
    assert "Hentes tidligt" in news  # the staff answered: unread for the family
    assert f'href="{reverse("messaging:thread", args=[thread.pk])}"' in news
    assert da("%(count)d unread post.", count=1) in news


def test_a_guardian_reads_the_news_before_the_place_sign_ups(client, world):
    headings = lead_headings(home(client, world.user("guardian")))

    assert headings.index(da("News and messages")) < headings.index(da("Place in daycare"))


def test_staffs_home_opens_with_the_posts_and_the_shared_inbox(client, world):
    family = build_family(world)
    thread_from(family.guardian, family.alma, "Syg i dag")

    html = home(client, family.staff)

    first = lead_headings(html)[0]
    assert first == da("Families at %(name)s", name="Solstrålen")
    section = html[html.index(first) : html.index("</section>", html.index(first))]
    assert da("%(count)d conversation awaits an answer.", count=1) in section
    assert f'href="{reverse("messaging:post_create", args=[family.daycare.pk])}"' in section


def test_a_leaders_home_leads_with_todays_tasks_and_the_rest_in_brief(client, world):
    family = build_family(world)
    leader = world.user("leader")
    goal = LocalGoalFactory(institution=world.institution)
    late = ActionStepFactory(
        plan__goal=goal, owner=leader, title="Indkøb af tablets", due_on=timezone.localdate()
    )
    late.due_on = timezone.localdate() - timedelta(days=3)
    late.save()
    ActionStepFactory(plan__goal=goal, owner=leader, title="Forældremøde om film")
    thread_from(family.guardian, family.alma, "Syg i dag")

    html = home(client, leader)

    assert lead_headings(html) == [da("Today")]
    today = html[html.index(da("Today")) : html.index('id="home-more"')]
    # The overdue step and the waiting family come before what is due later.
    assert today.index("Indkøb af tablets") < today.index("Forældremøde om film")
    waiting_text = da("%(count)d conversation awaits an answer", count=1)
    assert today.index(waiting_text) < today.index("Forældremøde om film")
    assert da("Overdue") in today
    waiting = reverse("messaging:institution_inbox", args=[world.institution.pk]) + "?vis=venter"
    assert f'href="{waiting.replace("&", "&amp;")}"' in today
    # Indicators not met are tasks too, not a table of every indicator.
    assert da("Not met") in today
    assert "<table" not in html
    assert da("Families at %(name)s", name="Solstrålen") in brief_headings(html)


def test_nothing_is_lost_from_the_home_page_every_card_is_still_one_link_away(client, world, rf):
    leader = world.user("leader")
    request = rf.get(HOME)
    request.user = leader
    cards = {card.url for s in home_sections(request, roles_for(leader)) for card in s.cards}
    assert len(cards) > 15

    assert cards <= links(home(client, leader))


def test_the_municipalitys_home_leads_with_the_dashboard(client, world):
    html = home(client, world.user("admin"))

    headings = lead_headings(html)
    assert headings[0] == da("Status of the strategy: %(name)s", name="Køge Kommune")
    section = html[html.index(headings[0]) :]
    first_card = re.search(r'<a class="card" href="([^"]+)"', section).group(1)
    assert first_card == reverse("indicators:municipality", args=[world.municipality.pk])


def test_a_leaders_home_keeps_a_fixed_number_of_queries_as_tasks_grow(client, world):
    family = build_family(world)
    leader = world.user("leader")
    client.force_login(leader)

    def count() -> int:
        client.get(HOME)  # the session, and the dashboard's cached evaluation
        with CaptureQueriesContext(connection) as queries:
            assert client.get(HOME).status_code == 200
        # Nothing is read twice: what the day's tasks show is not counted again for the
        # sections that follow in brief.
        sql = [query["sql"] for query in queries]
        assert len(set(sql)) == len(sql)
        return len(queries)

    goal = LocalGoalFactory(institution=world.institution)
    ActionStepFactory(plan__goal=goal, owner=leader)
    thread_from(family.guardian, family.alma, "Første")
    few = count()
    for n in range(6):
        ActionStepFactory(plan__goal=goal, owner=leader)
        thread_from(family.guardian, family.alma, f"Emne {n}")
    assert count() == few
