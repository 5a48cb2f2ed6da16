"""Reads for the messaging pages, each a fixed number of queries however long the list."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db.models import (
    Count,
    Exists,
    F,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

from accounts.models import User
from institutions.models import Child, Guardianship, Institution, Membership

from .models import (
    Message,
    PhotoConsent,
    Post,
    PostDelivery,
    PostImage,
    Thread,
    ThreadRead,
)

INACTIVE_AFTER = timedelta(days=30)


# Photos ----------------------------------------------------------------------------


def consented_children(child_ids) -> set[int]:
    """Children every one of whose guardians has consented to photos (one query)."""
    lacking = Guardianship.objects.filter(child=OuterRef("pk")).exclude(
        Exists(
            PhotoConsent.objects.filter(
                child=OuterRef("child"), guardian=OuterRef("guardian"), consented=True
            )
        )
    )
    return set(
        Child.objects.filter(pk__in=set(child_ids))
        .filter(Exists(Guardianship.objects.filter(child=OuterRef("pk"))))
        .exclude(Exists(lacking))
        .values_list("pk", flat=True)
    )


@dataclass
class PostView:
    """A post as one person may see it: the photos they may see, and how many are hidden."""

    post: Post
    images: list[PostImage] = field(default_factory=list)
    hidden_images: int = 0
    delivery: PostDelivery | None = None

    @property
    def unread(self) -> bool:
        return self.delivery is not None and self.delivery.read_at is None


def _post_prefetches(prefix: str = "") -> list:
    return [
        Prefetch(
            f"{prefix}images",
            queryset=PostImage.objects.prefetch_related(
                Prefetch("pictured", queryset=Child.objects.only("id", "first_name"))
            ),
        ),
        f"{prefix}attachments",
        f"{prefix}groups",
    ]


def shape_posts(posts: list[Post], *, for_family: bool, deliveries=None) -> list[PostView]:
    """Decide which photos each post shows: to families only photos whose every pictured
    child has photo consent from all their guardians (one query for the whole list)."""
    pictured = {c.pk for p in posts for i in p.images.all() for c in i.pictured.all()}
    consented = consented_children(pictured) if (for_family and pictured) else set()
    views = []
    for index, post in enumerate(posts):
        view = PostView(post=post, delivery=deliveries[index] if deliveries else None)
        for image in post.images.all():
            children = {c.pk for c in image.pictured.all()}
            if not for_family or children <= consented:
                view.images.append(image)
            else:
                view.hidden_images += 1
        views.append(view)
    return views


def image_visible_to_family(image: PostImage) -> bool:
    children = set(image.pictured.values_list("pk", flat=True))
    return not children or children <= consented_children(children)


# Posts ------------------------------------------------------------------------------


def feed_deliveries(user) -> QuerySet[PostDelivery]:
    """One family's feed, newest first: every post delivered to this guardian, from all
    their children's institutions, kept when a child moves on."""
    now = timezone.now()
    return (
        PostDelivery.objects.filter(guardian=user, post__withdrawn_at=None)
        .exclude(post__expires_at__lte=now)
        .select_related("post__institution", "post__municipality", "post__author")
        .prefetch_related(*_post_prefetches("post__"))
        .order_by("-published_at", "-id")
    )


def feed_page(deliveries) -> list[PostView]:
    deliveries = list(deliveries)
    return shape_posts([d.post for d in deliveries], for_family=True, deliveries=deliveries)


def institution_posts(institution: Institution) -> QuerySet[Post]:
    """What an institution published, and the municipal posts it received."""
    return (
        Post.objects.filter(
            Q(institution=institution)
            | Q(audience=Post.Audience.MUNICIPALITY, municipality_id=institution.municipality_id)
            | Q(audience=Post.Audience.INSTITUTIONS, institutions=institution)
        )
        .select_related("institution", "municipality", "author")
        .prefetch_related(*_post_prefetches())
        .annotate(
            delivered=Count("deliveries", distinct=True),
            read=Count("deliveries", filter=Q(deliveries__read_at__isnull=False), distinct=True),
        )
        .order_by("-publish_at", "-id")
    )


def municipal_posts(municipality) -> QuerySet[Post]:
    return (
        Post.objects.filter(municipality=municipality, institution=None)
        .select_related("municipality", "author")
        .prefetch_related(*_post_prefetches())
        .annotate(
            delivered=Count("deliveries", distinct=True),
            read=Count("deliveries", filter=Q(deliveries__read_at__isnull=False), distinct=True),
        )
        .order_by("-publish_at", "-id")
    )


