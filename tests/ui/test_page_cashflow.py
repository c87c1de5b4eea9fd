"""Cash flow page (issue #19): the answers at the top, the chart, a what-if side by side, bad input (AppTest)."""

import datetime as dt
import re

from budgetwise.services import accounts
from budgetwise.ui.format import unbroken_dates  # dates as displayed (no line break inside)

PAGE = "pages/cashflow.py"


def _checking_page(app_env):
    """A user with a checking account of 1,000 (something to project: a user with nothing sees the
    empty state), and the page run once for them."""
    alice = app_env.create_user()
    with app_env.scope() as s:
        accounts.create_account(s, user_id=alice.user_id, name="Checking", opening_balance="1000")
    at = app_env.page(PAGE, user=alice)
    at.run()
    return alice, at


def test_a_guest_is_stopped(app_env):
    at = app_env.page(PAGE)
    at.run()
    assert not at.exception and not at.metric


def test_answers_chart_and_what_if(app_env):
    alice, at = _checking_page(app_env)
    assert not at.exception
    assert any("Lowest projected balance: $1,000.00" in i.value.replace("\\", "") for i in at.info)
    lowest = next(m for m in at.metric if str(m.label) == "Lowest balance")
    assert lowest.value == "$1,000.00"
    assert at.get("plotly_chart")
    at.text_input(key="cf_wi_amount").input("1500")
    at.button(key="FormSubmitter:cf_what_if_form-Show the what-if").click()
    at.run()
    assert not at.exception
    lowest = next(m for m in at.metric if str(m.label) == "Lowest balance")
    assert lowest.value == "$1,000.00" and "-$1,500.00" in str(lowest.delta)  # side by side, nothing saved
    at.button(key="cf_wi_clear").click()
    at.run()
    assert not at.exception


def test_an_absurd_what_if_gets_a_specific_message(app_env):
    alice, at = _checking_page(app_env)
    at.text_input(key="cf_wi_amount").input("99999999999999")
    at.button(key="FormSubmitter:cf_what_if_form-Show the what-if").click()
    at.run()
    assert not at.exception
    assert any("implausibly large" in e.value for e in at.error)


def test_schedule_an_item_and_a_past_date_is_refused(app_env):
    import datetime as dt

    from budgetwise.services import cashflow

    alice = app_env.create_user()
    at = app_env.page(PAGE, user=alice)
    at.run()
    at.text_input(key="cf_sched_name").input("Rent")
    at.text_input(key="cf_sched_amount").input("1,200")
    at.date_input(key="cf_sched_date").set_value(dt.date.today() - dt.timedelta(days=3))
    at.button(key="FormSubmitter:cf_sched_form-Schedule").click()
    at.run()
    assert any("in the past" in e.value for e in at.error)
    at.date_input(key="cf_sched_date").set_value(dt.date.today() + dt.timedelta(days=3))
    at.selectbox(key="cf_sched_repeat").set_value("monthly")
    at.button(key="FormSubmitter:cf_sched_form-Schedule").click()
    at.run()
    assert not at.exception
    with app_env.scope() as s:
        (item,) = cashflow.list_scheduled(s, user_id=alice.user_id)
    assert (item.name, item.amount_minor, item.cadence) == ("Rent", 120_000, "monthly")
    assert any("Rent" in str(m.value) for m in at.markdown)


