"""Django's admin app as the technical admin: the site is in site.py, the app config that
installs it in apps.py (settings name this package in INSTALLED_APPS)."""
