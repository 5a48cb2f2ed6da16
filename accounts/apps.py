from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        # allauth keeps its login throttling counts and the two-factor codes already used
        # in Django's default cache, which is Redis. When Redis does not answer, every
        # lock and every "not used before" check fails, so allauth refuses every login.
        # Its two modules that use the cache read it from their own module globals; point
        # them at the `logins` cache in PostgreSQL (tests/faults/test_login_without_redis.py).
        from allauth.core.internal import ratelimit
        from allauth.mfa.totp.internal import auth
        from django.core.cache import ConnectionProxy, caches

        login_cache = ConnectionProxy(caches, "logins")
        ratelimit.cache = login_cache
        auth.cache = login_cache
