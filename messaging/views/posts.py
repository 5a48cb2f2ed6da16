"""Posts: the feed, one post, its readers and files, writing and withdrawing, photo consent
and the reach page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.permissions import require
from core.views import apply, crumbs
from institutions.access import institution_for, municipality_for
from privacy import log, purposes

from .. import permissions, selectors, services
from ..forms import (
    PostForm,
)
from ..models import Post, PostAttachment, PostImage
from ..services.posts import ImageUpload
from .common import _page, _serve


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
