"""budgetwise.ui.reporting.display_frame: how report tables read on the pages."""

from __future__ import annotations

import math

import pandas as pd

from budgetwise.principal import Principal
from budgetwise.ui.reporting import display_frame

ANN = Principal(user_id=1, email="ann@example.com", name="Ann", role="user")


def test_money_percentages_and_extreme_savings_rates():
    df = pd.DataFrame({
        "label": ["2026-10", "2026-11", "2026-09"],
        "income_minor": [400000, 4069, 0],
        "savings_rate": [12.345, -6172.9, math.nan],
        "share": [50.0, 25.0, 25.0],
        "category_id": [1, 2, 3],
        "so_far": [False, True, False],
    })
    out = display_frame(ANN, df)
    assert list(out.columns) == ["Label", "Income", "Savings rate", "Share"]  # ids and flags hidden
    assert list(out["Label"]) == ["2026-10", "2026-11 (so far)", "2026-09"]
    assert list(out["Income"]) == ["$4,000.00", "$40.69", "$0.00"]
    # a month with almost no income reads as on the cards, not as -6,172.9%
    assert list(out["Savings rate"]) == ["12.3%", "< −100%", "—"]
    assert list(out["Share"]) == ["50.0%", "25.0%", "25.0%"]


def test_a_change_from_a_deficit_is_shown_in_money_not_percent():
    """Review: net savings from -200 to 100 showed "-150%"; the change is in money, from a deficit."""
    from budgetwise.ratios import percent_change
    from budgetwise.ui.reporting import change_text

    assert change_text(ANN, 30000, percent_change(10000, -20000), base_minor=-20000) == "+$300.00 (from a deficit)"
    assert change_text(ANN, 10000, percent_change(10000, 0), base_minor=0) == "+$100.00"
    assert change_text(ANN, 5000, percent_change(15000, 10000), base_minor=10000) == "+$50.00 (+50.0%)"
    assert change_text(ANN, 0, None, base_minor=-5) is None


def test_card_font_rules_fit_the_longest_figure_of_a_row():
    """Session 14: one rule per figure length: the font in which that many characters (CARD_EM wide each) fill
    the card, never above the theme's size nor below 1rem (where the figure wraps instead of being cut)."""
    from budgetwise.ui.widgets import CARD_CSS, CARD_EM, CARD_MAX_CHARS

    for n in (1, 10, 17, CARD_MAX_CHARS):
        rule = f'[class*="st-key-bw_cards_{n}_"] [data-testid="stMetricValue"] > * {{font-size: clamp(1rem, calc(100cqi / {n * CARD_EM:.2f}), 1em)}}'
        assert rule in CARD_CSS, n
    assert f"bw_cards_{CARD_MAX_CHARS + 1}_" not in CARD_CSS
    assert "text-overflow: clip" in CARD_CSS and "white-space: normal" in CARD_CSS  # never "…"


def test_the_type_filter_has_room_for_its_longest_choice_at_1280_px():
    """Session 16 (newuser): the Type select read "Income and expen" at 1280 px. Beside the 300 px
    sidebar the wide layout leaves 820 px of content; three 16 px gaps between the four columns; the
    select needs ≈ 190 px for "Income and expenses" (≈ 145 px at 14 px Source Sans), its padding and arrow."""
    from budgetwise.ui.reporting import FILTER_COLUMNS, KIND_OPTIONS

    content, gaps = 820, 3 * 16
    type_px = (content - gaps) * FILTER_COLUMNS[2] / sum(FILTER_COLUMNS)
    assert max(KIND_OPTIONS.values(), key=len) == "Income and expenses"
    assert type_px >= 190
    text_px = (content - gaps) * FILTER_COLUMNS[3] / sum(FILTER_COLUMNS)
    assert text_px >= 170  # the Text input's placeholder "Description or merchant" still fits


def test_the_period_filter_has_room_for_its_longest_preset_at_1280_px():
    """Session 26 (trial26, in Chromium at 1280 px): the Reports page opened on "Latest 6 months of data" (the default
    for an imported history that ends before this month) and read "Latest 6 months of da". Measured in Chromium's
    Source Sans: that name is 156 px to "Income and expenses"' 144 px at the same size, so the Period select needs
    ≈ 190 × 156 / 144 ≈ 206 px (the Type's room, scaled); Categories keeps room for "All categories" (89 px) and
    its arrow."""
    from budgetwise.services.reports import PERIOD_PRESETS
    from budgetwise.ui.reporting import FILTER_COLUMNS

    content, gaps = 820, 3 * 16
    width = [(content - gaps) * c / sum(FILTER_COLUMNS) for c in FILTER_COLUMNS]
    assert max(PERIOD_PRESETS.values(), key=len) == "Latest 6 months of data"
    assert width[0] >= 190 * 156 / 144
    assert width[1] >= 160
