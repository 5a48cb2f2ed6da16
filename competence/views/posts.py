"""Knowledge sharing: shared experiences, their files, comments and useful marks."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.permissions import require
from core.views import apply
from institutions.access import municipality_for

from .. import permissions, selectors, services
from ..forms import CommentForm, PostForm
from ..models import Post
from ..themes import AgeGroup, Theme
from .common import _crumbs, _download, _flash_error, _form_page


def _post(request: HttpRequest, pk: int) -> Post:
    return get_object_or_404(
        Post.objects.visible_to(request.user).select_related("institution__municipality", "author"),
        pk=pk,
    )


PAGE_SIZE = 20


def _choice(value: str, choices) -> str:
    return value if value in {v for v, _label in choices} else ""


@login_required
def posts(request: HttpRequest, municipality_id: int) -> HttpResponse:
    municipality = municipality_for(request, municipality_id, check=permissions.can_view_competence)
    daycares = selectors.daycares_of(municipality)
    text = request.GET.get("q", "").strip()[:200]
    theme = _choice(request.GET.get("tema", ""), Theme.choices)
    age_group = _choice(request.GET.get("alder", ""), AgeGroup.choices)
    try:
        institution_id = int(request.GET.get("dagtilbud") or 0)
    except ValueError:
        institution_id = 0
    if institution_id not in {i.pk for i in daycares}:
        institution_id = 0
    found = selectors.posts_for(
        municipality=municipality,
        user=request.user,
        text=text,
        theme=theme,
        age_group=age_group,
        institution_id=institution_id,
    )
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("side"))
    if text:
        for post in page.object_list:
            post.title_highlight = selectors.highlighted(post.title_headline)
            post.body_highlight = selectors.highlighted(post.body_headline)
    query = request.GET.copy()
    query.pop("side", None)
    return render(
        request,
        "competence/posts.html",
        {
            "municipality": municipality,
            "page": page,
            "searching": bool(text),
            "text": text,
            "selected": {"theme": theme, "age_group": age_group, "institution": institution_id},
            "themes": Theme.choices,
            "age_groups": AgeGroup.choices,
            "daycares": daycares,
            "query_string": query.urlencode(),
            "can_share": permissions.can_share_experience(request.user, municipality),
            "breadcrumbs": _crumbs(municipality, (_("Knowledge sharing"), "")),
        },
    )


def _post_values(data: dict) -> dict:
    return {name: data[name] for name in ("title", "body", "themes", "device", "age_group")}


@login_required
def post_create(request: HttpRequest, municipality_id: int) -> HttpResponse:
    municipality = municipality_for(request, municipality_id, check=permissions.can_view_competence)
    require(permissions.can_share_experience(request.user, municipality))
    institutions = permissions.staff_institutions(request.user, municipality)
    form = PostForm(request.POST or None, request.FILES or None, institutions=institutions)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = apply(
            form,
            lambda: services.post_create(
                actor=request.user,
                institution=data["institution"],
                files=data["files"],
                **_post_values(data),
            ),
        )
        if done:
            messages.success(request, _("Your experience was shared with your colleagues."))
            return redirect("competence:post", done.value.pk)
    return _form_page(
        request,
        form,
        title=_("Share an experience"),
        intro=_(
            "Tell colleagues in the municipality's daycares what you tried with digital "
            "media: what you did, with which children, and what you learned."
        ),
        submit_label=_("Share"),
        cancel_url=reverse("competence:posts", args=[municipality.pk]),
        crumbs=_crumbs(
            municipality,
            (_("Knowledge sharing"), reverse("competence:posts", args=[municipality.pk])),
            (_("Share an experience"), ""),
        ),
    )


def _post_crumbs(post: Post, *trail):
    municipality = post.institution.municipality
    return _crumbs(
        municipality,
        (_("Knowledge sharing"), reverse("competence:posts", args=[municipality.pk])),
        (post.title, reverse("competence:post", args=[post.pk]) if trail else ""),
        *trail,
    )


def _useful_context(request, post: Post) -> dict:
    return {
        "post": post,
        "useful_count": post.useful_marks.count(),
        "marked": post.useful_marks.filter(user=request.user).exists(),
        "can_mark": permissions.can_mark_useful(request.user, post),
    }


@login_required
def post_detail(request: HttpRequest, pk: int) -> HttpResponse:
    post = _post(request, pk)
    user = request.user
    comments = post.comments.select_related("author").order_by("created_at", "pk")
    return render(
        request,
        "competence/post.html",
        {
            **_useful_context(request, post),
            "files": post.files.all(),
            "comments": [(c, permissions.can_delete_comment(user, c)) for c in comments],
            "comment_form": CommentForm(),
            "can": {
                "edit": permissions.can_edit_post(user, post),
                "delete": permissions.can_delete_post(user, post),
            },
            "breadcrumbs": _post_crumbs(post),
        },
    )


@login_required
def post_edit(request: HttpRequest, pk: int) -> HttpResponse:
    post = _post(request, pk)
    require(permissions.can_edit_post(request.user, post))
    form = PostForm(
        request.POST or None,
        request.FILES or None,
        institutions=[post.institution],
        post=post,
        initial=PostForm.initial_for(post),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if apply(
            form,
            lambda: services.post_update(
                actor=request.user,
                post=post,
                files=data["files"],
                remove_files=data.get("remove_files", []),
                **_post_values(data),
            ),
        ):
            messages.success(request, _("The experience was saved."))
            return redirect("competence:post", post.pk)
    return _form_page(
        request,
        form,
        title=_("Edit %(name)s") % {"name": post.title},
        cancel_url=reverse("competence:post", args=[post.pk]),
        crumbs=_post_crumbs(post, (_("Edit"), "")),
    )


@login_required
@require_POST
def post_delete(request: HttpRequest, pk: int) -> HttpResponse:
    post = _post(request, pk)
    require(permissions.can_delete_post(request.user, post))
    municipality_id = post.institution.municipality_id
    services.post_delete(actor=request.user, post=post)
    messages.success(request, _("The experience was deleted."))
    return redirect("competence:posts", municipality_id)


@login_required
@require_POST
def post_useful(request: HttpRequest, pk: int) -> HttpResponse:
    post = _post(request, pk)
    require(permissions.can_mark_useful(request.user, post))
    services.useful_toggle(actor=request.user, post=post)
    if request.htmx:
        return render(request, "competence/partials/useful.html", _useful_context(request, post))
    return redirect("competence:post", post.pk)


@login_required
@require_POST
def comment_create(request: HttpRequest, pk: int) -> HttpResponse:
    post = _post(request, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            comment = services.comment_create(
                actor=request.user, post=post, body=form.cleaned_data["body"]
            )
        except ValidationError as error:
            _flash_error(request, error)
        else:
            messages.success(request, _("Your comment was added."))
            return redirect(reverse("competence:post", args=[post.pk]) + f"#kommentar-{comment.pk}")
    else:
        messages.error(request, _("Write a comment of at most 5000 characters."))
    return redirect("competence:post", post.pk)


@login_required
@require_POST
def comment_delete(request: HttpRequest, pk: int, comment_id: int) -> HttpResponse:
    post = _post(request, pk)
    comment = get_object_or_404(post.comments.select_related("post__institution"), pk=comment_id)
    require(permissions.can_delete_comment(request.user, comment))
    services.comment_delete(actor=request.user, comment=comment)
    messages.success(request, _("The comment was deleted."))
    return redirect("competence:post", post.pk)


@login_required
def post_file(request: HttpRequest, pk: int, file_id: int) -> FileResponse:
    post = _post(request, pk)
    stored = get_object_or_404(post.files, pk=file_id)
    return _download(stored)