def post_readers(post: Post) -> QuerySet[PostDelivery]:
    """Every guardian the post reached, those who have not read it first, each with the
    children that make them a family of the publishing institution."""
    children = Child.objects.current().select_related("group")
    if post.institution_id:
        children = children.filter(group__institution_id=post.institution_id)
    return (
        PostDelivery.objects.filter(post=post)
        .select_related("guardian")
        .prefetch_related(
            Prefetch(
                "guardian__guardianships",
                queryset=Guardianship.objects.filter(child__in=children).select_related(
                    "child__group"
                ),
                to_attr="relevant",
            )
        )
        .order_by(F("read_at").desc(nulls_first=True), "guardian__name")
    )


# Threads ----------------------------------------------------------------------------


def family_inbox(user) -> QuerySet[Thread]:
    """A guardian's conversations with every institution of their children, newest first."""
    return (
        Thread.objects.filter(guardian=user)
        .with_unread_for(user)
        .select_related("institution", "child", "answered_by")
        .order_by("-last_message_at", "-id")
    )


def institution_inbox(user, institution: Institution, *, show: str = "") -> QuerySet[Thread]:
    """The shared inbox: every conversation the person may read in the institution."""
    threads = (
        Thread.objects.visible_to(user)
        .filter(institution=institution)
        .with_unread_for(user)
        .select_related("guardian", "child", "group", "answered_by")
        .order_by("-last_message_at", "-id")
    )
    if show == "venter":
        threads = threads.filter(awaiting_staff=True)
    elif show == "mine":
        groups = Membership.objects.filter(user=user, institution=institution).values("groups")
        threads = threads.filter(group__in=groups)
    return threads


def thread_messages(thread: Thread) -> QuerySet[Message]:
    return thread.messages.select_related("author").prefetch_related("attachments")


def unread_threads(user) -> int:
    """Conversations with something this person has not read, as guardian or staff."""
    return (
        Thread.objects.visible_to(user)
        .exclude(
            Exists(
                ThreadRead.objects.filter(
                    thread=OuterRef("pk"), user=user, read_at__gte=OuterRef("last_message_at")
                )
            )
        )
        .filter(Q(guardian=user) | Q(awaiting_staff=True))
        .count()
    )


# The home page --------------------------------------------------------------------


@dataclass
class FamilyGlance:
    """What a guardian's home page opens with: the newest posts and what is unread."""

    newest: list[PostDelivery]
    unread_posts: int
    unread_threads: list[Thread]
    unread_thread_count: int


def family_glance(user, *, newest: int = 3) -> FamilyGlance:
    """The newest posts in the guardian's feed, how many are unread, and the conversations
    with something unread (the staff answered): four queries."""
    now = timezone.now()
    deliveries = (
        PostDelivery.objects.filter(guardian=user, post__withdrawn_at=None)
        .exclude(post__expires_at__lte=now)
        .select_related("post__institution", "post__municipality")
        .order_by("-published_at", "-id")
    )
    unread = (
        Thread.objects.filter(guardian=user)
        .with_unread_for(user)
        .filter(unread=True)
        .select_related("institution")
        .order_by("-last_message_at", "-id")
    )
    return FamilyGlance(
        newest=list(deliveries[:newest]),
        unread_posts=deliveries.filter(read_at=None).count(),
        unread_threads=list(unread[:newest]),
        unread_thread_count=unread.count(),
    )


def awaiting_answer(user, institutions: list[Institution]) -> dict[int, int]:
    """Per institution, the conversations in its shared inbox the person may read that
    wait for the staff's answer (one query)."""
    return dict(
        Thread.objects.visible_to(user)
        .filter(institution__in=institutions, awaiting_staff=True)
        .order_by()
        .values("institution")
        .annotate(count=Count("pk"))
        .values_list("institution", "count")
    )


@dataclass
class SearchHit:
    message: Message
    excerpt: str


_START, _STOP = "\x02", "\x03"


