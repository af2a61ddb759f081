"""Safe-answer use cases: enable and list questions, ask them, read the owner's log.

Services take the session as a keyword and never commit; the edges own the transaction.
"""

from laborcommons.answers.service.asking import allowed_breakdown, ask
from laborcommons.answers.service.log import question_log
from laborcommons.answers.service.publish import (
    PublishRequest,
    PublishResult,
    publish_answer,
    publish_question,
)
from laborcommons.answers.service.questions import (
    enable_question,
    get_question,
    list_questions,
    question_public,
)

__all__ = [
    "PublishRequest",
    "PublishResult",
    "allowed_breakdown",
    "ask",
    "enable_question",
    "get_question",
    "list_questions",
    "publish_answer",
    "publish_question",
    "question_log",
    "question_public",
]
