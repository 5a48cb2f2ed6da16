"""Technical support's looks at people's data, in the technical admin.

Support staff work for the whole installation, so by default they see nobody: the
admin's lists of children, guardians, sign-ups and messages show a pseudonymous id
("Barn #12"), the daycare, the group and dates, never a name or a text. To open a
person's data the support worker states why (the support case, say), once per person
and login session; every page that then shows the data logs the look in the
personal-data log in the role "technical support", with that reason, which the family
reads under "My data". These pages name their object by its id in titles, breadcrumbs
and the admin's own history, and never delete: people leave through retention
(privacy.retention), which keeps the log consistent.

    class ChildAdmin(PersonalDataAdmin):
        def people_shown(self, obj):
            return {"children": [obj]}
"""

from __future__ import annotations

import json
import unicodedata
from urllib.parse import urlencode

from django import forms
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.admin.options import TO_FIELD_VAR
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from institutions.models import Child

from . import purposes
from .log import CHANGE as LOG_CHANGE
from .log import READ as LOG_READ
from .log import log_access
from .models import PersonalDataAccess

REASONS_KEY = "_support_reasons"
LAST_REASON_KEY = "_support_last_reason"
# Reasons kept per session; the oldest is forgotten first (and asked for again).
MAX_REASONS = 100


def pseudonym(model, pk) -> str:
    """How the admin names a person or a message: by kind and id, e.g. "Barn #12"."""
    if pk is None:
        return "–"
    return f"{capfirst(model._meta.verbose_name)} #{pk}"


def people_by_id(model_admin) -> None:
    """Make every field of an admin page (and of its inlines) that points at a person an
    id field: Django's drop-down would list every account, child or sign-up of every
    municipality by name (and, at national scale, half a million of them)."""
    people = {get_user_model(), Child, apps.get_model("admissions", "Signup")}
    for holder in (model_admin, *model_admin.inlines):
        fields = [
            field.name
            for field in holder.model._meta.get_fields()
            if field.concrete and field.is_relation and field.related_model in people
        ]
        taken = {*holder.raw_id_fields, *holder.autocomplete_fields}
        holder.raw_id_fields = (*holder.raw_id_fields, *(f for f in fields if f not in taken))


class SupportReasonForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=200,
        help_text=gettext_lazy(
            "For example the number of the support case and what it is about. The family "
            "reads this under My data: write no names and nothing about health."
        ),
        error_messages={"required": gettext_lazy("Write why you need to see this.")},
    )

    def clean_reason(self) -> str:
        reason = " ".join(self.cleaned_data["reason"].split())
        # Control and formatting characters (bidi overrides among them) could make the
        # reason read differently on the family's page than it was written.
        if any(unicodedata.category(ch) in ("Cc", "Cf") for ch in reason):
            raise ValidationError(_("Write the reason in plain text, without special characters."))
        if len(reason) < 5:
            raise ValidationError(_("Write a reason of at least five characters."))
        return reason


def stated_reason(request, obj) -> str | None:
    return request.session.get(REASONS_KEY, {}).get(_key(obj))


def _key(obj) -> str:
    return f"{obj._meta.label_lower}:{obj.pk}"


def _remember(request, obj, reason: str) -> None:
    reasons = dict(request.session.get(REASONS_KEY, {}))
    reasons.pop(_key(obj), None)
    reasons[_key(obj)] = reason
    while len(reasons) > MAX_REASONS:
        reasons.pop(next(iter(reasons)))
    request.session[REASONS_KEY] = reasons
    request.session[LAST_REASON_KEY] = reason


