from celery import shared_task

from . import relay


@shared_task(name="outbox.relay", acks_late=True, soft_time_limit=120, time_limit=180)
def relay_outbox() -> int:
    """Publish tasks that did not reach the broker when they were committed."""
    return relay.relay()
