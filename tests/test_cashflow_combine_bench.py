"""benchmarks/cashflow_combine.py: its replay of the shipped rule must reproduce the projection it recorded
(it wraps cashflow_model's private functions; a change there would otherwise make its figures silently wrong)."""

from __future__ import annotations

import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.insert(0, str(BENCH))

import cashflow_combine as CC  # noqa: E402
from forecast_households import synthetic  # noqa: E402

from budgetwise.services import cashflow_model as M  # noqa: E402


def test_replay_of_the_shipped_rule_reproduces_the_recorded_projection():
    originals = (M._rules_chosen, M._month_other, M._chosen_levels, M.fit)
    recs = CC.capture_history(synthetic(5, 16, season=0.2), origins=2)
    assert (M._rules_chosen, M._month_other, M._chosen_levels, M.fit) == originals  # unwrapped again
    assert len(recs) == 2
    for rec in recs:
        point, lower, upper = CC.forecast(rec, CC.RULES[CC.SHIPPED])
        assert abs(point - rec["point"]) <= 1
        assert abs(lower - rec["lower"]) <= 1 and abs(upper - rec["upper"]) <= 1


def test_combination_weights_sum_to_one_and_stay_convex():
    import numpy as np

    rng = np.random.default_rng(0)
    errors = {b: rng.normal(size=12) for b in CC.BASES}
    for name in ("LS2 N12 k0", "LS2 N12 k6", "LAD2 N12 k0", "LS3 N12", "invMSE M,S,R 12", CC.SHIPPED):
        w = CC.RULES[name]["weights"](errors)
        assert abs(sum(w.values()) - 1.0) < 1e-9 and all(v >= 0 for v in w.values()), name
    assert CC.RULES["LS2 N12 k0"]["weights"]({**errors, "M": errors["D"]}) == {"M": 0.5, "D": 0.5}  # equal errors


def test_the_shipped_robust_level_is_the_benchmarks_medest():
    """The rule confirmed on seeds 141-170 (docs/accounts.md, seventh pass) is what the product ships."""
    import numpy as np

    rng = np.random.default_rng(7)
    for n in (2, 5, 12, 13, 30):
        v = [int(x) for x in rng.normal(-60_000, 20_000, size=n).round()]
        assert M._robust_level(v) == CC.medest(v)
        assert M._level(v) == CC.medest(v)  # LEVEL_RULE "robust"
    assert CC.RULES["trimmed choose"]["level"](v) == M._trimmed_level(v)


def test_warmup_leaves_out_the_months_before_anything_was_known():
    """The eighth pass's tried rule: the leading months whose net equals their "other" (nothing known yet)."""
    import datetime as dt

    import pandas as pd

    ends = [dt.date(2026, m, 28) for m in range(1, 7)]
    nets = pd.Series([100, 120, 90, 50, 40, 60], index=ends)
    other = [100, 120, 90, -150, -160, -140]  # a salary of 200 known from the fourth month on
    assert [CC.warmup_months(nets, ends, other, i) for i in range(6)] == [0, 0, 0, 3, 3, 3]
    assert CC.warmup_months(nets, ends, list(nets), 5) == 0  # nothing ever known: nothing left out
    recs = CC.capture_history(synthetic(5, 16, season=0.2), origins=2)
    for rec in recs:  # the replay runs, and with three months left out the level is the clean months' one
        point, lower, upper = CC.forecast(rec, CC.RULES["warmup choose"])
        assert lower <= point <= upper
        assert CC.warmup_months(rec["nets"], rec["ends"], rec["other"], len(rec["ends"]) - 1) == 3