def test_cashflow_dates_out_of_limits_are_refused_not_dropped(app_env):
    """The pickers had Streamlit's default limits (ten years either side of the default): a date typed
    outside them was marked invalid and never sent, so the default date was used without a word. They
    now accept every date they can show and the service refuses one outside its limits."""
    import datetime as dt

    from budgetwise.services import cashflow
    from budgetwise.ui.format import PICKER_MAX, PICKER_MIN

    alice, at = _checking_page(app_env)
    widest = (PICKER_MIN.isoformat(), PICKER_MAX.isoformat())
    earliest, latest = cashflow.scheduled_date_limits()
    sched = at.date_input(key="cf_sched_date")
    assert (sched.proto.min, sched.proto.max) == widest and unbroken_dates(latest.isoformat()) in sched.help
    assert (at.date_input(key="cf_wi_date").proto.min, at.date_input(key="cf_wi_date").proto.max) == widest
    at.text_input(key="cf_sched_name").input("Rent")
    at.text_input(key="cf_sched_amount").input("1,200")
    at.date_input(key="cf_sched_date").set_value(dt.date(2099, 1, 5))
    at.button(key="FormSubmitter:cf_sched_form-Schedule").click()
    at.run()
    assert not at.exception
    assert any(unbroken_dates(f"the latest is {latest.isoformat()}") in e.value for e in at.error)
    with app_env.scope() as s:
        assert cashflow.list_scheduled(s, user_id=alice.user_id) == []
    at.text_input(key="cf_wi_amount").input("1500")
    at.date_input(key="cf_wi_date").set_value(dt.date(2001, 1, 5))
    at.button(key="FormSubmitter:cf_what_if_form-Show the what-if").click()
    at.run()
    assert not at.exception
    assert any(unbroken_dates("The what-if date 2001-01-05 is not in the future") in e.value for e in at.error)
    lowest = next(m for m in at.metric if str(m.label) == "Lowest balance")
    assert lowest.value == "$1,000.00" and not lowest.delta  # no what-if at the default date instead


def test_a_what_if_past_the_horizon_is_refused_and_one_left_behind_is_explained(app_env):
    """A what-if dated after the projection's last day changed nothing without a word."""
    import datetime as dt

    alice, at = _checking_page(app_env)
    at.slider(key="cf_horizon").set_value(1)
    at.run()
    last_day = dt.date.fromisoformat(at.date_input(key="cf_wi_date").help.split("last day (")[1][:10].replace("\u2011", "-"))
    at.text_input(key="cf_wi_amount").input("1500")
    at.date_input(key="cf_wi_date").set_value(last_day + dt.timedelta(days=1))
    at.button(key="FormSubmitter:cf_what_if_form-Show the what-if").click()
    at.run()
    assert not at.exception
    assert any(unbroken_dates(f"after the projection's last day ({last_day.isoformat()})") in e.value for e in at.error)
    at.date_input(key="cf_wi_date").set_value(last_day)  # the last day itself counts
    at.button(key="FormSubmitter:cf_what_if_form-Show the what-if").click()
    at.run()
    assert not at.exception and not at.error
    assert "-$1,500.00" in str(next(m for m in at.metric if str(m.label) == "Lowest balance").delta)
    at.slider(key="cf_horizon").set_value(3)  # kept when the horizon grows ...
    at.run()
    at.slider(key="cf_horizon").set_value(1)  # ... and named when it moves out again
    at.run()
    assert not any("after the projection's last day" in c.value for c in at.caption)
    at.slider(key="cf_horizon").set_value(2)
    at.run()
    at.date_input(key="cf_wi_date").set_value(last_day + dt.timedelta(days=20))
    at.button(key="FormSubmitter:cf_what_if_form-Show the what-if").click()
    at.run()
    assert not at.error
    at.slider(key="cf_horizon").set_value(1)
    at.run()
    assert any(unbroken_dates("on " + (last_day + dt.timedelta(days=20)).isoformat() + " (after the projection's last day: "
                              "more months ahead show it)") in c.value for c in at.caption)


def test_the_threshold_is_saved_and_a_bad_one_gets_a_message(app_env):
    from budgetwise.services import cashflow

    alice, at = _checking_page(app_env)
    assert at.text_input(key="cf_threshold").value == "0.00"
    at.text_input(key="cf_threshold").input("1,500")
    at.run()
    assert not at.exception
    # 1,000 today, under the 1,500: below it already, not "goes below" (session 21, zfword)
    assert any("Your balance is already below $1,500.00 today: $1,000.00." in e.value.replace("\\", "")
               for e in at.error)
    with app_env.scope() as s:
        assert cashflow.get_threshold(s, user_id=alice.user_id) == 150_000  # the dashboard warns below it too
    at.text_input(key="cf_threshold").input("99999999999999")
    at.run()
    assert not at.exception and any("threshold 99999999999999 is implausibly large" in e.value for e in at.error)
    with app_env.scope() as s:
        assert cashflow.get_threshold(s, user_id=alice.user_id) == 150_000  # nothing half-written


