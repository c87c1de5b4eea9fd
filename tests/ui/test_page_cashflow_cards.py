"""Session 19 (uicash): the Cash flow page's answer cards at a narrow window, and their what-if arrows.

At a 910 px window the three cards were plain columns: "$3,5…", "Safe to spen…" (browser QA). They are a
``widgets.metric_row`` now (one font size in which the longest figure fits; labels wrap, ``CARD_CSS``). A
what-if's fall in de_CH ("USD-1’500.00") drew a green rise before ``widgets.signed_delta``."""

from __future__ import annotations

from streamlit.proto.Metric_pb2 import Metric as MetricProto

from budgetwise.services import accounts, profile
from budgetwise.ui.widgets import CARD_CSS
from tests.ui.test_page_dashboard import _block_ids

PAGE = "pages/cashflow.py"
CARDS = ["Lowest balance", "Chance of going below", "Safe to spend per day"]


def _page(app_env, locale: str = "en_US"):
    alice = app_env.create_user()
    with app_env.scope() as s:
        profile.update_profile(s, user_id=alice.user_id, locale=locale)
        accounts.create_account(s, user_id=alice.user_id, name="Checking", opening_balance="1000")
    at = app_env.page(PAGE, user=alice)
    at.run()
    assert not at.exception
    return at


def test_the_answer_cards_are_a_row_sized_by_its_longest_figure(app_env):
    at = _page(app_env)
    cards = {m.label: m.value for m in at.metric}
    assert list(cards) == CARDS
    longest = max(len(v) for v in cards.values())
    assert any(f"bw_cards_{longest}_" in i for i in _block_ids(at.main)), _block_ids(at.main)
    # labels wrap in such a row instead of ending in "…"
    assert '[data-testid="stMetricLabel"] p {white-space: normal; overflow: visible; text-overflow: clip}' in CARD_CSS


def test_a_what_if_fall_points_down_in_de_ch(app_env):
    at = _page(app_env, "de_CH")
    at.text_input(key="cf_wi_amount").input("1500")
    at.button(key="FormSubmitter:cf_what_if_form-Show the what-if").click()
    at.run()
    assert not at.exception
    lowest = next(m for m in at.metric if m.label == "Lowest balance")
    assert not str(lowest.delta).startswith("-") and "with the what-if" in str(lowest.delta)  # "$-1’500.00 …"
    assert (lowest.proto.direction, lowest.proto.color) == (MetricProto.MetricDirection.DOWN,
                                                            MetricProto.MetricColor.RED)
    chance = next(m for m in at.metric if m.label == "Chance of going below")
    assert chance.proto.direction == MetricProto.MetricDirection.UP and chance.proto.color == MetricProto.MetricColor.RED