def search_messages(user, text: str, limit: int = 50) -> list[SearchHit]:
    """Full-text search (PostgreSQL, Danish stemming) in the messages of the person's own
    conversations, best match first. The excerpt marks the words found."""
    if not text.strip():
        return []
    query = SearchQuery(text, config="danish", search_type="websearch")
    hits = (
        Message.objects.filter(search=query, thread__in=Thread.objects.visible_to(user))
        .select_related("thread__institution", "author")
        .annotate(
            rank=SearchRank(F("search"), query),
            excerpt=SearchHeadline(
                "body", query, config="danish", start_sel=_START, stop_sel=_STOP, max_words=30
            ),
        )
        .order_by("-rank", "-created_at")[:limit]
    )
    result = []
    for hit in hits:
        marked = escape(hit.excerpt).replace(_START, "<mark>").replace(_STOP, "</mark>")
        result.append(SearchHit(message=hit, excerpt=mark_safe(marked)))
    return result


# Composing --------------------------------------------------------------------------


def guardian_choices(institution: Institution) -> list[tuple[int, str]]:
    """Guardians of the institution's current children, labelled by child and group."""
    rows = (
        Guardianship.objects.filter(
            child__left_on=None, child__group__institution=institution, guardian__is_active=True
        )
        .select_related("guardian", "child__group")
        .order_by("child__group__name", "child__first_name", "guardian__name")
    )
    labels: dict[int, list[str]] = {}
    names: dict[int, str] = {}
    for row in rows:
        names[row.guardian_id] = row.guardian.name
        labels.setdefault(row.guardian_id, []).append(
            f"{row.child.first_name}, {row.child.group.name}"
        )
    return [(pk, f"{names[pk]} ({'; '.join(labels[pk])})") for pk in labels]


def guardians_of_groups(institution: Institution, group_ids) -> list[int]:
    return list(
        Guardianship.objects.filter(
            child__left_on=None,
            child__group__institution=institution,
            child__group__in=group_ids,
            guardian__is_active=True,
        )
        .values_list("guardian_id", flat=True)
        .distinct()
    )


def reachable_children(user) -> QuerySet[Child]:
    """The guardian's current children, with where they are now: who they can write to."""
    return (
        Child.objects.current()
        .filter(guardianships__guardian=user)
        .select_related("group__institution")
        .order_by("first_name")
    )


# Reach ------------------------------------------------------------------------------


@dataclass
class ReachRow:
    guardian: User
    children: list[str]
    activated: bool
    last_active: object
    quiet: bool


def reach(institution: Institution, *, now=None) -> tuple[list[ReachRow], QuerySet[Child]]:
    """Which families the institution reaches: guardians who have not activated access
    (never logged in), or have read nothing for a month; and children without a guardian
    with access (invite from the children register). Four queries."""
    now = now or timezone.now()
    children = Child.objects.current().filter(group__institution=institution)
    last_post_read = (
        PostDelivery.objects.filter(guardian=OuterRef("pk"), read_at__isnull=False)
        .order_by("-read_at")
        .values("read_at")[:1]
    )
    last_thread_read = (
        ThreadRead.objects.filter(user=OuterRef("pk")).order_by("-read_at").values("read_at")[:1]
    )
    guardians = (
        User.objects.filter(guardianships__child__in=children)
        .distinct()
        .annotate(
            last_post_read=Subquery(last_post_read), last_thread_read=Subquery(last_thread_read)
        )
        .prefetch_related(
            Prefetch(
                "guardianships",
                queryset=Guardianship.objects.filter(child__in=children).select_related(
                    "child__group"
                ),
                to_attr="here",
            )
        )
        .order_by("name")
    )
    rows = []
    for guardian in guardians:
        reads = [d for d in (guardian.last_post_read, guardian.last_thread_read) if d]
        last = max(reads) if reads else None
        # Reading needs a login: a guardian who has read something has activated access,
        # even where the login was not recorded (accounts moved from an earlier system).
        activated = guardian.last_login is not None or last is not None
        rows.append(
            ReachRow(
                guardian=guardian,
                children=[f"{g.child.first_name} ({g.child.group.name})" for g in guardian.here],
                activated=activated,
                last_active=last,
                quiet=activated and (last is None or last < now - INACTIVE_AFTER),
            )
        )
    rows.sort(key=lambda r: (r.activated, not r.quiet, r.guardian.name))
    without = (
        children.annotate(guardian_count=Count("guardianships"))
        .filter(guardian_count=0)
        .select_related("group")
        .annotate(pending=Count("invitations", filter=Q(invitations__accepted_at=None)))
        .order_by("group__name", "first_name")
    )
    return rows, without


def last_post_read_by(guardian_ids) -> dict[int, object]:
    return dict(
        PostDelivery.objects.filter(guardian_id__in=guardian_ids)
        .values("guardian_id")
        .annotate(last=Max("read_at"))
        .values_list("guardian_id", "last")
    )
