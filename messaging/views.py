"""Pages for notifications, posts, conversations, closures, reach and settings.

Every view fetches through `visible_to(user)` (404 outside reach), then checks a
`can_<verb>_<object>` from permissions.py (403), then calls one service.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_http_methods, require_POST

from core import notifications as notices
from core.models import EmailPreference
from core.permissions import require
from core.views import apply, crumbs
from institutions.access import institution_for, municipality_for
from institutions.selectors import roles_for
from privacy import log, purposes

from . import permissions, selectors, services
from .forms import (
    ClosureForm,
    EmailSettingsForm,
    PostForm,
    ReplyForm,
    SearchForm,
    StaffComposeForm,
    ThreadStartForm,
    guardians_by_pk,
)
from .models import MessageAttachment, Post, PostAttachment, PostImage, Thread
from .services.posts import ImageUpload

PAGE_SIZE = 20

# Helpers ----------------------------------------------------------------------------


def _page(request: HttpRequest, items):
    return Paginator(items, PAGE_SIZE).get_page(request.GET.get("side"))


# Notifications ----------------------------------------------------------------------


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    page = _page(request, notices.notifications_for(request.user))
    return render(
        request,
        "messaging/notifications.html",
        {"page": page, "breadcrumbs": crumbs((_("Notifications"), ""))},
    )


@login_required
@require_http_methods(["GET", "POST"])
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Go to what a notification is about. Pressed in the list (POST), it is marked read
    on the way; a link (the daily e-mail's) only goes there, as a GET changes nothing."""
    notification = get_object_or_404(notices.notifications_for(request.user), pk=pk)
    if request.method == "POST":
        notices.notification_mark_read(user=request.user, notification=notification)
    target = notification.url
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("messaging:notifications")


@login_required
@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    notices.notifications_mark_all_read(user=request.user)
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return redirect("messaging:notifications")


@login_required
def email_settings(request: HttpRequest) -> HttpResponse:
    current = dict(
        EmailPreference.objects.filter(user=request.user).values_list("category", "frequency")
    )
    form = EmailSettingsForm(request.POST or None, current=current)
    if (
        request.method == "POST"
        and form.is_valid()
        and apply(
            form,
            lambda: notices.email_preferences_set(user=request.user, frequencies=form.cleaned_data),
        )
    ):
        messages.success(request, _("Your e-mail settings were saved."))
        return redirect("messaging:email_settings")
    return render(
        request,
        "messaging/email_settings.html",
        {"form": form, "breadcrumbs": crumbs((_("E-mail settings"), ""))},
    )


# Posts ------------------------------------------------------------------------------


@login_required
def feed(request: HttpRequest) -> HttpResponse:
    """One feed per family: the posts for all of the guardian's children."""
    page = _page(request, selectors.feed_deliveries(request.user))
    return render(
        request,
        "messaging/feed.html",
        {
            "page": page,
            "posts": selectors.feed_page(page.object_list),
            "can_give_photo_consent": permissions.can_give_photo_consent(request.user),
            "breadcrumbs": crumbs((_("News"), "")),
        },
    )


def _post(request: HttpRequest, pk: int) -> Post:
    return get_object_or_404(
        Post.objects.visible_to(request.user).select_related(
            "institution", "municipality", "author"
        ),
        pk=pk,
    )


@login_required
def post_detail(request: HttpRequest, pk: int) -> HttpResponse:
    post = _post(request, pk)
    delivery = post.deliveries.filter(guardian=request.user).first()
    if delivery is not None and delivery.read_at is None:
        services.post_mark_read(user=request.user, post=post)
    for_family = not permissions.can_see_every_photo(request.user, post)
    post = (
        Post.objects.filter(pk=post.pk)
        .select_related("institution", "municipality", "author")
        .prefetch_related(*selectors._post_prefetches())
        .get()
    )
    (view,) = selectors.shape_posts([post], for_family=for_family)
    can_readers = permissions.can_view_post_readers(request.user, post)
    counts = None
    if can_readers:
        total = post.deliveries.count()
        counts = {"total": total, "read": post.deliveries.filter(read_at__isnull=False).count()}
    back = (_("News"), reverse("messaging:feed"))
    if post.institution_id and can_readers:
        back = (_("Posts"), reverse("messaging:institution_posts", args=[post.institution_id]))
    return render(
        request,
        "messaging/post_detail.html",
        {
            "view": view,
            "post": post,
            "counts": counts,
            "can_readers": can_readers,
            "can_manage": permissions.can_manage_post(request.user, post),
            # Due but not yet in the feeds: the page asks again until it is.
            "publishing": not post.published_at
            and not post.withdrawn_at
            and post.publish_at <= timezone.now(),
            "breadcrumbs": crumbs(back, (post.title, "")),
        },
    )