def test_band_variants_of_session_10_only_change_what_they_say(monkeypatch):
    """benchmarks/cashflow_band.py: "shipped" is the product's band; "stepnorm" (shipped in session 11) is now
    the product's band itself; a "cap" is never wider than the band it caps. (The conformal band's variants: against
    the band before session 20's "scale"; and with the growth of the time those variants knew, before session 23's
    "shared".)"""
    monkeypatch.setattr(M, "BAND_RULE", "conformal")
    monkeypatch.setattr(M, "HORIZON_GROWTH", "sqrt")
    monkeypatch.setattr(M, "YOUNG_ONE_OFFS", False)  # nor session 25's one-off allowance and growth beyond month 3
    monkeypatch.setattr(M, "BEYOND_GROWTH", "sqrt")
    import numpy as np
    import pandas as pd
    from cashflow_band import variant

    from budgetwise.services.forecast.ensemble import conformal_offsets

    assert variant("shipped") is M._band
    rng = np.random.default_rng(3)
    nets = pd.Series(rng.normal(50_000, 30_000, size=12).round())
    # 9 complete months: 5 one-month, 4 two-month, 3 three-month errors (no step has 8 of its own)
    steps = np.array([1, 2, 3] * 3 + [1, 2, 1])
    scores = rng.normal(0, 1, size=len(steps)) * np.sqrt(steps)
    shipped = M._band(scores, steps, 3, 100_000.0, nets, conformal_offsets)[0]
    norm = variant("stepnorm")(scores, steps, 3, 100_000.0, nets, conformal_offsets)[0]
    assert norm == shipped  # session 11: the product's band is stepnorm
    capped = variant("stepnorm cap")(scores, steps, 3, 100_000.0, nets, conformal_offsets)[0]
    assert all(c[0] >= n[0] and c[1] <= n[1] for c, n in zip(capped, norm))
    many = np.array([1, 2, 3] * 10)  # 10 errors at every step: stepnorm changes nothing
    s2 = rng.normal(size=len(many))
    assert variant("stepnorm")(s2, many, 3, 1.0, nets, conformal_offsets)[0] == M._band(s2, many, 3, 1.0, nets,
                                                                                        conformal_offsets)[0]
    young = scores[:9], steps[:9]  # fewer than YOUNG_ERRORS: the young band, untouched
    assert variant("stepnorm cap")(*young, 3, 1.0, nets, conformal_offsets) == M._band(*young, 3, 1.0, nets,
                                                                                         conformal_offsets)


def test_naive_choice_needs_more_than_one_standard_error():
    """Session 10 (b) (tried, not adopted): a naive projection replaces the shipped choice only when its earlier
    errors are lower by more than one standard error of the paired differences."""
    import numpy as np

    rng = np.random.default_rng(1)
    e = {"M": rng.normal(0, 1, 12), "D": rng.normal(0, 2, 12)}
    clear = {**e, "S": e["M"] * 0.1, "R": e["M"] * 3}
    assert CC.RULES["naive 1se"]["weights"](clear) == {"S": 1.0}
    m = {"M": np.full(12, 3.0), "D": np.full(12, 5.0), "R": np.full(12, 9.0)}
    noisy = {**m, "S": np.array([2.0, 4.0] * 5 + [2.0, 3.9])}  # lower on average, by far less than its spread
    assert CC.RULES["naive 1se"]["weights"](noisy) == CC.choose(noisy)  # short or mixed evidence keeps the model


def test_young_replay_detail_and_the_real_histories_started_later():
    """benchmarks/cashflow_young.py (session 10, cfband): ``late_windows`` starts a history 8 x w months after
    its first whole month (cut to 17 months, only where 12 whole months remain); ``detail`` counts the lower
    tail as registered and flags a history whose coverage 80% would give with binomial p < 0.01."""
    import datetime as dt

    import cashflow_young as CY
    import pandas as pd
    import pytest

    frame = synthetic(7, 40)  # 2023-03-01 .. 2026-06-30
    wins = CY.late_windows(frame, range(1, 5))
    assert [off for off, _ in wins] == [8, 16, 24]  # from 2025-11 only 8 months remain
    first = pd.to_datetime(wins[0][1]["date"])
    assert first.min() >= pd.Timestamp(2023, 11, 1) and first.max() < pd.Timestamp(2025, 4, 1)
    base = {"months": 10, "point": 0, "lower": -1282, "upper": 1282, "scale": 100.0, "history": "flat s1",
            "origin": dt.date(2026, 1, 31)}
    recs = [dict(base, actual=a) for a in (0, -1300, -1300, -2000, -2000, -2000)]
    recs.append(dict(base, actual=0, months=8))  # outside 9-15: not counted
    d = CY.detail(recs, "shipped")
    assert (d["n"], d["inside"], d["below"], d["below5"]) == (6, 1, 5, 3)
    assert d["pinball"] == pytest.approx((0.1 * 1282 + 2 * 0.9 * 18 + 3 * 0.9 * 718) / 100 / 6)
    assert d["flagged"] == {"flat s1": "1/6"} and d["shapes"] == {"flat": "1/6 = 17%"}
    assert CY.detail([dict(r, actual=0) for r in recs], "shipped")["flagged"] == {}


