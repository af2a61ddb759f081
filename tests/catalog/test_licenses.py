"""The license table and chooser, exhaustively over the chooser's answers."""

from __future__ import annotations

import itertools

from laborcommons.catalog.licenses import LICENSES, LicenseQuestions, choose_license


def test_every_answer_maps_to_a_consistent_license() -> None:
    for waive, commercial, modify, share in itertools.product([False, True], repeat=4):
        answers = LicenseQuestions(
            waive_all_rights=waive,
            allow_commercial=commercial,
            allow_modifications=modify,
            require_share_alike=share,
        )
        chosen = choose_license(answers).license
        if waive:
            assert chosen.id == "CC0-1.0"
            continue
        assert chosen.non_commercial is (not commercial)
        assert chosen.no_derivatives is (not modify)
        assert chosen.share_alike is (modify and share)


def test_open_definition_conformance() -> None:
    open_ids = {code for code, lic in LICENSES.items() if lic.open}
    assert open_ids == {
        "CC0-1.0",
        "CC-BY-4.0",
        "CC-BY-SA-4.0",
        "ODbL-1.0",
        "ODC-By-1.0",
        "PDDL-1.0",
    }
