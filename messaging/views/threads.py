"""Conversations with parents: the inboxes, starting and answering, attachments, search,
and the closures that answer for the daycare."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from core.permissions import require
from core.views import apply, crumbs
from institutions.access import institution_for
from institutions.selectors import roles_for
from privacy import log, purposes

from .. import permissions, selectors, services
from ..forms import (
    ClosureForm,
    ReplyForm,
    SearchForm,
    StaffComposeForm,
    ThreadStartForm,
    guardians_by_pk,
)
from ..models import MessageAttachment, Thread
from .common import _page, _serve


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """A family's one inbox across daycare, school and after-school care; staff also find
    their institutions' shared inboxes here."""
    page = _page(request, selectors.family_inbox(request.user))
    staff_inboxes = [
        i
        for i in roles_for(request.user).institutions()
        if permissions.can_use_inbox(request.user, i)
    ]
    return render(
        request,
        "messaging/inbox.html",
        {
            "page": page,
            "staff_inboxes": staff_inboxes,
            "can_start": permissions.can_start_thread(request.user),
            "search_form": SearchForm(),
            "breadcrumbs": crumbs((pgettext("conversations", "Messages"), "")),
        },
    )


@login_required
def thread_start(request: HttpRequest) -> HttpResponse:
    require(permissions.can_start_thread(request.user))
    children = selectors.reachable_children(request.user)
    form = ThreadStartForm(request.POST or None, request.FILES or None, children=children)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = apply(
            form,
            lambda: services.thread_start(
                guardian=request.user,
                child=data["child"],
                to=data["to"],
                subject=data["subject"],
                body=data["body"],
                sensitive=data["sensitive"],
                files=data["files"],
            ),
        )
        if done:
            messages.success(request, _("Your message was sent."))
            return redirect("messaging:thread", done.value.pk)
    return render(
        request,
        "messaging/thread_start.html",
        {
            "form": form,
            "children": children,
            "breadcrumbs": crumbs(
                (pgettext("conversations", "Messages"), reverse("messaging:inbox")),
                (_("New message"), ""),
            ),
        },
        status=400 if form.errors else 200,
    )


def _reply(request: HttpRequest, thread: Thread, data: dict) -> None:
    """Staff answering a family add to the family's conversation: logged with it (a
    guardian's own answer is theirs and log_access leaves it out)."""
    with transaction.atomic():
        services.message_reply(
            author=request.user, thread=thread, body=data["body"], files=data["files"]
        )
        log.log_access(
            request,
            guardians=[thread.guardian],
            children=[thread.child] if thread.child_id else [],
            institution=thread.institution,
            action=log.CHANGE,
            purpose=purposes.CONVERSATION,
        )


@login_required
def thread_detail(request: HttpRequest, pk: int) -> HttpResponse:
    thread = get_object_or_404(
        Thread.objects.visible_to(request.user).select_related(
            "institution", "guardian", "child", "group", "answered_by"
        ),
        pk=pk,
    )
    can_reply = permissions.can_reply(request.user, thread)
    form = ReplyForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        require(can_reply)
        if form.is_valid():
            data = form.cleaned_data
            if apply(form, lambda: _reply(request, thread, data)):
                messages.success(request, _("Your answer was sent."))
                return redirect("messaging:thread", thread.pk)
    else:
        services.thread_mark_read(user=request.user, thread=thread)
    is_family = thread.guardian_id == request.user.pk
    if not is_family:
        log.log_access(
            request,
            guardians=[thread.guardian],
            children=[thread.child] if thread.child_id else [],
            institution=thread.institution,
            purpose=purposes.CONVERSATION,
        )
    back = (
        (pgettext("conversations", "Messages"), reverse("messaging:inbox"))
        if is_family
        else (
            _("Shared inbox"),
            reverse("messaging:institution_inbox", args=[thread.institution_id]),
        )
    )
    return render(
        request,
        "messaging/thread.html",
        {
            "thread": thread,
            "thread_messages": selectors.thread_messages(thread),
            "form": form if can_reply else None,
            "is_family": is_family,
            "breadcrumbs": crumbs(back, (thread.subject, "")),
        },
        status=400 if form.errors else 200,
    )


