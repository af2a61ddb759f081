"""Publishing a safe answer: a derived open dataset in the owner's organization, with
lineage, suppressed cells as empty values with their reason, facility rows linked, and a
re-publish after a new answer adding a version through the same checks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from laborcommons.access import NODE_ADMIN
from laborcommons.answers.service.publish import PublishRequest, answer_table, publish_answer
from laborcommons.catalog import service as catalog
from laborcommons.core.db import unit_of_work
from laborcommons.core.errors import InvalidInput
from laborcommons.core.node import Node
from laborcommons.entities.models import RowLink
from tests.factories import ingest, make_dataset, make_org

SURVEY = "respondent_id,factory_name,country,monthly_wage_usd\n" + "".join(
    f"W{i:03d},{'Dhaka Knit Ltd' if i < 12 else 'Chittagong Denim'},BD,{120 + i}\n"
    for i in range(18)
)


def _answer(dhaka: float | None = 131.5) -> dict[str, Any]:
    return {
        "question": "mean-wage",
        "algorithm": "mean@1",
        "version": 1,
        "by": ["factory_name", "country"],
        "cells": [
            {
                "group": {"factory_name": "Dhaka Knit Ltd", "country": "BD"},
                "value": dhaka,
                "suppressed": False,
                "reason": None,
            },
            {
                "group": {"factory_name": "Chittagong Denim", "country": "BD"},
                "value": None,
                "suppressed": True,
                "reason": "threshold",
            },
        ],
        "noise": {"mechanism": "laplace", "epsilon": 1.0, "error_95": 9.2},
        "budget": {"spent": 1.0, "left": 9.0, "renews_at": None},
        "cached": False,
    }


@pytest.fixture
def survey(node: Node, tmp_path: Path) -> str:
    make_org(node, "garment-union", archetype="worker-voice")
    make_dataset(node, "survey", "garment-union", coverage=["BD"])
    path = tmp_path / "survey.csv"
    path.write_text(SURVEY, encoding="utf-8")
    ingest(node, "survey", path)
    return "survey"


def _publish(node: Node, answer: dict[str, Any], **request: Any) -> Any:
    data = PublishRequest.model_validate(
        {
            "by": ["factory_name", "country"],
            "slug": "wage-indications",
            "license": "CC-BY-4.0",
            "access": "open",
            **request,
        }
    )
    with unit_of_work(node.sessions) as session:
        return publish_answer(
            "survey",
            "mean-wage",
            answer,
            data,
            parameters={"min_subjects": 10, "bounds": [0, 1000]},
            reader=NODE_ADMIN,
            node=node,
            session=session,
        )


def test_suppressed_cells_are_empty_values_with_their_reason() -> None:
    cells = _answer()["cells"]
    table = answer_table(cells, ["factory_name", "country"], 9.2, min_subjects=10).to_pylist()
    assert table[0] == {"factory_name": "Dhaka Knit Ltd", "country": "BD", "value": 131.5,
                        "suppressed": False, "reason": None, "error_95": 9.2}  # fmt: skip
    assert table[1]["value"] is None and table[1]["suppressed"] is True
    assert table[1]["reason"] == "fewer than 10 workers"


def test_publish_makes_an_open_derived_dataset_with_lineage_and_linked_facilities(
    node: Node, survey: str
) -> None:
    result = _publish(node, _answer())
    assert (result.dataset, result.organization, result.version) == (
        "wage-indications",
        "garment-union",
        1,
    )
    assert (result.rows, result.suppressed, result.created) == (2, 1, True)
    assert result.lineage["source"] == {"dataset": "survey", "version": 1}
    assert result.lineage["algorithm"] == "mean@1"
    assert result.lineage["parameters"]["min_subjects"] == 10
    assert result.linked  # the factory_name breakdown was linked to facility entities
    with unit_of_work(node.sessions) as session:
        dataset = catalog.get_dataset("wage-indications", reader=NODE_ADMIN, session=session)
        assert (dataset.access, dataset.license) == ("open", "CC-BY-4.0")
        version = dataset.versions[-1]
        types = {c["name"]: c["type"] for c in version.columns}
        assert types["value"] == "number"
        assert version.derived_from_version_id is not None
        links = session.query(RowLink).filter(RowLink.version_id == version.id).count()
        assert links == 2


def test_republish_adds_a_version_only_when_the_answer_changed(node: Node, survey: str) -> None:
    _publish(node, _answer())
    again = _publish(node, _answer())
    assert (again.version, again.created) == (1, False)
    changed = _publish(node, _answer(dhaka=140.0))
    assert (changed.version, changed.created) == (2, True)


def test_publish_keeps_the_license_rules_and_never_overwrites_another_dataset(
    node: Node, survey: str
) -> None:
    with pytest.raises(InvalidInput, match="open license"):
        _publish(node, _answer(), license="CC-BY-NC-4.0")
    make_dataset(node, "other", "garment-union")
    with pytest.raises(InvalidInput, match="not published from question"):
        _publish(node, _answer(), slug="other")
