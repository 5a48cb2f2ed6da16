"""The indicator registry (core/indicators.py) and the first indicator: "each daycare
has named at least one digital ambassador besides its leader"."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

import core.indicators as registry
from core.indicators import (
    NOT_APPLICABLE,
    Area,
    Indicator,
    Level,
    Result,
    Status,
    all_indicators,
    evaluate,
    get_indicator,
    indicators_changed,
    register,
)
from institutions.indicators import AmbassadorNamed
from institutions.models import Institution, Membership
from tests.factories import (
    InstitutionFactory,
    MembershipFactory,
    MunicipalityFactory,
    MunicipalRoleFactory,
    UserFactory,
)
from tests.institutions.helpers import shown

pytestmark = pytest.mark.django_db

CODE = "institutions.ambassador_named"


@pytest.fixture
def isolated_registry(monkeypatch):
    """Indicators registered by a test are forgotten after it."""
    monkeypatch.setattr(registry, "_registry", dict(registry._registry))


@pytest.fixture
def koege():
    return MunicipalityFactory(name="Køge Kommune", code="259")


def daycare(municipality, name, *, leader="Lene", ambassadors=(), kind="integrated", **fields):
    institution = InstitutionFactory(municipality=municipality, name=name, kind=kind, **fields)
    people = {}
    if leader:
        people[leader] = MembershipFactory(
            institution=institution,
            role=Membership.Role.LEADER,
            user__name=leader,
            user__totp=True,  # leaders log in with two factors
        ).user
    for person in ambassadors:
        user = people.get(person) or UserFactory(name=person)
        MembershipFactory(institution=institution, role=Membership.Role.AMBASSADOR, user=user)
    return institution


def result_for(institution) -> Result:
    matrix = evaluate(municipality=institution.municipality, institutions=[institution])
    return matrix.result(get_indicator(CODE), institution)


# The registry -------------------------------------------------------------------------


def test_the_ambassador_indicator_is_found_by_autodiscovery():
    indicator = get_indicator(CODE)

    assert isinstance(indicator, AmbassadorNamed)
    assert indicator in all_indicators()
    assert (indicator.area, indicator.level) == (Area.COMPETENCE, Level.LOCAL)


def test_an_indicator_without_a_code_is_refused(isolated_registry):
    class Nameless(Indicator):
        pass

    with pytest.raises(ValueError, match="needs a code"):
        register(Nameless)


def test_two_indicators_cannot_share_a_code(isolated_registry):
    class Copy(Indicator):
        code = CODE

    with pytest.raises(ValueError, match="share the code"):
        register(Copy)
    assert isinstance(get_indicator(CODE), AmbassadorNamed)


def test_registering_the_same_class_again_is_harmless(isolated_registry):
    register(AmbassadorNamed)
    assert [i.code for i in all_indicators()].count(CODE) == 1


def test_indicators_are_ordered_by_area_then_order(isolated_registry):
    def make(code, area, order):
        return register(type(code, (Indicator,), {"code": code, "area": area, "order": order}))

    make("test.it_first", Area.IT_SERVICE, 1)
    make("test.media_late", Area.DIGITAL_MEDIA, 50)
    make("test.media_early", Area.DIGITAL_MEDIA, 5)
    make("test.competence_last", Area.COMPETENCE, 999)

    codes = [i.code for i in all_indicators()]

    assert codes.index("test.media_early") < codes.index("test.media_late")
    assert codes.index("test.media_late") < codes.index(CODE)
    assert codes.index(CODE) < codes.index("test.competence_last")
    assert codes.index("test.competence_last") < codes.index("test.it_first")


@pytest.mark.parametrize(
    "deadline,today,satisfied,status",
    [
        (None, date(2025, 6, 1), True, Status.MET),
        (None, date(2025, 6, 1), False, Status.NOT_MET),
        (date(2025, 12, 31), date(2025, 6, 1), False, Status.AT_RISK),
        (date(2025, 12, 31), date(2025, 12, 31), False, Status.AT_RISK),
        (date(2025, 12, 31), date(2026, 1, 1), False, Status.NOT_MET),
        (date(2025, 12, 31), date(2026, 1, 1), True, Status.MET),
    ],
)
def test_grading_before_and_after_the_deadline(deadline, today, satisfied, status):
    indicator = type("Graded", (Indicator,), {"code": "test.graded", "deadline": deadline})()
    assert indicator.graded(satisfied, today) == status


def test_evaluate_gives_every_institution_a_result_for_every_indicator(isolated_registry, koege):
    seen = []

    @register
    class Counting(Indicator):
        code = "test.counting"

        def evaluate(self, *, municipality, institutions, today):
            seen.append((municipality, [i.name for i in institutions], today))
            # Says nothing about the second daycare: it is shown as not applicable.
            return {institutions[0].pk: Result(Status.MET, "ok")}

    first = daycare(koege, "A")
    second = daycare(koege, "B")
    school = daycare(koege, "C", kind=Institution.Kind.SCHOOL)

    matrix = evaluate(municipality=koege, today=date(2025, 6, 1))

    counting = get_indicator("test.counting")
    assert seen == [(koege, ["A", "B"], date(2025, 6, 1))]  # schools are never asked about
    assert matrix.result(counting, first) == Result(Status.MET, "ok")
    assert matrix.result(counting, second) == NOT_APPLICABLE
    assert matrix.result(counting, school) == NOT_APPLICABLE
    assert [row[0] for row in matrix.rows()] == [first, second, school]
    assert matrix.count(counting, Status.MET) == 1
    assert matrix.applicable(counting) == 1


def test_evaluate_leaves_out_closed_institutions_by_default(koege):
    daycare(koege, "Åben")
    daycare(koege, "Lukket", is_active=False)

    matrix = evaluate(municipality=koege)

    assert [i.name for i in matrix.institutions] == ["Åben"]


# The ambassador indicator -------------------------------------------------------------


def test_an_ambassador_besides_the_leader_meets_the_indicator(koege):
    institution = daycare(koege, "Solstrålen", ambassadors=["Bo Berg", "Anna Ask"])

    with translation.override("en"):
        result = result_for(institution)

    assert result.status == Status.MET
    assert result.evidence == "Named: Anna Ask, Bo Berg"
    assert result.fix_url == ""


def test_a_leader_who_is_also_the_ambassador_does_not_count(koege):
    institution = daycare(koege, "Solstrålen", leader="Lene", ambassadors=["Lene"])

    with translation.override("en"):
        result = result_for(institution)

    assert result.status == Status.NOT_MET
    assert result.evidence == "No digital ambassador besides the leader."
    invite = reverse("institutions:invite", args=[institution.pk])
    assert result.fix_url == f"{invite}?{urlencode({'role': 'ambassador'})}"


def test_a_daycare_without_any_ambassador_does_not_meet_the_indicator(koege):
    assert result_for(daycare(koege, "Solstrålen")).status == Status.NOT_MET


def test_a_daycare_without_a_leader_counts_its_ambassador(koege):
    assert result_for(daycare(koege, "Solstrålen", leader="", ambassadors=["Bo"])).status == (
        Status.MET
    )


def test_an_ambassador_of_another_daycare_does_not_count_here(koege):
    here = daycare(koege, "Solstrålen")
    there = daycare(koege, "Troldehøjen", ambassadors=["Bo"])

    matrix = evaluate(municipality=koege)

    indicator = get_indicator(CODE)
    assert matrix.result(indicator, here).status == Status.NOT_MET
    assert matrix.result(indicator, there).status == Status.MET


def test_staff_are_not_ambassadors(koege):
    institution = daycare(koege, "Solstrålen")
    MembershipFactory(institution=institution, role=Membership.Role.STAFF)

    assert result_for(institution).status == Status.NOT_MET


@pytest.mark.parametrize("kind", [Institution.Kind.SCHOOL, Institution.Kind.AFTER_SCHOOL])
def test_schools_and_after_school_care_are_not_applicable(koege, kind):
    institution = daycare(koege, "Skolen", kind=kind, ambassadors=["Bo"])

    assert result_for(institution) == NOT_APPLICABLE


@pytest.mark.parametrize(
    "kind",
    [
        Institution.Kind.NURSERY,
        Institution.Kind.KINDERGARTEN,
        Institution.Kind.INTEGRATED,
        Institution.Kind.CHILDMINDING,
    ],
)
def test_every_daycare_kind_is_measured(koege, kind):
    assert result_for(daycare(koege, "Dagtilbuddet", kind=kind)).status == Status.NOT_MET


# Pages --------------------------------------------------------------------------------


def test_leader_sees_the_status_the_evidence_and_a_way_to_fix_it(koege, client):
    institution = daycare(koege, "Solstrålen", ambassadors=["Lene"])
    leader = institution.memberships.get(role="leader").user
    client.force_login(leader)

    page = client.get(reverse("institutions:detail", args=[institution.pk])).content.decode()

    with translation.override("da"):
        status_label = str(Status.NOT_MET.label)
    assert shown("Digital ambassador named") in page
    assert status_label in page
    assert shown("No digital ambassador besides the leader.") in page
    fix = reverse("institutions:invite", args=[institution.pk]) + "?role=ambassador"
    assert f'href="{fix}"' in page

    # The link opens the invitation form with the role chosen.
    invite_page = client.get(fix).content.decode()
    assert '<option value="ambassador" selected>' in invite_page


def test_staff_see_the_daycare_but_not_its_indicators_as_on_the_dashboard(koege, client):
    institution = daycare(koege, "Solstrålen", ambassadors=["Lene"])
    client.force_login(MembershipFactory(institution=institution, role="staff").user)

    response = client.get(reverse("institutions:detail", args=[institution.pk]))

    assert response.status_code == 200
    assert "Solstrålen" in response.content.decode()
    assert shown("Digital ambassador named") not in response.content.decode()


def test_the_fix_link_is_not_shown_when_the_indicator_is_met(koege, client):
    institution = daycare(koege, "Solstrålen", ambassadors=["Bo Berg"])
    admin = MunicipalRoleFactory(municipality=koege).user
    client.force_login(admin)

    page = client.get(reverse("institutions:detail", args=[institution.pk])).content.decode()

    assert shown("Named: %(names)s", names="Bo Berg") in page
    assert "?role=ambassador" not in page


def test_school_page_shows_the_indicator_as_not_applicable(koege, client):
    school = daycare(koege, "Skolen", kind=Institution.Kind.SCHOOL)
    client.force_login(MunicipalRoleFactory(municipality=koege).user)

    page = client.get(reverse("institutions:detail", args=[school.pk])).content.decode()

    with translation.override("da"):
        assert str(Status.NOT_APPLICABLE.label) in page
    assert "?role=ambassador" not in page


def test_municipality_indicator_page_lists_daycares_with_their_status(koege, client):
    daycare(koege, "Solstrålen", ambassadors=["Bo Berg"])
    daycare(koege, "Troldehøjen", ambassadors=["Lene"])
    daycare(koege, "Havblik Skole", kind=Institution.Kind.SCHOOL)
    daycare(koege, "Lukket Børnehus", is_active=False)
    daycare(MunicipalityFactory(), "Fremmed Børnehus", ambassadors=["X"])
    client.force_login(MunicipalRoleFactory(municipality=koege, role="consultant").user)

    response = client.get(reverse("indicators:municipality", args=[koege.pk]))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Solstrålen" in page
    assert "Troldehøjen" in page
    assert "Havblik Skole" not in page  # schools are not measured
    assert "Lukket Børnehus" not in page
    assert "Fremmed Børnehus" not in page
    with translation.override("da"):
        summary = translation.gettext("met by %(met)s of %(total)s") % {"met": 1, "total": 2}
    assert summary in page
    # The matrix shows each status; the indicator's own page says why.
    url = reverse("indicators:indicator", args=[koege.pk, "institutions.ambassador_named"])
    detail = client.get(url).content.decode()
    assert shown("Named: %(names)s", names="Bo Berg") in detail
    assert shown("No digital ambassador besides the leader.") in detail
    assert "Fremmed Børnehus" not in detail


def test_a_name_is_shown_as_text_never_as_markup(koege, client):
    daycare(koege, "Solstrålen", ambassadors=["<script>alert(1)</script>"])
    client.force_login(MunicipalRoleFactory(municipality=koege).user)

    url = reverse("indicators:indicator", args=[koege.pk, "institutions.ambassador_named"])
    page = client.get(url).content.decode()

    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_indicator_page_of_another_municipality_is_not_found(koege, client):
    other = MunicipalityFactory(name="Solrød Kommune", code="269")
    client.force_login(MunicipalRoleFactory(municipality=koege).user)

    assert client.get(reverse("indicators:municipality", args=[other.pk])).status_code == 404


# Fixed number of queries --------------------------------------------------------------


def _grow(municipality, up_to: int) -> None:
    """Daycares in every state: met, leader as ambassador, none; and a school."""
    existing = municipality.institutions.count()
    for n in range(existing, up_to):
        if n % 3 == 0:
            daycare(municipality, f"Dagtilbud {n:02d}", ambassadors=[f"Ambassadør {n}"])
        elif n % 3 == 1:
            daycare(
                municipality, f"Dagtilbud {n:02d}", leader=f"Leder {n}", ambassadors=[f"Leder {n}"]
            )
        else:
            daycare(municipality, f"Skole {n:02d}", kind=Institution.Kind.SCHOOL)


def _queries(call) -> int:
    with CaptureQueriesContext(connection) as queries:
        call()
    return len(queries.captured_queries)


def test_evaluation_runs_a_fixed_number_of_queries_as_institutions_grow(koege):
    _grow(koege, 3)
    few = _queries(lambda: evaluate(municipality=koege))
    _grow(koege, 30)
    many = _queries(lambda: evaluate(municipality=koege))

    assert few == many
    # The institutions, then at most two per indicator (some read two tables apart).
    assert few <= 1 + 2 * len(all_indicators())
    matrix = evaluate(municipality=koege)
    assert matrix.count(get_indicator(CODE), Status.MET) == 10


def test_indicator_page_runs_a_fixed_number_of_queries_as_institutions_grow(koege, client):
    client.force_login(MunicipalRoleFactory(municipality=koege).user)
    url = reverse("indicators:municipality", args=[koege.pk])
    _grow(koege, 3)
    client.get(url)  # the first request of a session does its one-off checks
    indicators_changed()  # evaluated afresh, as after any change

    few = _queries(lambda: client.get(url))
    few_cached = _queries(lambda: client.get(url))
    _grow(koege, 30)
    response = None

    def fetch():
        nonlocal response
        response = client.get(url)

    many = _queries(fetch)
    many_cached = _queries(lambda: client.get(url))

    assert few == many
    assert few_cached == many_cached < few
    assert response.content.decode().count("Dagtilbud ") == 20
