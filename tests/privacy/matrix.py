"""Authorization matrix entries of the privacy app: everyone's own data, nobody else's;
every municipality's privacy notice is public, changed only by its own administrators."""

from tests.security.matrix import (
    EVERYONE,
    LOGGED_IN,
    LOGIN,
    MUNICIPAL_ADMIN,
    Case,
    at_municipality,
    expect,
    plain,
)

CASES = {
    "privacy:my_data": Case(plain("privacy:my_data"), LOGGED_IN),
    "privacy:download": Case(plain("privacy:download"), LOGGED_IN),
    "privacy:notice": Case(at_municipality("privacy:notice"), EVERYONE),
    # Everyone in the municipality can confirm reading its notice; the other
    # municipality's administrator cannot see it among theirs.
    "privacy:notice_read": Case(
        at_municipality("privacy:notice_read"),
        expect(302, anonymous=LOGIN, other_admin=404),
        method="post",
    ),
    "privacy:notice_edit": Case(at_municipality("privacy:notice_edit"), MUNICIPAL_ADMIN),
}