def test_a_new_user_sees_an_empty_state_and_can_schedule(app_env):
    alice = app_env.create_user()
    at = app_env.page(PAGE, user=alice)
    at.run()
    assert not at.exception
    assert any("Nothing to project yet" in i.value for i in at.info)
    assert not at.metric and not at.error
    assert at.text_input(key="cf_sched_name")  # the form to schedule items is there


def test_a_german_user_reads_and_types_the_threshold_with_a_decimal_comma(app_env):
    """QA: with German number format, "Warn me below" showed "0.00"; "1.500" must mean 1500."""
    import dataclasses

    from budgetwise.models import User
    from budgetwise.services import cashflow

    alice = app_env.create_user()
    with app_env.scope() as s:
        s.get(User, alice.user_id).locale = "de_DE"
        accounts.create_account(s, user_id=alice.user_id, name="Girokonto", opening_balance="1000")
    german = dataclasses.replace(alice, locale="de_DE")
    at = app_env.page(PAGE, user=german)
    at.run()
    assert at.text_input(key="cf_threshold").value == "0,00"
    at.text_input(key="cf_threshold").input("1.500,50")
    at.run()
    assert not at.exception
    with app_env.scope() as s:
        assert cashflow.get_threshold(s, user_id=alice.user_id) == 150_050


def test_a_what_if_amount_is_read_in_the_users_number_format(app_env):
    """QA: the what-if read "1.500" as 1,500 for an en_US user (the transaction form reads 1.50)."""
    alice, at = _checking_page(app_env)
    at.text_input(key="cf_wi_amount").input("1.500")
    at.button(key="FormSubmitter:cf_what_if_form-Show the what-if").click()
    at.run()
    assert not at.exception
    lowest = next(m for m in at.metric if str(m.label) == "Lowest balance")
    assert "-$1.50" in str(lowest.delta) and "1,500" not in str(lowest.delta)


def test_a_new_users_safe_to_spend_says_it_has_to_cover_the_usual_spending(app_env):
    """QA (browser): one month of history showed "Only 0 complete month(s)" beside "Safe to spend on top of
    your usual spending", though the projection had none of that spending in it."""
    alice, at = _checking_page(app_env)
    assert not at.exception
    summary = " ".join(i.value for i in at.info).replace("\\", "")
    assert "on top of your usual spending" not in summary and "not in the projection yet" in summary
    safe = next(m for m in at.metric if str(m.label) == "Safe to spend per day")
    assert "day-to-day spending included" in safe.help
    assert not any("month(s)" in c.value for c in at.caption)


def test_the_answers_follow_the_users_date_format(app_env):
    """The summary and the lowest balance's help wrote ISO dates whatever date format the user chose."""
    from budgetwise.services.profile import update_profile

    alice = app_env.create_user()
    with app_env.scope() as s:
        update_profile(s, user_id=alice.user_id, date_format="%d.%m.%Y")
        accounts.create_account(s, user_id=alice.user_id, name="Checking", opening_balance="1000")
    at = app_env.page(PAGE, user=alice)
    at.run()
    assert not at.exception
    lowest = next(m for m in at.metric if str(m.label) == "Lowest balance")
    first = dt.date.today() + dt.timedelta(days=1)
    assert lowest.help == f"On {first:%d.%m.%Y}."
    summary = " ".join(i.value for i in at.info).replace("\\", "")
    assert f"on {first:%d.%m.%Y}" in summary and f"{first:%Y-%m-%d}" not in summary
    safe = next(m for m in at.metric if str(m.label) == "Safe to spend per day")
    assert safe.help.startswith("For everything, your day-to-day spending included") and ".20" in safe.help