def test_session_11_band_variants():
    """benchmarks/cashflow_band.py, session 11 (cfband): the weighted quantile with equal weights is split
    conformal's; "hdc" is the Harrell-Davis quantile at conformal's levels, inside the scores' range and
    ordered; "recent N" uses the last N origins only."""
    import numpy as np
    import pandas as pd
    from cashflow_band import _origin_index, hdc_offsets, variant, weighted_offsets

    from budgetwise.services.forecast.ensemble import conformal_offsets

    rng = np.random.default_rng(5)
    scores = rng.normal(size=30)
    assert weighted_offsets(scores, np.ones(30), M.INTERVAL) == conformal_offsets(scores, M.INTERVAL)
    lo, hi = hdc_offsets(scores, np.ones(30), M.INTERVAL)
    assert scores.min() <= lo < hi <= scores.max()
    assert hdc_offsets(scores[:7], np.ones(7), M.INTERVAL) is None
    assert list(_origin_index(np.array([1, 2, 3, 1, 2, 3, 1, 2, 1]))) == [0, 0, 0, 1, 1, 1, 2, 2, 3]
    steps = np.array([1, 2, 3] * 20)
    s = rng.normal(size=60)
    s[:6] = -50.0  # the two oldest origins' errors: far off
    nets = pd.Series(rng.normal(0, 1, 12))
    full = variant("weighted")(s, steps, 1, 1.0, nets, conformal_offsets)[0]
    recent = variant("recent 12")(s, steps, 1, 1.0, nets, conformal_offsets)[0]
    assert full[0][0] == -50 and recent[0][0] > -50


def test_session_11_choice_rules():
    """Session 11 explorations (not registered): "model 1se" keeps the model unless the median is better by more
    than one standard error; "choose median" decides by the median absolute error, so one one-off month does
    not decide."""
    import numpy as np

    clear = {"M": np.full(12, 3.0) + np.arange(12) * 0.01, "D": np.full(12, 1.0)}
    assert CC.RULES["model 1se"]["weights"](clear) == {"D": 1.0}
    mixed = {"M": np.array([1.0, 3.0] * 6), "D": np.array([2.0, 1.9] * 6)}  # D lower on average, within its spread
    assert CC.choose(mixed) == {"D": 1.0}
    assert CC.RULES["model 1se"]["weights"](mixed) == {"M": 1.0}
    shock = {"M": np.array([0.5] * 11 + [20.0]), "D": np.full(12, 1.0)}  # the model better but for one month
    assert CC.choose(shock) == {"D": 1.0}
    assert CC.RULES["choose median"]["weights"](shock) == {"M": 1.0}


def test_session_11_band_by_origin_age(monkeypatch):
    """benchmarks/cashflow_band.py, session 11 (cfyoung): an error's origin's complete months follow from the
    backtest's layout (the newest origin one month before the last month end); "drop 6" leaves the errors of
    origins under 6 months out while YOUNG_ERRORS remain, else keeps all; "lenw" weighs them down. (Against the
    band of session 11, before session 16's recent scale and session 20's "scale" band.)"""
    monkeypatch.setattr(M, "BAND_RECENT_SCALE", False)
    monkeypatch.setattr(M, "BAND_RULE", "conformal")
    import numpy as np
    import pandas as pd
    from cashflow_band import origin_months, variant

    from budgetwise.services.forecast.ensemble import conformal_offsets

    nets = pd.Series(np.ones(16))  # 16 complete months: origins at 4 .. 15 months, three steps each but the last
    steps = np.array([1, 2, 3] * 10 + [1, 2, 1])
    assert list(origin_months(steps, nets)) == [m for m in range(4, 14) for _ in range(3)] + [14, 14, 15]
    s = np.linspace(-1.0, 1.0, len(steps))
    s[:6] = -50.0  # the origins at 4 and 5 months: far off (salary and rent not known yet)
    shipped = M._band(s, steps, 1, 1.0, nets, conformal_offsets)[0]
    dropped = variant("drop 6")(s, steps, 1, 1.0, nets, conformal_offsets)[0]
    assert dropped == M._band(s[6:], steps[6:], 1, 1.0, nets, conformal_offsets)[0] and dropped[0][0] > -50
    assert shipped[0][0] == -50  # the shipped band: calibrated on them
    few = np.array([1, 2, 3] * 4 + [1, 2, 1])  # 15 errors, 6 of them at 4-5 months: 9 would remain < YOUNG_ERRORS
    short = pd.Series(np.ones(len(np.unique(np.cumsum(few == 1))) + 4))
    assert variant("drop 6")(s[:15], few, 1, 1.0, short, conformal_offsets) == M._band(s[:15], few, 1, 1.0, short,
                                                                                      conformal_offsets)
    weighted = variant("lenw")(s, steps, 1, 1.0, nets, conformal_offsets)[0]
    assert weighted[0][0] >= shipped[0][0]


