"""Authorization matrix entries of the privacy app: everyone's own data, nobody else's."""

from tests.security.matrix import LOGGED_IN, Case, plain

CASES = {
    "privacy:my_data": Case(plain("privacy:my_data"), LOGGED_IN),
    "privacy:download": Case(plain("privacy:download"), LOGGED_IN),
}