def test_a_what_if_moves_safe_to_spend_and_warns_below_the_threshold(app_env):
    """QA session 13 (browser): a what-if expense that took the line under the threshold changed the lowest
    balance and the chance, but "safe to spend per day" stayed as it was and nothing said it went below."""
    alice, at = _checking_page(app_env)
    at.text_input(key="cf_threshold").input("500")
    at.run()
    assert not at.error  # 1,000 stays above 500
    at.text_input(key="cf_wi_amount").input("800")
    at.button(key="FormSubmitter:cf_what_if_form-Show the what-if").click()
    at.run()
    assert not at.exception
    safe = next(m for m in at.metric if str(m.label) == "Safe to spend per day")
    assert str(safe.delta).startswith("-$") and "with the what-if" in str(safe.delta)
    # a change of a chance is in percentage points: "+69% with the what-if" read as a relative change (QA 13)
    chance = next(m for m in at.metric if str(m.label) == "Chance of going below")
    assert re.fullmatch(r"[+-]?[\d,]+ points? with the what-if", str(chance.delta)), chance.delta
    assert any("With the what-if, the projection goes below $500.00: lowest $200.00" in w.value.replace("\\", "")
               for w in at.warning)


def test_repeats_offers_once_by_name_and_a_scheduled_item_leaves_an_empty_form(app_env):
    """QA session 13 (browser): "Repeats" had None for "once", which the browser showed as "Choose an
    option" after a submit; and the form kept a scheduled item as typed, so a second press scheduled it twice."""
    from budgetwise.services import cashflow

    alice, at = _checking_page(app_env)
    assert at.selectbox(key="cf_wi_repeat").value == "once"
    assert at.selectbox(key="cf_sched_repeat").value == "once"
    at.text_input(key="cf_sched_name").input("Insurance")
    at.text_input(key="cf_sched_amount").input("600")
    at.button(key="FormSubmitter:cf_sched_form-Schedule").click()
    at.run()
    assert not at.exception
    with app_env.scope() as s:
        (item,) = cashflow.list_scheduled(s, user_id=alice.user_id)
    assert (item.name, item.cadence) == ("Insurance", None)
    fresh = [t for t in at.text_input if str(t.key).startswith("cf_sched") and str(t.key).endswith("_name")]
    assert [t.value for t in fresh] == [""]  # new, empty widgets: nothing to press twice
    at.text_input(key="cf_wi_amount").input("100")
    at.button(key="FormSubmitter:cf_what_if_form-Show the what-if").click()
    at.run()
    assert not at.exception and not at.error  # "once" is a what-if without a cadence


def _checking_and_savings(app_env):
    alice = app_env.create_user()
    with app_env.scope() as s:
        accounts.create_account(s, user_id=alice.user_id, name="Checking", opening_balance="1000")
        accounts.create_account(s, user_id=alice.user_id, name="Savings", kind="savings", opening_balance="5000")
    return alice


def _info(at) -> str:
    return " ".join(i.value.replace("\\", "") for i in at.info)


def test_the_answers_count_the_spending_accounts_and_say_so_and_all_accounts_are_a_choice(app_env):
    """Session 16 (spendacct): "what can I still spend from the money I spend from?" The Savings balance is
    not counted unless asked for; the page says which accounts; the choice is part of the cache key."""
    alice = _checking_and_savings(app_env)
    at = app_env.page(PAGE, user=alice)
    at.run()
    assert not at.exception
    assert at.radio(key="cf_w_scope").value == "spending"
    assert "Spending accounts: Checking; Savings is not counted." in _info(at)
    assert next(m for m in at.metric if str(m.label) == "Lowest balance").value == "$1,000.00"
    at.radio(key="cf_w_scope").set_value("all")
    at.run()
    assert not at.exception
    assert "All accounts: Checking and Savings." in _info(at) and "Savings is not counted" not in _info(at)
    assert next(m for m in at.metric if str(m.label) == "Lowest balance").value == "$6,000.00"
    assert at.session_state["cf_scope"] == "all"  # canonical: the dashboard's card follows it
    # the what-if compares within the same accounts
    at.text_input(key="cf_wi_amount").input("1500")
    at.button(key="FormSubmitter:cf_what_if_form-Show the what-if").click()
    at.run()
    lowest = next(m for m in at.metric if str(m.label) == "Lowest balance")
    assert lowest.value == "$6,000.00" and "-$1,500.00" in str(lowest.delta)
    at.radio(key="cf_w_scope").set_value("spending")
    at.run()
    lowest = next(m for m in at.metric if str(m.label) == "Lowest balance")
    assert lowest.value == "$1,000.00" and "-$1,500.00" in str(lowest.delta)  # not the cached all-accounts one
    assert "Spending accounts: Checking" in _info(at)


