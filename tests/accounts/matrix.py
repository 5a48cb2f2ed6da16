"""Authorization matrix entries for accounts and allauth (see tests/security/matrix.py).

Logged-in people are sent on from the login pages; changing two-factor settings first
asks for a fresh authentication (a redirect); only leaders and administrators have an
authenticator in the test world.
"""

from tests.security.matrix import EVERYONE, LOGGED_IN, LOGIN, Case, expect, plain

HAS_TOTP = {"leader": 200, "other_leader": 200, "admin": 200, "other_admin": 200}
HAS_TOTP_REDIRECT = dict.fromkeys(HAS_TOTP, 302)

CASES = {
    "accounts:profile": Case(plain("accounts:profile"), LOGGED_IN),
    "account_login": Case(plain("account_login"), expect(302, anonymous=200)),
    "account_logout": Case(plain("account_logout"), expect(200, anonymous=302)),
    "account_inactive": Case(plain("account_inactive"), EVERYONE),
    "account_signup": Case(plain("account_signup"), expect(302, anonymous=200)),
    "account_reauthenticate": Case(plain("account_reauthenticate"), LOGGED_IN),
    "account_email": Case(plain("account_email"), LOGGED_IN),
    "account_email_verification_sent": Case(plain("account_email_verification_sent"), EVERYONE),
    "account_change_password": Case(plain("account_change_password"), LOGGED_IN),
    "account_set_password": Case(plain("account_set_password"), expect(302, anonymous=LOGIN)),
    "account_reset_password": Case(plain("account_reset_password"), EVERYONE),
    "account_reset_password_done": Case(plain("account_reset_password_done"), EVERYONE),
    "account_reset_password_from_key": Case(
        plain("account_reset_password_from_key", uidb36="0", key="set-password"), EVERYONE
    ),
    "account_reset_password_from_key_done": Case(
        plain("account_reset_password_from_key_done"), EVERYONE
    ),
    "account_confirm_login_code": Case(
        plain("account_confirm_login_code"), expect(302, anonymous=LOGIN)
    ),
    "account_confirm_email": Case(plain("account_confirm_email", key="not-a-key"), EVERYONE),
    "mfa_index": Case(plain("mfa_index"), LOGGED_IN),
    # Only reachable in the middle of a login; otherwise people are sent on.
    "mfa_authenticate": Case(plain("mfa_authenticate"), expect(302, anonymous=LOGIN)),
    "mfa_reauthenticate": Case(
        plain("mfa_reauthenticate"), expect(302, anonymous=LOGIN, **HAS_TOTP)
    ),
    "mfa_activate_totp": Case(plain("mfa_activate_totp"), expect(302, anonymous=LOGIN)),
    # Whether a leader may switch two-factor login off is tested in tests/accounts.
    "mfa_deactivate_totp": Case(
        plain("mfa_deactivate_totp"), expect(404, anonymous=LOGIN, **HAS_TOTP_REDIRECT)
    ),
    "mfa_view_recovery_codes": Case(plain("mfa_view_recovery_codes"), expect(404, anonymous=LOGIN)),
    "mfa_generate_recovery_codes": Case(
        plain("mfa_generate_recovery_codes"), expect(302, anonymous=LOGIN)
    ),
    "mfa_download_recovery_codes": Case(
        plain("mfa_download_recovery_codes"), expect(404, anonymous=LOGIN)
    ),
}
