"""budgetwise.ratios.percent_change: the one percent change, refused against a base of zero or less."""

from __future__ import annotations

import math

import pytest

from budgetwise.ratios import percent_change


@pytest.mark.parametrize(("new", "base", "expected"), [
    (150, 100, 50.0),
    (50, 100, -50.0),
    (-100, 100, -200.0),
    (100.0, 80.0, 25.0),  # the forecast's means are floats
])
def test_percent_change_against_a_positive_base(new, base, expected):
    assert percent_change(new, base) == pytest.approx(expected)


@pytest.mark.parametrize(("new", "base"), [(100, -200), (-100, -200), (100, 0), (0, 0), (1.0, math.nan)])
def test_no_percent_change_against_zero_a_deficit_or_nan(new, base):
    """Net savings from -200 to 100 was shown as "-150%" (or "+150%" divided by |base|): meaningless."""
    assert percent_change(new, base) is None


def test_percent_text_follows_the_locales_own_pattern():
    """Session 10: "12,5 %" in de_DE (a comma and CLDR's no-break space), "12.5%" in en_US."""
    from budgetwise.ratios import percent_text

    assert percent_text(12.5, "de_DE") == "12,5\xa0%"
    assert percent_text(12.5, "en_US") == "12.5%"
    assert percent_text(12.5, "fr_FR") == "12,5\xa0%"
    assert percent_text(1234.56, "de_DE", digits=0) == "1.235\xa0%"
    assert percent_text(3.14159, "de_DE", signed=True) == "+3,1\xa0%"
    assert percent_text(-3.14159, "de_DE", signed=True) == "-3,1\xa0%"
    assert percent_text(0.01, "en_US", signed=True) == "0.0%"  # rounds to nothing: no sign
    assert percent_text(25, "nonsense") == "25.0%"


def test_the_80_percent_normal_point_has_one_owner():
    """Session 22 (tidy22): the 80% range's normal point was written out three times (forecast.conformal,
    cashflow, cashflow_model); each now reads budgetwise.ratios, and the value is the normal's 90% point."""
    import re
    from pathlib import Path
    from statistics import NormalDist

    from budgetwise import ratios
    from budgetwise.services import cashflow, cashflow_model
    from budgetwise.services.forecast import conformal

    assert pytest.approx(NormalDist().inv_cdf(0.9), abs=1e-14) == ratios.Z80
    assert pytest.approx(1.6061, abs=1e-4) == ratios.Z80_MAE  # x sqrt(pi / 2): 80% for normal and Laplace errors
    assert cashflow.Z80 is ratios.Z80 and conformal._Z80 is ratios.Z80
    assert cashflow_model.Z80_MAE is ratios.Z80_MAE and conformal._Z80_MAE is ratios.Z80_MAE
    package = Path(ratios.__file__).parent
    restated = [str(p.relative_to(package)) for p in package.rglob("*.py")
                if p.name != "ratios.py" and re.search(r"1\.28155156", p.read_text(encoding="utf-8"))]
    assert restated == []