def test_the_choice_of_accounts_survives_another_page_and_starts_from_the_canonical_value(app_env):
    alice = _checking_and_savings(app_env)
    at = app_env.page(PAGE, user=alice)
    at.session_state["cf_scope"] = "all"  # chosen earlier in the session; the widget's own value is gone
    at.run()
    assert not at.exception and at.radio(key="cf_w_scope").value == "all"
    assert "All accounts: Checking and Savings." in _info(at)


def test_a_user_with_only_savings_is_told_all_accounts_are_counted(app_env):
    alice = app_env.create_user()
    with app_env.scope() as s:
        accounts.create_account(s, user_id=alice.user_id, name="Rainy day", kind="savings", opening_balance="800",
                                replace_starter=True)  # alone (by hand it stays beside the starter: session 24)
    at = app_env.page(PAGE, user=alice)
    at.run()
    assert not at.exception
    assert ("All accounts: Rainy day. You have no checking, credit card or cash account, so all your accounts are "
            "counted.") in _info(at)
    assert next(m for m in at.metric if str(m.label) == "Lowest balance").value == "$800.00"


def test_a_card_the_what_if_leaves_as_it_was_says_unchanged_without_an_arrow(app_env):
    """Session 18 (newuser, in Chromium): a what-if that did not move the chance showed "↑ 0 points with the
    what-if" in red, and one that left safe to spend at $0.00 "↑ $0.00" in green: Streamlit draws a text delta
    that does not start with "-" as a rise."""
    from streamlit.proto.Metric_pb2 import Metric

    alice, at = _checking_page(app_env)
    at.text_input(key="cf_wi_amount").input("100")
    at.button(key="FormSubmitter:cf_what_if_form-Show the what-if").click()
    at.run()
    assert not at.exception
    chance = next(m for m in at.metric if str(m.label) == "Chance of going below")
    assert chance.value == "0%" and chance.delta == "unchanged with the what-if"
    assert chance.proto.direction == Metric.MetricDirection.NONE and chance.proto.color == Metric.MetricColor.GRAY
    lowest = next(m for m in at.metric if str(m.label) == "Lowest balance")  # a real change keeps its arrow and colour
    assert lowest.delta == "-$100.00 with the what-if"
    assert lowest.proto.direction == Metric.MetricDirection.DOWN and lowest.proto.color == Metric.MetricColor.RED


def test_a_what_if_fall_points_down_in_red_where_the_locale_writes_the_minus_after_the_symbol(app_env):
    """Review18: nl_NL writes a fall of $100 "US$ -100,00"; Streamlit reads a text delta's direction from a leading
    "-", so the lowest balance's fall under a what-if showed a green rising arrow. The sign of the change decides."""
    import dataclasses

    from streamlit.proto.Metric_pb2 import Metric

    from budgetwise.models import User

    alice = app_env.create_user()
    with app_env.scope() as s:
        s.get(User, alice.user_id).locale = "nl_NL"
        accounts.create_account(s, user_id=alice.user_id, name="Betaalrekening", opening_balance="1000")
    at = app_env.page(PAGE, user=dataclasses.replace(alice, locale="nl_NL"))
    at.run()
    at.text_input(key="cf_wi_amount").input("100")
    at.button(key="FormSubmitter:cf_what_if_form-Show the what-if").click()
    at.run()
    assert not at.exception
    lowest = next(m for m in at.metric if str(m.label) == "Lowest balance")
    assert str(lowest.delta).replace("\xa0", " ") == "US$ -100,00 with the what-if"
    assert lowest.proto.direction == Metric.MetricDirection.DOWN and lowest.proto.color == Metric.MetricColor.RED


