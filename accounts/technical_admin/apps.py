from django.contrib.admin import apps


class TechnicalAdminConfig(apps.AdminConfig):
    """Django's admin app (label "admin") with the technical admin site."""

    default = True
    default_site = "accounts.technical_admin.site.TechnicalAdminSite"
