"""Pages of the children's own voice: the tablet questionnaire, a group's results,
pictures and relations map, the daycare's results and environment assessment, the
municipality's questions and results.

Every view fetches its object through the scopes in querysets.py (404 outside them),
checks the role in permissions.py (403), then calls one service. Pages that show the
children's answers or link a pseudonym to a child write an access entry in the audit
trail (who, when, which group)."""

from .assessment import (
    assessment,
    assessment_pdf,
)
from .groups import (
    group_detail,
    institution_overview,
    pictures,
    pictures_give,
    relations,
    session_start,
)
from .questions import (
    municipality_results,
    question_create,
    question_edit,
    questions,
    questions_take_defaults,
)
from .tablet import (
    answer,
    question,
    question_audio,
    response_begin,
    session_close,
    tablet,
    thanks,
)

__all__ = [
    "answer",
    "assessment",
    "assessment_pdf",
    "group_detail",
    "institution_overview",
    "municipality_results",
    "pictures",
    "pictures_give",
    "question",
    "question_audio",
    "question_create",
    "question_edit",
    "questions",
    "questions_take_defaults",
    "relations",
    "response_begin",
    "session_close",
    "session_start",
    "tablet",
    "thanks",
]