def test_session_12_the_products_half_option_is_the_benchmarks_choose_m_d_h(monkeypatch):
    """The rule pre-registered on seeds 641-720 (docs/accounts.md, session 12): the product with HALF_OPTION on
    projects what the benchmark's "choose M/D/H" replays from a recording of the shipped product; its weights pick
    D on ties, and "choose M/H" offers H in D's place."""
    import numpy as np

    frame = synthetic(3, 30, shift_at=0.6, shift=0.5)
    shipped = CC.capture_history(frame, origins=6)
    monkeypatch.setattr(M, "HALF_OPTION", True)
    half = CC.capture_history(frame, origins=6)
    for rec, got in zip(shipped, half):
        point, lower, upper = CC.forecast(rec, CC.RULES["choose M/D/H"])
        assert abs(point - got["point"]) <= 1 and abs(lower - got["lower"]) <= 1 and abs(upper - got["upper"]) <= 1
    assert {r["rule"] for r in half} <= {"median", "model", "half"}
    same = {b: np.ones(12) for b in CC.BASES}
    assert CC.RULES["choose M/D/H"]["weights"](same) == {"D": 1.0}
    assert CC.RULES["choose M/H"]["weights"](same) == {"M": 0.5, "D": 0.5}
    assert CC.RULES["choose M/D/H"]["weights"]({**same, "M": -np.ones(12), "D": np.ones(12)}) == {"M": 0.5, "D": 0.5}


def test_session_13_the_products_gated_median_is_the_benchmarks_m_h_d_if_m_lost(monkeypatch):
    """The rule pre-registered on seeds 721-800 (docs/accounts.md, session 13): the product with
    MEDIAN_WHEN_MODEL_LOSES on projects what the benchmark's "M/H, D if M lost" replays from a recording of the
    shipped product; D is offered only where the model's earlier errors were above the better naive projection's."""
    import numpy as np

    frame = synthetic(3, 30, shift_at=0.6, shift=0.5)
    shipped = CC.capture_history(frame, origins=6)
    monkeypatch.setattr(M, "MEDIAN_WHEN_MODEL_LOSES", True)
    gated = CC.capture_history(frame, origins=6)
    for rec, got in zip(shipped, gated):
        point, lower, upper = CC.forecast(rec, CC.RULES["M/H, D if M lost"])
        assert abs(point - got["point"]) <= 1 and abs(lower - got["lower"]) <= 1 and abs(upper - got["upper"]) <= 1
    assert {r["rule"] for r in gated} <= {"median", "model", "half"}
    rule = CC.RULES["M/H, D if M lost"]["weights"]
    ones = np.ones(12)
    won = {"M": ones, "D": 0.5 * ones, "S": 2 * ones, "R": 3 * ones}  # D's errors lowest, but the model beat both naive
    assert rule(won) == {"M": 0.5, "D": 0.5}  # D not offered: half (its errors 0.75) over the model
    assert rule({**won, "S": 0.9 * ones}) == {"D": 1.0}  # the model lost to "stays": D offered and lowest
    assert rule({b: ones for b in CC.BASES}) == {"M": 0.5, "D": 0.5}  # equal is not lost: M or H, a tie goes to H