def test_an_empty_what_if_says_what_to_fill_in(app_env):
    """Session 20 (newuser): "Show the what-if" with no amount and no bill to cancel did nothing, without a word."""
    alice, at = _checking_page(app_env)
    at.button(key="FormSubmitter:cf_what_if_form-Show the what-if").click()
    at.run()
    assert not at.exception
    assert any(i.value == "Nothing to try yet: enter an amount, or choose bills to cancel." for i in at.info)
    at.text_input(key="cf_wi_amount").input("1500")
    at.button(key="FormSubmitter:cf_what_if_form-Show the what-if").click()
    at.run()
    assert not any("Nothing to try yet" in i.value for i in at.info)


def test_unticking_every_cancelled_bill_with_an_empty_amount_takes_them_out_of_the_what_if(app_env):
    """Session 20 review: the empty-form message must not swallow a what-if that only takes bills out again (the
    cancelled "Rent" stayed in the projection and its caption, with "Nothing to try yet" beside it)."""
    alice, at = _checking_page(app_env)
    at.text_input(key="cf_sched_name").input("Rent")
    at.text_input(key="cf_sched_amount").input("400")
    at.date_input(key="cf_sched_date").set_value(dt.date.today() + dt.timedelta(days=3))
    at.button(key="FormSubmitter:cf_sched_form-Schedule").click()
    at.run()
    assert "Rent" in at.multiselect(key="cf_wi_cancel").options
    at.multiselect(key="cf_wi_cancel").set_value(["Rent"])
    at.button(key="FormSubmitter:cf_what_if_form-Show the what-if").click()
    at.run()
    assert any("cancelled Rent" in str(c.value) for c in at.caption)
    at.multiselect(key="cf_wi_cancel").set_value([])
    at.button(key="FormSubmitter:cf_what_if_form-Show the what-if").click()
    at.run()
    assert not at.exception
    assert not any("cancelled Rent" in str(c.value) for c in at.caption)
    assert not any("Nothing to try yet" in i.value for i in at.info)


def test_no_known_items_says_so_instead_of_an_empty_table(app_env):
    """Session 22 (a new user's trial): "Known items in the projection" opened on an empty table with the word
    "empty" and nothing else; it now says there are none and what the projection is made of."""
    _, at = _checking_page(app_env)
    assert not at.exception
    known = next(e for e in at.expander if e.label == "Known items in the projection")
    assert not known.dataframe
    assert any("No recurring income or bill" in c.value for c in known.caption)


def test_balances_in_several_currencies_without_rates_make_one_warning(app_env):
    """Session 25 (trial25): five captions "No AUD → EUR rate …", "No CZK → EUR rate …", … one per currency; now one
    warning (ui.currency.missing_rates_warning) lists them."""
    from budgetwise.services import profile

    alice = app_env.create_user()
    with app_env.scope() as s:
        profile.update_profile(s, user_id=alice.user_id, currency="EUR")
        accounts.create_account(s, user_id=alice.user_id, name="Euro", currency="EUR", opening_balance="500")
        for code in ("AUD", "CZK", "HUF"):
            accounts.create_account(s, user_id=alice.user_id, name=f"Konto {code}", currency=code, opening_balance="10")
    at = app_env.page(PAGE, user=alice)
    at.run()
    assert not at.exception
    warnings = [w.value.replace("\\", "") for w in at.warning if "→ EUR rate" in w.value]
    assert len(warnings) == 1 and "not included** in this projection" in warnings[0]
    assert all(f"No {code} → EUR rate" in warnings[0] for code in ("AUD", "CZK", "HUF"))
    assert not [c.value for c in at.caption if "→ EUR rate" in c.value]