@login_required
def message_file(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = get_object_or_404(
        MessageAttachment.objects.filter(
            message__thread__in=Thread.objects.visible_to(request.user)
        ),
        pk=pk,
    )
    return _serve(attachment.file, attachment.name, attachment.content_type, download=True)


@login_required
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    hits = []
    if form.is_valid():
        hits = selectors.search_messages(request.user, form.cleaned_data["q"])
    return render(
        request,
        "messaging/search.html",
        {
            "form": form,
            "hits": hits,
            "searched": bool(form.is_bound and form.is_valid() and form.cleaned_data["q"]),
            "breadcrumbs": crumbs(
                (pgettext("conversations", "Messages"), reverse("messaging:inbox")),
                (_("Search"), ""),
            ),
        },
    )


@login_required
def institution_inbox(request: HttpRequest, pk: int) -> HttpResponse:
    institution = institution_for(request, pk)
    require(permissions.can_use_inbox(request.user, institution))
    show = request.GET.get("vis", "")
    page = _page(request, selectors.institution_inbox(request.user, institution, show=show))
    log.log_access(
        request,
        guardians=[t.guardian for t in page],
        children=[t.child for t in page],
        institution=institution,
        purpose=purposes.SHARED_INBOX,
    )
    return render(
        request,
        "messaging/institution_inbox.html",
        {
            "institution": institution,
            "page": page,
            "show": show,
            "can_closures": permissions.can_manage_closures(request.user, institution),
            "breadcrumbs": crumbs(
                (institution.name, reverse("institutions:detail", args=[institution.pk])),
                (_("Shared inbox"), ""),
            ),
        },
    )


@login_required
def staff_compose(request: HttpRequest, pk: int) -> HttpResponse:
    institution = institution_for(request, pk)
    require(permissions.can_write_to_guardians(request.user, institution))
    choices = selectors.guardian_choices(institution)
    # "Write to those who have not read it" arrives with ?til=<guardian ids>.
    wanted = {part for part in request.GET.get("til", "").split(",") if part.isdigit()}
    form = StaffComposeForm(
        request.POST or None,
        request.FILES or None,
        institution=institution,
        guardian_choices=choices,
        may_be_sensitive=bool(permissions.can_write_sensitive(request.user, institution)),
        initial={"guardians": [pk for pk, _label in choices if str(pk) in wanted]},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ids = set(data["guardians"]) | set(
            selectors.guardians_of_groups(institution, [g.pk for g in data["groups"]])
        )

        def send():
            recipients = guardians_by_pk(ids)
            with transaction.atomic():  # the conversations and their log rows, or neither
                threads = services.threads_start_from_staff(
                    actor=request.user,
                    institution=institution,
                    guardians=recipients,
                    subject=data["subject"],
                    body=data["body"],
                    files=data["files"],
                    sensitive=data.get("sensitive", False),
                )
                log.log_access(
                    request,
                    guardians=recipients,
                    institution=institution,
                    action=log.CHANGE,
                    purpose=purposes.CONVERSATION,
                )
            return threads

        done = apply(form, send)
        if done:
            count = len(done.value)
            messages.success(
                request,
                _("Sent to %(count)d guardians, each in a conversation of their own.")
                % {"count": count},
            )
            return redirect("messaging:institution_inbox", institution.pk)
    log.log_access(
        request,
        guardians=guardians_by_pk([pk for pk, _label in choices]),
        institution=institution,
        purpose=purposes.WRITE_TO_FAMILIES,
    )
    return render(
        request,
        "messaging/staff_compose.html",
        {
            "form": form,
            "institution": institution,
            "breadcrumbs": crumbs(
                (_("Shared inbox"), reverse("messaging:institution_inbox", args=[institution.pk])),
                (_("Write to guardians"), ""),
            ),
        },
        status=400 if form.errors else 200,
    )


@login_required
def closures(request: HttpRequest, pk: int) -> HttpResponse:
    institution = institution_for(request, pk)
    require(permissions.can_manage_closures(request.user, institution))
    form = ClosureForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and apply(
            form,
            lambda: services.closure_create(
                actor=request.user, institution=institution, **form.cleaned_data
            ),
        )
    ):
        messages.success(request, _("The closure period was saved."))
        return redirect("messaging:closures", institution.pk)
    return render(
        request,
        "messaging/closures.html",
        {
            "institution": institution,
            "closures": institution.closures.order_by("-starts_on"),
            "form": form,
            "breadcrumbs": crumbs(
                (_("Shared inbox"), reverse("messaging:institution_inbox", args=[institution.pk])),
                (_("Closed days"), ""),
            ),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def closure_delete(request: HttpRequest, pk: int, closure_id: int) -> HttpResponse:
    institution = institution_for(request, pk)
    require(permissions.can_manage_closures(request.user, institution))
    closure = get_object_or_404(institution.closures, pk=closure_id)
    services.closure_delete(actor=request.user, closure=closure)
    messages.success(request, _("The closure period was deleted."))
    return redirect("messaging:closures", institution.pk)