@login_required
def post_readers(request: HttpRequest, pk: int) -> HttpResponse:
    post = _post(request, pk)
    require(permissions.can_view_post_readers(request.user, post))
    page = Paginator(selectors.post_readers(post), 100).get_page(request.GET.get("side"))
    log.log_access(
        request,
        guardians=[d.guardian for d in page],
        children={g.child for d in page for g in d.guardian.relevant},
        institution=post.institution,
        purpose=purposes.POST_READERS,
    )
    unread_ids = list(
        post.deliveries.filter(read_at=None).values_list("guardian_id", flat=True)[:201]
    )
    write_url = ""
    if post.institution_id and 0 < len(unread_ids) <= 200:
        write_url = reverse("messaging:staff_compose", args=[post.institution_id]) + (
            "?til=" + ",".join(str(pk) for pk in unread_ids)
        )
    return render(
        request,
        "messaging/post_readers.html",
        {
            "post": post,
            "page": page,
            "write_url": write_url,
            "unread": post.deliveries.filter(read_at=None).count(),
            "breadcrumbs": crumbs(
                (post.title, reverse("messaging:post", args=[post.pk])), (_("Who has read"), "")
            ),
        },
    )


@login_required
@require_POST
def post_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    post = _post(request, pk)
    require(permissions.can_manage_post(request.user, post))
    services.post_withdraw(actor=request.user, post=post)
    messages.success(request, _("The post was withdrawn. Families no longer see it."))
    if post.institution_id:
        return redirect("messaging:institution_posts", post.institution_id)
    return redirect("messaging:municipality_posts", post.municipality_id)


def _serve(field, name: str, content_type: str, *, download: bool) -> FileResponse:
    try:
        handle = field.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    response = FileResponse(
        handle, as_attachment=download, filename=name, content_type=content_type
    )
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def post_image(request: HttpRequest, pk: int, size: str) -> HttpResponse:
    """A photo, only to those who may see it: families only with every consent given."""
    image = get_object_or_404(
        PostImage.objects.filter(post__in=Post.objects.visible_to(request.user)).select_related(
            "post"
        ),
        pk=pk,
    )
    if size not in ("fuld", "lille"):
        raise Http404
    if not permissions.can_see_every_photo(
        request.user, image.post
    ) and not selectors.image_visible_to_family(image):
        raise Http404
    field = image.image if size == "fuld" else image.thumbnail
    # Photos are stored as JPEG, or as PNG when they have transparency.
    kind = "png" if field.name.lower().endswith(".png") else "jpeg"
    name = f"foto-{image.pk}.{'png' if kind == 'png' else 'jpg'}"
    return _serve(field, name, f"image/{kind}", download=False)


