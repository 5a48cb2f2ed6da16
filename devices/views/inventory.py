"""A daycare's devices (list, coverage, register, import, export, labels) and Wi-Fi, and
the municipality's overview."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.filenames import download_name
from core.permissions import require
from core.views import apply, crumbs
from institutions.access import institution_for, municipality_for

from .. import permissions, selectors, services, transfer
from ..forms import BulkDeviceForm, DeviceForm, FilterForm, ImportForm, WifiSiteForm
from ..labels import device_url, qr_data_uri
from ..models import Device, WifiSite
from .common import device_for, institution_crumbs, site_for


@login_required
def institution_devices(request: HttpRequest, pk: int) -> HttpResponse:
    institution = institution_for(request, pk)
    require(permissions.can_view_devices(request.user, institution))
    filters = FilterForm(request.GET or None, institution=institution)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    devices = selectors.with_grant_names(
        list(
            selectors.institution_devices(
                institution,
                group=chosen.get("group"),
                kind=chosen.get("kind", ""),
                status=chosen.get("status", ""),
            )
        )
    )
    coverage = selectors.institution_coverage(institution)
    return render(
        request,
        "devices/institution.html",
        {
            "institution": institution,
            "devices": devices,
            "filters": filters,
            "coverage": coverage,
            "uncovered": [c for c in coverage if c.missing],
            "can_manage": permissions.can_manage_devices(request.user, institution),
            "breadcrumbs": crumbs(
                (institution.name, reverse("institutions:detail", args=[institution.pk])),
                (_("Devices"), ""),
            ),
        },
    )


@login_required
def device_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Register devices: one, or many of one model at once."""
    institution = institution_for(request, pk)
    require(permissions.can_manage_devices(request.user, institution))
    form = BulkDeviceForm(request.POST or None, institution=institution)
    if request.method == "POST" and form.is_valid():
        done = apply(
            form,
            lambda: services.devices_register(
                actor=request.user, institution=institution, rows=form.rows()
            ),
        )
        if done:
            count = len(done.value)
            messages.success(
                request,
                ngettext("%(count)d device registered.", "%(count)d devices registered.", count)
                % {"count": count},
            )
            return redirect("devices:institution", institution.pk)
    return render(
        request,
        "devices/form.html",
        {
            "form": form,
            "title": _("Register devices"),
            "intro": _(
                "Register one device, or several of the same model at once: write how many, "
                "or list their serial numbers one per line."
            ),
            "cancel_url": reverse("devices:institution", args=[institution.pk]),
            "breadcrumbs": institution_crumbs(institution, (_("Register devices"), "")),
        },
    )


@login_required
def device_detail(request: HttpRequest, pk: int) -> HttpResponse:
    device = device_for(request, pk)
    require(permissions.can_view_devices(request.user, device.institution))
    selectors.with_grant_names([device])
    return render(
        request,
        "devices/device.html",
        {
            "device": device,
            "history": selectors.device_history(device),
            "can_manage": permissions.can_manage_devices(request.user, device.institution),
            "breadcrumbs": institution_crumbs(device.institution, (str(device), "")),
        },
    )


@login_required
def device_edit(request: HttpRequest, pk: int) -> HttpResponse:
    device = device_for(request, pk)
    require(permissions.can_manage_devices(request.user, device.institution))
    initial = {name: getattr(device, name) for name in services.inventory.DEVICE_FIELDS}
    form = DeviceForm(
        request.POST or None, initial=initial, institution=device.institution, device=device
    )
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k in initial}
        if device.programme_id:
            data.pop("funding", None)
        if apply(form, lambda: services.device_update(actor=request.user, device=device, **data)):
            messages.success(request, _("The device was saved."))
            return redirect("devices:device", device.pk)
    return render(
        request,
        "devices/form.html",
        {
            "form": form,
            "title": _("Change %(device)s") % {"device": device},
            "cancel_url": reverse("devices:device", args=[device.pk]),
            "breadcrumbs": institution_crumbs(
                device.institution,
                (str(device), reverse("devices:device", args=[device.pk])),
                (_("Change"), ""),
            ),
        },
    )


@login_required
def device_import(request: HttpRequest, pk: int) -> HttpResponse:
    institution = institution_for(request, pk)
    require(permissions.can_manage_devices(request.user, institution))
    form = ImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        result = transfer.import_devices(
            actor=request.user, institution=institution, upload=form.cleaned_data["file"]
        )
        if result.ok:
            messages.success(
                request,
                ngettext(
                    "%(count)d device imported.", "%(count)d devices imported.", result.created
                )
                % {"count": result.created},
            )
            return redirect("devices:institution", institution.pk)
        errors = result.errors
        form.add_error(
            "file",
            _(
                "The file was not imported: nothing was stored. "
                "Correct the rows below and try again."
            ),
        )
    return render(
        request,
        "devices/import.html",
        {
            "form": form,
            "institution": institution,
            "errors": errors,
            "columns": transfer.HEADER,
            "breadcrumbs": institution_crumbs(institution, (_("Import devices"), "")),
        },
    )


