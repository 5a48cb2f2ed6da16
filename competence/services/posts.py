"""Knowledge sharing: shared experiences, their files, comments and useful marks."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import User
from core.audit import audit, diff
from core.notify import notify
from core.uploads import Upload
from institutions.models import Institution, Membership
from institutions.querysets import STAFF_ROLES

from ..models import Comment, Post, PostFile, UsefulMark
from .common import _pick

POST_FIELDS = ("title", "body", "themes", "device", "age_group")


def _check_author(actor: User, institution: Institution) -> None:
    if not Membership.objects.filter(
        user=actor, institution=institution, role__in=STAFF_ROLES
    ).exists():
        raise ValidationError(_("You can only share experiences from a daycare you work in."))


def _store_files(post: Post, files: Iterable[Upload]) -> list[str]:
    names = []
    for upload in files:
        PostFile.objects.create(
            post=post,
            kind=upload.kind,
            file=upload.content,
            name=upload.name,
            size=upload.size,
            content_type=upload.content_type,
        )
        names.append(upload.name)
    return names


@transaction.atomic
def post_create(
    *, actor: User, institution: Institution, files: Iterable[Upload] = (), **data
) -> Post:
    values = _pick(data, POST_FIELDS)
    _check_author(actor, institution)
    if not values.get("title", "").strip() or not values.get("body", "").strip():
        raise ValidationError(_("Give the experience a title and a text."))
    post = Post.objects.create(institution=institution, author=actor, **values)
    names = _store_files(post, files)
    audit(
        actor=actor,
        action="post.created",
        obj=post,
        institution=institution,
        summary=post.title,
        changes={"files": names} if names else None,
    )
    return post


@transaction.atomic
def post_update(
    *,
    actor: User,
    post: Post,
    files: Iterable[Upload] = (),
    remove_files: Iterable[int] = (),
    **data,
) -> Post:
    post = Post.objects.select_for_update().select_related("institution").get(pk=post.pk)
    values = _pick(data, POST_FIELDS)
    changes = diff(post, values)
    for name, value in values.items():
        setattr(post, name, value)
    if not post.title.strip() or not post.body.strip():
        raise ValidationError(_("Give the experience a title and a text."))
    post.save()
    removed = list(post.files.filter(pk__in=list(remove_files)))
    for stored in removed:
        stored.file.delete(save=False)
        stored.delete()
    added = _store_files(post, files)
    if removed:
        changes["removed_files"] = [f.name for f in removed]
    if added:
        changes["files"] = added
    if changes:
        audit(
            actor=actor,
            action="post.updated",
            obj=post,
            institution=post.institution,
            summary=post.title,
            changes=changes,
        )
    return post


@transaction.atomic
def post_delete(*, actor: User, post: Post) -> None:
    post = Post.objects.select_for_update().select_related("institution").get(pk=post.pk)
    stored = list(post.files.all())
    title, institution = post.title, post.institution
    post.delete()
    for upload in stored:
        # Delete the stored files once the rows are gone for good.
        transaction.on_commit(lambda f=upload.file: f.delete(save=False))
    audit(
        actor=actor,
        action="post.deleted",
        obj=institution,
        institution=institution,
        summary=title,
    )


@transaction.atomic
def comment_create(*, actor: User, post: Post, body: str) -> Comment:
    body = body.strip()
    if not body:
        raise ValidationError(_("Write a comment."))
    comment = Comment.objects.create(post=post, author=actor, body=body)
    audit(
        actor=actor,
        action="comment.created",
        obj=comment,
        institution=post.institution,
        summary=post.title,
    )
    if post.author_id and post.author_id != actor.pk:
        notify(
            recipients=[post.author],
            kind="competence.comment",
            template="competence/notifications/comment_added",
            context={"post": post, "name": actor.name},
            url=reverse("competence:post", args=[post.pk]) + f"#kommentar-{comment.pk}",
            key=f"competence:post:{post.pk}:comment:{comment.pk}",
        )
    return comment


@transaction.atomic
def comment_delete(*, actor: User, comment: Comment) -> None:
    comment = Comment.objects.select_related("post__institution").get(pk=comment.pk)
    post = comment.post
    comment.delete()
    audit(
        actor=actor,
        action="comment.deleted",
        obj=post,
        institution=post.institution,
        summary=post.title,
    )


@transaction.atomic
def useful_toggle(*, actor: User, post: Post) -> bool:
    """Mark the post useful, or take the mark back. Returns whether it is marked now."""
    if post.author_id == actor.pk:
        raise ValidationError(_("You cannot mark your own experience as useful."))
    deleted, _details = UsefulMark.objects.filter(post=post, user=actor).delete()
    if deleted:
        return False
    UsefulMark.objects.get_or_create(post=post, user=actor)
    return True