def test_session_14_inverse_error_weights_shrunk_halfway_to_equal():
    """The rule pre-registered on seeds 801-880 (docs/accounts.md, session 14): M and D weighted by their inverse
    mean scaled absolute one-month errors, shrunk halfway to equal weights; convex, equal errors give equal weights."""
    import numpy as np

    rule = CC.RULES["invMAE M,D shrunk"]["weights"]
    ones = np.ones(12)
    assert rule({b: ones for b in CC.BASES}) == {"M": 0.5, "D": 0.5}
    w = rule({"M": -ones, "D": 3 * ones, "S": ones, "R": ones})  # M's errors a third of D's: raw weights 3/4, 1/4
    assert abs(w["M"] - (0.5 * 0.75 + 0.25)) < 1e-12 and abs(w["D"] - (0.5 * 0.25 + 0.25)) < 1e-12
    far = rule({"M": 1e6 * ones, "D": ones, "S": ones, "R": ones})
    assert far["M"] >= 0.25 and abs(sum(far.values()) - 1.0) < 1e-12  # never below half of the equal weight


def test_session_15_the_median_nudged_a_tenth_towards_the_model():
    """The rule pre-registered on seeds 1001-1080 (docs/accounts.md, session 15; not adopted): the shipped choice
    between M and D' = 0.9 D + 0.1 M, by the same lower mean scaled absolute one-month error; a tie keeps D'."""
    import numpy as np

    rule = CC.RULES["choose M/D nudged 0.1"]["weights"]
    ones = np.ones(12)
    assert rule({b: ones for b in CC.BASES}) == {"M": 0.1, "D": 0.9}  # a tie: D'
    assert rule({"M": ones, "D": 2 * ones, "S": ones, "R": ones}) == {"M": 1.0}
    # D' errs by 0.9 * 0.5 + 0.1 * 1 = 0.55 < 1: D'
    assert rule({"M": ones, "D": 0.5 * ones, "S": ones, "R": ones}) == {"M": 0.1, "D": 0.9}
    # the exploration's options: the choice on 1..3-step errors and on mature origins only change which errors it sees
    assert CC.RULES["choose, all steps"]["multistep"] and CC.RULES["choose, mature 8"]["mature"] == 8


def test_session_17_bandscale_recent_6_0_is_the_product_without_shrinkage_and_blocks_split_by_seed(monkeypatch):
    """benchmarks/cashflow_bandscale.py: "recent 6 6" is the shipped band (BAND_PRIOR 6) and "recent 6 0" the product
    with BAND_PRIOR = 0, to 3 minor units (the benchmark scales the band after rounding it); --seeds keeps one block of a capture; --misses counts by shape.
    (The conformal band's: the product before session 20's "scale", which the benchmark scores as before.)"""
    import cashflow_bandscale as BS
    monkeypatch.setattr(M, "BAND_RULE", "conformal")
    import numpy as np

    recs = CC.capture_history(synthetic(7, 30, shift_at=0.6, shift=0.5), origins=3)
    data = {"fresh shift s1163": recs, "fresh trend s1201": recs, "kaggle US 21m": recs}
    assert list(BS.in_seeds(data, "1161-1200")) == ["fresh shift s1163"]
    counts = BS.misses({"fresh shift s1163": recs}, 3)
    assert counts["shift"][0] == 3 and counts["shift"][1] + counts["shift"][2] <= 3
    shipped = [CC.forecast(r, dict(CC.RULES[CC.SHIPPED], band=BS.band_rule("recent 6 6"))) for r in recs]
    product = [CC.forecast(r, CC.RULES[CC.SHIPPED]) for r in recs]
    assert all(np.max(np.abs(np.subtract(x, y))) <= 3 for x, y in zip(shipped, product))
    unshrunk = [CC.forecast(r, dict(CC.RULES[CC.SHIPPED], band=BS.band_rule("recent 6 0"))) for r in recs]
    monkeypatch.setattr(M, "BAND_PRIOR", 0)
    product0 = [CC.forecast(r, CC.RULES[CC.SHIPPED]) for r in recs]
    assert all(np.max(np.abs(np.subtract(x, y))) <= 3 for x, y in zip(unshrunk, product0))
    assert any(x != y for x, y in zip(unshrunk, shipped))  # the two bands differ on this history


