from celery import shared_task

from .retention import apply_retention


@shared_task(name="privacy.apply_retention", acks_late=True, soft_time_limit=600, time_limit=900)
def apply_retention_task() -> str:
    """Daily: delete or anonymise what the retention settings no longer allow us to keep."""
    return apply_retention().summary()
