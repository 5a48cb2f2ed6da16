"""Networks of daycares: creating them and generating their meetings."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.permissions import require
from core.views import apply
from institutions.access import municipality_for

from .. import permissions, selectors, services
from ..forms import GenerateMeetingsForm, NetworkForm
from ..models import Network
from .common import _crumbs, _form_page, _network_crumbs


def _network(request: HttpRequest, pk: int) -> Network:
    return get_object_or_404(
        Network.objects.visible_to(request.user).select_related("municipality", "organiser"),
        pk=pk,
    )


@login_required
def networks(request: HttpRequest, municipality_id: int) -> HttpResponse:
    municipality = municipality_for(request, municipality_id, check=permissions.can_view_competence)
    return render(
        request,
        "competence/networks.html",
        {
            "municipality": municipality,
            "networks": selectors.networks_of(municipality),
            "can_create": permissions.can_create_network(request.user, municipality),
            "breadcrumbs": _crumbs(municipality, (_("Networks"), "")),
        },
    )


def _network_values(data: dict) -> dict:
    return {
        name: data[name]
        for name in (
            "name",
            "purpose",
            "cadence",
            "audience",
            "organiser",
            "usual_place",
            "members",
        )
    }


@login_required
def network_create(request: HttpRequest, municipality_id: int) -> HttpResponse:
    municipality = municipality_for(request, municipality_id, check=permissions.can_view_competence)
    require(permissions.can_create_network(request.user, municipality))
    form = NetworkForm(
        request.POST or None,
        municipality=municipality,
        initial={"organiser": request.user, "cadence": 3},
    )
    if request.method == "POST" and form.is_valid():
        done = apply(
            form,
            lambda: services.network_create(
                actor=request.user,
                municipality=municipality,
                **_network_values(form.cleaned_data),
            ),
        )
        if done:
            messages.success(request, _("The network was created."))
            return redirect("competence:network", done.value.pk)
    return _form_page(
        request,
        form,
        title=_("New network"),
        cancel_url=reverse("competence:networks", args=[municipality.pk]),
        crumbs=_crumbs(
            municipality,
            (_("Networks"), reverse("competence:networks", args=[municipality.pk])),
            (_("New network"), ""),
        ),
    )


@login_required
def network_detail(request: HttpRequest, pk: int) -> HttpResponse:
    network = _network(request, pk)
    members = network.members.order_by("name")
    people = selectors.network_people_by_daycare(network)
    return render(
        request,
        "competence/network.html",
        {
            "network": network,
            "members": [(m, people.get(m.pk, [])) for m in members],
            "meetings": selectors.network_meetings(network),
            "now": timezone.now(),
            "can_manage": permissions.can_manage_network(request.user, network),
            "breadcrumbs": _network_crumbs(network),
        },
    )


@login_required
def network_edit(request: HttpRequest, pk: int) -> HttpResponse:
    network = _network(request, pk)
    require(permissions.can_manage_network(request.user, network))
    form = NetworkForm(
        request.POST or None,
        municipality=network.municipality,
        initial=NetworkForm.initial_for(network),
    )
    if request.method == "POST" and form.is_valid():
        values = _network_values(form.cleaned_data)
        if apply(
            form, lambda: services.network_update(actor=request.user, network=network, **values)
        ):
            messages.success(request, _("The network was saved."))
            return redirect("competence:network", network.pk)
    return _form_page(
        request,
        form,
        title=_("Edit %(name)s") % {"name": network.name},
        cancel_url=reverse("competence:network", args=[network.pk]),
        crumbs=_network_crumbs(network, (_("Edit"), "")),
    )


@login_required
def network_generate(request: HttpRequest, pk: int) -> HttpResponse:
    network = _network(request, pk)
    require(permissions.can_manage_network(request.user, network))
    next_year = timezone.localdate().year + (1 if timezone.localdate().month >= 10 else 0)
    form = GenerateMeetingsForm(request.POST or None, initial={"year": next_year})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = apply(
            form,
            lambda: services.meetings_generate(
                actor=request.user,
                network=network,
                year=data["year"],
                weekday=data["weekday"],
                start=data["start"],
                duration=data["duration"],
            ),
        )
        if done:
            messages.success(
                request,
                _("%(count)d meetings were planned for %(year)d. Adjust the dates as needed.")
                % {"count": len(done.value), "year": data["year"]},
            )
            return redirect("competence:network", network.pk)
    return _form_page(
        request,
        form,
        title=_("Plan a year's meetings"),
        intro=_(
            "The network meets %(count)d times a year. The meetings are spread evenly over "
            "the year (none in July); you can move each one afterwards."
        )
        % {"count": network.cadence},
        submit_label=_("Plan the meetings"),
        cancel_url=reverse("competence:network", args=[network.pk]),
        crumbs=_network_crumbs(network, (_("Plan a year's meetings"), "")),
    )