def test_session_20_coverage_check_scale_is_the_product_and_chance_is_binomial(monkeypatch):
    """benchmarks/cashflow_coverage_check.py: "scale" replays the product's band (BAND_RULE "scale", shipped in
    session 20) and "shipped" the conformal band before it; a band covering exactly 80% on every history has 9 or 10
    of 12 hits inside 72-88% (52%), 5 of 6 (39%)."""
    import cashflow_coverage_check as CV
    import numpy as np

    assert abs(CV.expected_within([12]) - 0.5190) < 1e-3 and abs(CV.expected_within([6]) - 0.3932) < 1e-3
    recs = CC.capture_history(synthetic(7, 30, shift_at=0.6, shift=0.5), origins=3)
    product = [CC.forecast(r, CC.RULES[CC.SHIPPED]) for r in recs]
    assert all(np.max(np.abs(np.subtract(x, (r["point"], r["lower"], r["upper"])))) <= 1 for x, r in zip(product, recs))
    scale = CV.measure({"h": recs}, 3, "scale")["per"]["h"]
    assert scale["covered"] == sum(r["lower"] <= r["actual"] <= r["upper"] for r in recs)
    monkeypatch.setattr(M, "BAND_RULE", "conformal")
    before = [CC.forecast(r, CC.RULES[CC.SHIPPED]) for r in recs]
    monkeypatch.setattr(M, "BAND_RULE", "scale")
    shipped = CV.measure({"h": recs}, 3, "shipped")["per"]["h"]
    assert shipped["covered"] == sum(lo <= r["actual"] <= hi for (_p, lo, hi), r in zip(before, recs))
    assert any(x != y for x, y in zip(before, product))  # the two bands differ on this history


def test_session_21_the_variable_part_blended_towards_its_own_repeats():
    """Session 21 (cfpoint; explored, not registered): w M + (1 - w) V, V the known items + last month's "other", w
    the grid value with the lowest earlier error (a tie: the larger), shrunk towards the model with k pseudo-errors;
    "/D": that blend or the median D, whichever erred less. V is the model with last month's "other" for the level."""
    import numpy as np

    ones = np.ones(12)
    blend = CC.RULES["Vblend k0"]["weights"]
    assert blend({"M": ones, "V": -ones, "D": ones, "S": ones, "R": ones}) == {"M": 0.5, "V": 0.5}
    assert blend({"M": ones, "V": 2 * ones, "D": ones, "S": ones, "R": ones}) == {"M": 1.0, "V": 0.0}
    w = CC.RULES["Vblend k6"]["weights"]({"M": 3 * ones, "V": ones, "D": ones, "S": ones, "R": ones})
    assert abs(w["M"] - 6 / 18) < 1e-12 and abs(w["M"] + w["V"] - 1) < 1e-12  # w = 0 shrunk towards 1 by 6 of 18
    choose = CC.RULES["Vblend k0/D"]["weights"]
    assert choose({"M": ones, "V": 2 * ones, "D": 0.5 * ones, "S": ones, "R": ones}) == {"D": 1.0}  # blend errs 1
    assert choose({"M": ones, "V": -ones, "D": 0.5 * ones, "S": ones, "R": ones}) == {"M": 0.5, "V": 0.5}  # errs 0
    recs = CC.capture_history(synthetic(5, 16, season=0.2), origins=2)
    for rec in recs:  # V alone: the month's known items (the model minus its level) + last month's "other"
        fin = rec["final"]
        point, _lo, _hi = CC.forecast(rec, CC._rule(lambda E: {"V": 1.0}))
        assert abs(point - (rec["start"] + fin["kn1"] + rec["other"][-1])) <= 1


def test_session_21_chance_counts_ties_and_resampled_losses():
    """benchmarks/cashflow_chance.py: a point equal to "repeats" at every origin ties (p = 1, lost in every resample);
    a point always nearer than both naive projections wins in every resample."""
    import cashflow_chance as CH
    import numpy as np

    tie = [{"point": 110, "start": 100, "prev": 90, "actual": a} for a in (105, 130, 90)]
    c = CH.chance(CH.errors(tie), np.random.default_rng(0))
    assert c["ties"] == 3 and c["p"] == 1.0 and c["lose"] == 1.0 and not c["won"]
    good = [{"point": a + 1, "start": a - 50, "prev": a - 150, "actual": a} for a in (100, 300, 200, 400)]
    c = CH.chance(CH.errors(good), np.random.default_rng(0))
    assert c["won"] and c["lose"] == 0.0 and c["ties"] == 0 and c["ratio"] < 0.1
