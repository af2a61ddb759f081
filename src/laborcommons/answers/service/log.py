"""The owner's view: who asked what (from the audit trail) and each reader's budget."""

from __future__ import annotations

from sqlalchemy.orm import Session

from laborcommons.access import Reader, dataset_trail
from laborcommons.answers.schemas import LogEntry, QuestionLog, ReaderBudget
from laborcommons.answers.service import ledger
from laborcommons.answers.service.asking import ACTION
from laborcommons.answers.service.questions import get_question
from laborcommons.catalog import service as catalog

LOG_SIZE = 500


def question_log(slug: str, name: str, *, reader: Reader, session: Session) -> QuestionLog:
    """Owners and editors only (401/403 otherwise); the newest answers first."""
    dataset, question = get_question(slug, name, reader=reader, session=session)
    catalog.require_edit(reader, dataset)
    trail = dataset_trail(slug, reader=reader, session=session, action=ACTION, page_size=LOG_SIZE)
    entries = [
        LogEntry(
            at=record.created_at,
            reader=record.actor,
            outcome=record.outcome,
            version=record.details.get("version"),
            by=list(record.details.get("by", [])),
            cached=record.details.get("cached"),
            epsilon_spent=float(record.details.get("epsilon_spent", 0.0)),
            cohort_sizes=list(record.details.get("cohort_sizes", [])),
        )
        for record in trail.items
        if record.details.get("question") == name
    ]
    budgets = []
    for row in ledger.ledgers_of(question, session=session):
        budget = ledger.budget_of(row, question)
        budgets.append(
            ReaderBudget(
                reader=row.reader_name,
                spent=budget.spent,
                left=budget.left,
                answers=row.answers,
                renews_at=budget.renews_at,
            )
        )
    return QuestionLog(question=name, budgets=budgets, entries=entries)
