"""Who may do what with posts, threads, closures and the reach overview.

Each function assumes the object was fetched through `visible_to(user)` (404 outside
reach) and answers whether the role allows the action (403 when not).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.permissions import ALLOW, Decision, deny
from institutions.models import Institution, Membership, Municipality, MunicipalRole
from institutions.querysets import STAFF_ROLES
from institutions.selectors import roles_for

from .models import Post, Thread

LEADER = Membership.Role.LEADER
ADMIN = MunicipalRole.Role.ADMINISTRATOR


def _works_in(user, institution_id: int) -> bool:
    return bool(roles_for(user).in_institution(institution_id) & set(STAFF_ROLES))


def _leads(user, institution_id: int) -> bool:
    return LEADER in roles_for(user).in_institution(institution_id)


def _administers(user, municipality_id: int) -> bool:
    return ADMIN in roles_for(user).in_municipality(municipality_id)


def can_publish_to_institution(user, institution: Institution) -> Decision:
    if _works_in(user, institution.pk):
        return ALLOW
    return deny(_("Only the institution's staff can write posts to its families."))


def can_publish_to_municipality(user, municipality: Municipality) -> Decision:
    if _administers(user, municipality.pk):
        return ALLOW
    return deny(_("Only the municipality's administrators can write to every institution."))


def can_view_municipal_posts(user, municipality: Municipality) -> Decision:
    if roles_for(user).in_municipality(municipality.pk):
        return ALLOW
    return deny(_("Only the municipality's administrators and consultants have access."))


def can_manage_post(user, post: Post) -> Decision:
    """Withdraw a post: its author, the institution's leader, or an administrator."""
    if post.author_id == user.pk:
        return ALLOW
    if post.institution_id and _leads(user, post.institution_id):
        return ALLOW
    if post.institution_id is None and _administers(user, post.municipality_id):
        return ALLOW
    return deny(_("Only the author, the leader or an administrator can withdraw a post."))


def can_view_post_readers(user, post: Post) -> Decision:
    """Who has read a post: the publishing institution's staff, or the municipality."""
    if post.institution_id and _works_in(user, post.institution_id):
        return ALLOW
    if post.institution_id is None and roles_for(user).in_municipality(post.municipality_id):
        return ALLOW
    return deny(_("Only the staff who published the post can see who has read it."))


def can_see_every_photo(user, post: Post) -> Decision:
    """Staff of the publishing institution and the municipality see every photo; families
    only those whose pictured children all have photo consent."""
    if post.institution_id and _works_in(user, post.institution_id):
        return ALLOW
    if roles_for(user).in_municipality(post.municipality_id):
        return ALLOW
    return deny(_("Families see a photo only when every pictured child has photo consent."))


def can_use_inbox(user, institution: Institution) -> Decision:
    if _works_in(user, institution.pk):
        return ALLOW
    return deny(_("Only the institution's staff can read its shared inbox."))


def can_write_to_guardians(user, institution: Institution) -> Decision:
    return can_use_inbox(user, institution)


def can_write_sensitive(user, institution: Institution) -> Decision:
    if _leads(user, institution.pk):
        return ALLOW
    return deny(_("Only the leader can write a sensitive message."))


def can_reply(user, thread: Thread) -> Decision:
    if thread.guardian_id == user.pk:
        return ALLOW
    if thread.sensitive:
        if _leads(user, thread.institution_id):
            return ALLOW
        return deny(_("Only the leader can answer a sensitive conversation."))
    if _works_in(user, thread.institution_id):
        return ALLOW
    return deny(_("Only the guardian and the institution's staff can write here."))


def can_start_thread(user) -> Decision:
    if roles_for(user).is_guardian:
        return ALLOW
    return deny(_("Only guardians of a child in an institution can start a conversation here."))


def can_manage_closures(user, institution: Institution) -> Decision:
    if _leads(user, institution.pk):
        return ALLOW
    return deny(_("Only the leader can set the days the institution is closed."))


def can_view_reach(user, institution: Institution) -> Decision:
    if _works_in(user, institution.pk):
        return ALLOW
    return deny(_("Only the institution's staff can see which families they reach."))


def can_give_photo_consent(user) -> Decision:
    if roles_for(user).is_guardian:
        return ALLOW
    return deny(_("Only guardians give photo consent."))
