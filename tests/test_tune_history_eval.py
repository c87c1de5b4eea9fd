"""tools/tune_history_eval.py (issue #16, learning): the tuning-only figures a learning change is chosen on."""

from __future__ import annotations

from pathlib import Path

import pytest

from tools import tune_history_eval


def test_without_the_labelled_data_it_says_so_and_measures_nothing(tmp_path: Path, capsys: pytest.CaptureFixture):
    assert tune_history_eval.main(["--data", str(tmp_path / "absent")]) == 0
    assert "nothing to measure" in capsys.readouterr().out



def test_the_household_tool_without_the_labelled_data_measures_nothing(tmp_path: Path, capsys: pytest.CaptureFixture):
    from budgetwise.services.categorize import household
    from tools import tune_household_prior

    assert tune_household_prior.main(["--data", str(tmp_path / "absent"), "--priors", "1"]) == 0
    assert "nothing to measure" in capsys.readouterr().out
    assert household.HOUSEHOLD_PRIOR == 0.0  # left as shipped
