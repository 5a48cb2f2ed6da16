"""Authorization matrix entries for the compliance dashboard and the status reports.

The municipality's dashboard, exports and reports are for its administrators and
consultants. A daycare's indicators and reports are also for its leader and digital
ambassador; other roles in the daycare get 403, everyone else 404. A report opens to
the people who may see its data; the municipality's report is not even visible (404)
to the people of a daycare.
"""

from __future__ import annotations

from django.core.files.base import ContentFile

from portal.models import StatusReport
from tests.security.matrix import (
    INSTITUTION,
    LOGIN,
    MUNICIPAL_READ,
    Case,
    at_institution,
    at_municipality,
    expect,
    with_objects,
)


def _report(world, **fields) -> StatusReport:
    report = StatusReport(
        municipality=world.municipality,
        requested_by=world.user("admin"),
        state=StatusReport.State.DONE,
        pages=1,
        **fields,
    )
    report.file.save("matrix.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
    report.save()
    return report


def extend_world(world) -> None:
    world.objects["municipality_report"] = _report(world, kind=StatusReport.Kind.MUNICIPALITY)
    world.objects["institution_report"] = _report(
        world, kind=StatusReport.Kind.INSTITUTION, institution=world.institution
    )


# A daycare's indicators and reports: its leader and ambassador, and the municipality.
# A guardian reaches the daycare (403); its reports are out of a guardian's reach (404).
DAYCARE_READ = expect(
    403,
    **INSTITUTION,
    leader=200,
    ambassador=200,
    consultant=200,
    admin=200,
)
DAYCARE_ASK = {**DAYCARE_READ, "leader": 302, "ambassador": 302, "consultant": 302, "admin": 302}
REPORT_READ = {**DAYCARE_READ, "guardian": 404}
MUNICIPAL_ASK = expect(403, anonymous=LOGIN, consultant=302, admin=302, other_admin=404)
MUNICIPALITY_REPORT = expect(404, anonymous=LOGIN, consultant=200, admin=200)

CASES = {
    "indicators:municipality": Case(at_municipality("indicators:municipality"), MUNICIPAL_READ),
    "indicators:indicator": Case(
        at_municipality("indicators:indicator", "institutions.ambassador_named"), MUNICIPAL_READ
    ),
    "indicators:export_csv": Case(at_municipality("indicators:export_csv"), MUNICIPAL_READ),
    "indicators:export_xlsx": Case(at_municipality("indicators:export_xlsx"), MUNICIPAL_READ),
    "indicators:institution": Case(at_institution("indicators:institution"), DAYCARE_READ),
    "reports:municipality": Case(at_municipality("reports:municipality"), MUNICIPAL_READ),
    "reports:municipality_request": Case(
        at_municipality("reports:municipality_request"), MUNICIPAL_ASK, method="post"
    ),
    "reports:institution": Case(at_institution("reports:institution"), DAYCARE_READ),
    "reports:institution_request": Case(
        at_institution("reports:institution_request"), DAYCARE_ASK, method="post"
    ),
    "reports:detail": Case(with_objects("reports:detail", "institution_report"), REPORT_READ),
    "reports:status": Case(with_objects("reports:status", "institution_report"), REPORT_READ),
    "reports:download": Case(
        with_objects("reports:download", "municipality_report"), MUNICIPALITY_REPORT
    ),
}
