"""Authorization matrix entries for the shell (see tests/security/matrix.py)."""

from tests.security.matrix import (
    EVERYONE,
    LOGGED_IN,
    Case,
    expect,
    plain,
)

CASES = {
    "home": Case(plain("home"), LOGGED_IN),
    "healthz": Case(plain("healthz"), EVERYONE),
    "readyz": Case(plain("readyz"), EVERYONE),
    "set_language": Case(
        plain("set_language"), expect(302), method="post", data={"language": "en"}
    ),
    "accessibility": Case(plain("accessibility"), EVERYONE),
    "privacy": Case(plain("privacy"), EVERYONE),
}