@login_required
def post_file(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = get_object_or_404(
        PostAttachment.objects.filter(post__in=Post.objects.visible_to(request.user)), pk=pk
    )
    return _serve(attachment.file, attachment.name, attachment.content_type, download=True)


@login_required
def institution_posts(request: HttpRequest, pk: int) -> HttpResponse:
    institution = institution_for(request, pk)
    require(permissions.can_publish_to_institution(request.user, institution))
    page = _page(request, selectors.institution_posts(institution))
    return render(
        request,
        "messaging/institution_posts.html",
        {
            "institution": institution,
            "page": page,
            "posts": selectors.shape_posts(list(page.object_list), for_family=False),
            "breadcrumbs": crumbs(
                (institution.name, reverse("institutions:detail", args=[institution.pk])),
                (_("Posts"), ""),
            ),
        },
    )


def _create_post(request, form, *, municipality, institution):
    data = form.cleaned_data
    images = []
    if data.get("image"):
        images.append(
            ImageUpload(
                file=data["image"],
                description=data.get("image_description", ""),
                pictured=list(data.get("pictured") or []),
            )
        )

    def create():
        # The post and the log of the children marked in its photo: the form lists the
        # daycare's children to choose from, but what is logged is who was marked, when.
        with transaction.atomic():
            post = services.post_create(
                actor=request.user,
                municipality=municipality,
                institution=institution,
                audience=data["audience"],
                kind=data["kind"],
                themes=data.get("themes") or [],
                title=data["title"],
                body=data["body"],
                groups=data.get("groups") or [],
                institutions=data.get("institutions") or [],
                important=data.get("important", False),
                publish_at=data.get("publish_at"),
                expires_at=data.get("expires_at"),
                images=images,
                files=data.get("files") or [],
            )
            log.log_access(
                request,
                children=[child for image in images for child in image.pictured],
                institution=institution,
                action=log.CHANGE,
                purpose=purposes.POST_PHOTO,
            )

        return post

    return apply(form, create)


def _published_message(post: Post) -> str:
    """What the author is told once the post is saved: live now, on its way (the task
    that publishes it has not run yet), or at the time they chose."""
    post.refresh_from_db(fields=["published_at"])
    if post.published_at:
        return _("The post is published. Families see it now.")
    if post.publish_at > timezone.now():
        return _("The post is saved. It is published %(when)s.") % {
            "when": date_format(timezone.localtime(post.publish_at), "DATETIME_FORMAT")
        }
    return _("The post is being published. Families see it in a moment.")


@login_required
def post_create(request: HttpRequest, pk: int) -> HttpResponse:
    institution = institution_for(request, pk)
    require(permissions.can_publish_to_institution(request.user, institution))
    form = PostForm(request.POST or None, request.FILES or None, institution=institution)
    if request.method == "POST" and form.is_valid():
        done = _create_post(
            request, form, municipality=institution.municipality, institution=institution
        )
        if done:
            messages.success(request, _published_message(done.value))
            return redirect("messaging:post", done.value.pk)
    return render(
        request,
        "messaging/post_form.html",
        {
            "form": form,
            "title": _("New post from %(name)s") % {"name": institution.name},
            "cancel_url": reverse("messaging:institution_posts", args=[institution.pk]),
            "breadcrumbs": crumbs(
                (institution.name, reverse("institutions:detail", args=[institution.pk])),
                (_("Posts"), reverse("messaging:institution_posts", args=[institution.pk])),
                (_("New post"), ""),
            ),
        },
        status=400 if form.errors else 200,
    )


@login_required
def municipality_posts(request: HttpRequest, pk: int) -> HttpResponse:
    municipality = municipality_for(request, pk)
    require(permissions.can_view_municipal_posts(request.user, municipality))
    page = _page(request, selectors.municipal_posts(municipality))
    return render(
        request,
        "messaging/municipality_posts.html",
        {
            "municipality": municipality,
            "page": page,
            "posts": selectors.shape_posts(list(page.object_list), for_family=False),
            "can_publish": permissions.can_publish_to_municipality(request.user, municipality),
            "breadcrumbs": crumbs((_("Posts to the institutions"), "")),
        },
    )


@login_required
def municipality_post_create(request: HttpRequest, pk: int) -> HttpResponse:
    municipality = municipality_for(request, pk)
    require(permissions.can_publish_to_municipality(request.user, municipality))
    form = PostForm(request.POST or None, request.FILES or None, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        done = _create_post(request, form, municipality=municipality, institution=None)
        if done:
            messages.success(request, _published_message(done.value))
            return redirect("messaging:post", done.value.pk)
    return render(
        request,
        "messaging/post_form.html",
        {
            "form": form,
            "title": _("New post from %(name)s") % {"name": municipality.name},
            "cancel_url": reverse("messaging:municipality_posts", args=[municipality.pk]),
            "breadcrumbs": crumbs(
                (
                    _("Posts to the institutions"),
                    reverse("messaging:municipality_posts", args=[municipality.pk]),
                ),
                (_("New post"), ""),
            ),
        },
        status=400 if form.errors else 200,
    )


@login_required
def photo_consent(request: HttpRequest) -> HttpResponse:
    require(permissions.can_give_photo_consent(request.user))
    children = list(selectors.reachable_children(request.user))
    if request.method == "POST":
        child = next((c for c in children if str(c.pk) == request.POST.get("child")), None)
        if child is None:
            raise Http404
        consented = request.POST.get("consent") == "ja"
        services.photo_consent_set(guardian=request.user, child=child, consented=consented)
        text = (
            _("Photo consent for %(child)s was given.")
            if consented
            else _("Photo consent for %(child)s was withdrawn.")
        )
        messages.success(request, text % {"child": child.first_name})
        return redirect("messaging:photo_consent")
    mine = dict(
        request.user.photo_consents.filter(child__in=children).values_list("child_id", "consented")
    )
    complete = selectors.consented_children([c.pk for c in children])
    rows = [(c, mine.get(c.pk), c.pk in complete) for c in children]
    return render(
        request,
        "messaging/photo_consent.html",
        {"rows": rows, "breadcrumbs": crumbs((_("Photo consent"), ""))},
    )


# Conversations ----------------------------------------------------------------------


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


# Closures and reach -----------------------------------------------------------------


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


@login_required
def reach(request: HttpRequest, pk: int) -> HttpResponse:
    institution = institution_for(request, pk)
    require(permissions.can_view_reach(request.user, institution))
    rows, without = selectors.reach(institution)
    log.log_access(
        request,
        guardians=[r.guardian for r in rows],
        children=[*{g.child for r in rows for g in r.guardian.here}, *without],
        institution=institution,
        purpose=purposes.FAMILIES_REACHED,
    )
    return render(
        request,
        "messaging/reach.html",
        {
            "institution": institution,
            "rows": rows,
            "not_activated": sum(1 for r in rows if not r.activated),
            "quiet": sum(1 for r in rows if r.quiet),
            "without": without,
            "breadcrumbs": crumbs(
                (institution.name, reverse("institutions:detail", args=[institution.pk])),
                (_("Families we reach"), ""),
            ),
        },
    )