class PersonalDataAdmin(admin.ModelAdmin):
    """An admin page of people's data or messages, seen by technical support."""

    change_form_template = "privacy/admin/change_form.html"
    object_history_template = "privacy/admin/object_history.html"
    # Found by id; searching by name would tell who is in the portal without a reason.
    search_fields = ["pk__exact"]
    # Data that changes only through the portal's services (which check, lock, audit and
    # log with the daycare's purposes) is shown here, never changed by hand.
    read_only = False

    def people_shown(self, obj) -> dict[str, list]:
        """The people whose data the object's page shows, as log_access takes them
        (children, guardians, signups). None: the page shows no one, asks no reason."""
        return {}

    @admin.display(description=gettext_lazy("id"), ordering="pk")
    def pseudonym(self, obj) -> str:
        return pseudonym(self.model, obj.pk)

    def has_add_permission(self, request) -> bool:
        return not self.read_only and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return not self.read_only and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    # The gate: no person's page without a stated reason ---------------------------

    def _people(self, obj) -> dict[str, list]:
        return {
            kind: [p for p in people if p is not None]
            for kind, people in self.people_shown(obj).items()
        }

    def change_view(self, request, object_id, form_url="", extra_context=None):
        to_field = request.POST.get(TO_FIELD_VAR, request.GET.get(TO_FIELD_VAR))
        if to_field is None or self.to_field_allowed(request, to_field):
            obj = self.get_object(request, unquote(object_id), to_field)
            needs_reason = obj is not None and any(self._people(obj).values())
            if needs_reason and stated_reason(request, obj) is None:
                return self._ask_reason(request, obj)
        return super().change_view(request, object_id, form_url, extra_context)

    def _ask_reason(self, request, obj) -> HttpResponseRedirect:
        info = self.opts.app_label, self.opts.model_name
        url = reverse(f"admin:{info[0]}_{info[1]}_reason", args=[obj.pk])
        return HttpResponseRedirect(f"{url}?{urlencode({'next': request.get_full_path()})}")

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["subtitle"] = pseudonym(self.model, obj.pk)
            people = self._people(obj)
            if any(people.values()):
                self._log(request, obj, people, LOG_READ)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        people = self._people(obj)
        if change and any(people.values()):
            self._log(request, obj, people, LOG_CHANGE)

    def _log(self, request, obj, people, action) -> None:
        log_access(
            request,
            **people,
            purpose=purposes.TECHNICAL_SUPPORT,
            role=PersonalDataAccess.TECHNICAL_SUPPORT,
            reason=stated_reason(request, obj) or "",
            action=action,
        )

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/begrundelse/",
                self.admin_site.admin_view(self.reason_view),
                name="{}_{}_reason".format(*info),
            ),
            *super().get_urls(),
        ]

    def reason_view(self, request, object_id):
        """Ask why the support worker needs to see this person; remember the answer for
        the rest of the session and go on to the page that asked."""
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        change_url = reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[obj.pk]
        )
        target = request.POST.get("next", request.GET.get("next", ""))
        if not (
            target.startswith(change_url)
            and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
        ):
            target = change_url
        form = SupportReasonForm(
            request.POST or None, initial={"reason": request.session.get(LAST_REASON_KEY, "")}
        )
        if request.method == "POST" and form.is_valid():
            _remember(request, obj, form.cleaned_data["reason"])
            return HttpResponseRedirect(target)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Why do you need to see this?"),
            "subtitle": pseudonym(self.model, obj.pk),
            "opts": self.opts,
            "form": form,
            "next": target,
            "change_url": change_url,
        }
        status = 400 if form.is_bound else 200
        return TemplateResponse(
            request, "privacy/admin/support_reason.html", context, status=status
        )

    # The admin's own history names the object by its id, not by the person ----------

    def history_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if obj is not None:
            label = pseudonym(self.model, obj.pk)
            extra_context = {
                "title": _("Change history: %s") % label,
                "object_label": label,
                **(extra_context or {}),
            }
        return super().history_view(request, object_id, extra_context)

    def log_addition(self, request, obj, message):
        return self._log_entry(request, obj, message, ADDITION)

    def log_change(self, request, obj, message):
        return self._log_entry(request, obj, message, CHANGE)

    def _log_entry(self, request, obj, message, flag) -> LogEntry:
        return LogEntry.objects.create(
            user_id=request.user.pk,
            content_type_id=ContentType.objects.get_for_model(obj, for_concrete_model=False).pk,
            object_id=str(obj.pk),
            object_repr=pseudonym(self.model, obj.pk),
            action_flag=flag,
            change_message=json.dumps(message) if isinstance(message, list) else message,
        )