@login_required
def import_template(request: HttpRequest, pk: int) -> HttpResponse:
    institution = institution_for(request, pk)
    require(permissions.can_manage_devices(request.user, institution))
    response = HttpResponse(transfer.template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="udstyr-skabelon.csv"'
    return response


@login_required
def device_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    institution = institution_for(request, pk)
    require(permissions.can_view_devices(request.user, institution))
    if fmt not in ("csv", "xlsx"):
        raise Http404
    devices = selectors.institution_devices(institution)
    name = download_name("udstyr", institution.name, day=timezone.localdate(), extension=fmt)
    if fmt == "xlsx":
        response = HttpResponse(
            transfer.devices_xlsx(devices, _("Devices")),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = HttpResponse(
            transfer.devices_csv(devices), content_type="text/csv; charset=utf-8"
        )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def device_labels(request: HttpRequest, pk: int) -> HttpResponse:
    """A printable sheet of asset labels: all devices, or those ticked (?id=1&id=2)."""
    institution = institution_for(request, pk)
    require(permissions.can_view_devices(request.user, institution))
    devices = institution.devices.select_related("group").exclude(status=Device.Status.RETIRED)
    chosen = [int(v) for v in request.GET.getlist("id") if v.isdigit()]
    if chosen:
        devices = devices.filter(pk__in=chosen)
    labels = [(d, qr_data_uri(device_url(d))) for d in devices.order_by("group__name", "pk")]
    return render(
        request,
        "devices/labels.html",
        {
            "institution": institution,
            "labels": labels,
            "breadcrumbs": institution_crumbs(institution, (_("Asset labels"), "")),
        },
    )


# Wi-Fi ---------------------------------------------------------------------------------


@login_required
def wifi(request: HttpRequest, pk: int) -> HttpResponse:
    institution = institution_for(request, pk)
    require(permissions.can_view_devices(request.user, institution))
    sites = list(
        WifiSite.objects.filter(institution=institution).prefetch_related("changes__actor")
    )
    return render(
        request,
        "devices/wifi.html",
        {
            "institution": institution,
            "sites": sites,
            "can_manage": permissions.can_manage_devices(request.user, institution),
            "breadcrumbs": crumbs(
                (institution.name, reverse("institutions:detail", args=[institution.pk])),
                (_("Wi-Fi"), ""),
            ),
        },
    )


def _wifi_crumbs(institution, label):
    return crumbs(
        (institution.name, reverse("institutions:detail", args=[institution.pk])),
        (_("Wi-Fi"), reverse("devices:wifi", args=[institution.pk])),
        (label, ""),
    )


@login_required
def wifi_create(request: HttpRequest, pk: int) -> HttpResponse:
    institution = institution_for(request, pk)
    require(permissions.can_manage_devices(request.user, institution))
    form = WifiSiteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        call = lambda: services.wifi_site_create(  # noqa: E731
            actor=request.user, institution=institution, **form.cleaned_data
        )
        if apply(form, call):
            messages.success(request, _("The site was saved."))
            return redirect("devices:wifi", institution.pk)
    return render(
        request,
        "devices/form.html",
        {
            "form": form,
            "title": _("New site"),
            "cancel_url": reverse("devices:wifi", args=[institution.pk]),
            "breadcrumbs": _wifi_crumbs(institution, _("New site")),
        },
    )


@login_required
def wifi_edit(request: HttpRequest, pk: int) -> HttpResponse:
    site = site_for(request, pk)
    institution = site.institution
    require(permissions.can_manage_devices(request.user, institution))
    form = WifiSiteForm(request.POST or None, instance=WifiSite.objects.get(pk=site.pk))
    if request.method == "POST" and form.is_valid():
        call = lambda: services.wifi_site_update(  # noqa: E731
            actor=request.user, site=site, **form.cleaned_data
        )
        if apply(form, call):
            messages.success(request, _("The site was saved."))
            return redirect("devices:wifi", institution.pk)
    return render(
        request,
        "devices/form.html",
        {
            "form": form,
            "title": _("Change %(site)s") % {"site": site.name},
            "cancel_url": reverse("devices:wifi", args=[institution.pk]),
            "breadcrumbs": _wifi_crumbs(institution, site.name),
        },
    )


# The municipality's overview --------------------------------------------------------------


@login_required
def municipality_overview(request: HttpRequest, municipality_id: int) -> HttpResponse:
    municipality = municipality_for(request, municipality_id)
    require(permissions.can_view_municipality(request.user, municipality))
    rows = selectors.municipality_overview(municipality)
    return render(
        request,
        "devices/municipality.html",
        {
            "municipality": municipality,
            "rows": rows,
            "without": sum(1 for r in rows if r.uncovered or not r.groups),
            "breadcrumbs": crumbs((_("Devices and Wi-Fi"), "")),
        },
    )
