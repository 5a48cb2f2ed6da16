"""Background work of messaging. Thin: ids in, one service call, idempotent, retried."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(
    name="messaging.publish_post",
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=10,
    max_retries=5,
    soft_time_limit=600,
    time_limit=900,
)
def publish_post(post_id: int) -> int:
    """Deliver a post to its guardians; safe to run twice (see services.post_publish)."""
    return services.post_publish(post_id=post_id)


@shared_task(name="messaging.publish_due_posts", acks_late=True)
def publish_due_posts() -> int:
    ids = services.posts_due()
    for pk in ids:
        publish_post.apply_async(args=[pk])
    return len(ids)
