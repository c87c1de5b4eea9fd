"""Multi-currency display helpers and the "Exchange rates" tab of the Profile page.

Pages call :func:`missing_rates_warning` with the ``missing_rates`` a service
returned (amounts that could not be converted to the user's base currency), and
:func:`converted_note` to say which currencies were converted. The rates tab
(:func:`rates_tab`) fetches the ECB reference rates, imports a rates CSV, takes a
rate typed by hand, lists the stored rates and the user's missing ones.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandas as pd
import streamlit as st

from budgetwise.errors import BudgetwiseError
from budgetwise.money import currency_codes, format_money
from budgetwise.principal import Principal
from budgetwise.services import exports, rates
from budgetwise.ui.actions import run_action
from budgetwise.ui.context import get_settings, read_session
from budgetwise.ui.format import (
    PICKER_MAX,
    PICKER_MIN,
    count_text,
    date_cells,
    date_column,
    date_input_format,
    day,
    decimal_separator,
    exchange_rate,
    plural,
)
from budgetwise.ui.forms import form_key, reset_form
from budgetwise.ui.navigation import PAGES_DIR
from budgetwise.ui.widgets import md, show_error

RATES_HINT = "Profile → Exchange rates"


def browser_currency() -> str | None:
    """The currency of the browser's country (``st.context.locale``, e.g. "nl-NL" → EUR), a guess offered as a
    choice, never applied on its own (session 29: registration, a file that names no currency)."""
    from budgetwise.money import currency_of_locale

    try:
        return currency_of_locale(st.context.locale)
    except Exception:  # noqa: BLE001 - no browser (a bare run): no guess
        return None
PROFILE_TABS_KEY = "pf_tab"  # the Profile page's tabs: bound to the URL's ``?pf_tab=<label>``, so a link opens one
RATES_TAB = "Exchange rates"  # the rates tab's label on the Profile page: what a link to the rates asks for
UNUSUAL = "fx_manual_unusual"  # a typed rate was refused as far off the known one: the "save it anyway" box shows
UNUSUAL_OK = "fx_manual_unusual_ok"  # that box
NOTICE = "fx_notice"  # (kind, message) shown once at the top of the rates tab
PROBLEMS = "fx_problems"  # row-specific reasons of the last refused rates file
UPLOAD_UNUSUAL = "fx_upload_unusual"  # (name, bytes, replace, shared) of a file refused for rates far off the known ones


def link_to_rates() -> None:
    """A link to Profile → Exchange rates, opening that tab (a caption naming it where the page is not registered).

    The one link to the rates: it opened Profile on its first tab, Details (session 20)."""
    if (PAGES_DIR / "profile.py").exists():
        try:
            st.page_link("pages/profile.py", label=f"Add exchange rates ({RATES_HINT})", icon=":material/currency_exchange:",
                         query_params={PROFILE_TABS_KEY: RATES_TAB})
            return
        except Exception:  # noqa: BLE001 - the page is not registered in this run (e.g. a page run on its own)
            pass
    st.caption(f"Add exchange rates under {RATES_HINT}.")


def missing_rates_warning(
    principal: Principal, missing: Sequence[rates.MissingRate], *, what: str = "these figures", link: bool = True
) -> None:
    """A warning naming what could not be converted to the base currency (and is left out)."""
    if not missing:
        return
    lines = "\n".join(f"- {md(m.describe(principal.locale, principal.date_format))}" for m in missing[:6])
    more = f"\n- …and {len(missing) - 6} more currencies" if len(missing) > 6 else ""
    st.warning(
        f"Some amounts could not be converted to {principal.currency} and are **not included** in {what}:\n\n"
        f"{lines}{more}\n\nAdd the missing exchange rates under **{RATES_HINT}**: fetch the ECB reference rates, "
        "upload a rates CSV or type a rate.",
        icon=":material/currency_exchange:",
    )
    if link:
        link_to_rates()


def converted_note(principal: Principal, currencies: Sequence[str]) -> str:
    """A caption fragment: which currencies were converted, and how."""
    if not currencies:
        return ""
    return (
        f"amounts in {', '.join(currencies)} converted to {principal.currency} at the rate of each transaction's date"
    )


def in_base_column(principal: Principal, rows: Sequence, converted: Sequence[int | None]) -> list[str]:
    """Display text of each row's amount in the base currency ("—" where no rate; "" for base rows)."""
    out = []
    for row, value in zip(rows, converted):
        if row.currency == principal.currency:
            out.append(format_money(row.signed_minor, row.currency, principal.locale))
        elif value is None:
            out.append("— no rate")
        else:
            out.append(format_money(-value if row.signed_minor < 0 else value, principal.currency, principal.locale))
    return out


# --------------------------------------------------------------------------- the rates tab
def _notice() -> None:
    notice = st.session_state.pop(NOTICE, None)
    if notice:
        kind, message = notice
        (st.success if kind == "success" else st.info)(message)


def _change_text(principal: Principal, change: rates.RatesChange, what: str) -> str:
    if not change.changed:
        return f"{what}: nothing new (all {count_text(principal, change.unchanged)} rates were already stored)."
    span = ""
    if change.first_date and change.last_date:
        span = f" for {day(principal, change.first_date)} to {day(principal, change.last_date)}"
    parts = [f"{count_text(principal, change.added)} new"]
    if change.replaced:
        parts.append(f"{count_text(principal, change.replaced)} updated")
    if change.unchanged:
        parts.append(f"{count_text(principal, change.unchanged)} already stored")
    return f"{what}: {', '.join(parts)}{span}. Reports are recomputed with them."


def _missing_section(principal: Principal, missing: Sequence[rates.MissingRate], foreign: Sequence[str]) -> None:
    st.markdown("**Rates your transactions need**")
    if not foreign:
        st.caption(f"All your transactions are in {principal.currency}: no exchange rates are needed.")
        return
    if not missing:
        st.success(
            f"Every transaction in {', '.join(foreign)} can be converted to {principal.currency}.",
            icon=":material/check_circle:",
        )
        return
    frame = pd.DataFrame(
        {
            "Currency": [f"{m.currency} → {m.target}" for m in missing],
            "Dates without a rate": [m.dates_text(limit=6, date_format=principal.date_format, locale=principal.locale)
                                     for m in missing],
            "Transactions": [m.count for m in missing],
            # in and out apart: their sum read as a total beside the account's balance (session 26)
            "Money in left out": [format_money(m.money_in_minor, m.currency, principal.locale) for m in missing],
            "Money out left out": [format_money(m.money_out_minor, m.currency, principal.locale) for m in missing],
        }
    )
    st.warning(
        f"These amounts are left out of your totals until a rate for them is stored (a rate counts for its own day "
        f"and up to {rates.MAX_STALENESS_DAYS} days after).",
        icon=":material/currency_exchange:",
    )
    st.dataframe(frame, hide_index=True, width="stretch")


def _fetch_section(principal: Principal) -> None:
    st.markdown("**European Central Bank reference rates**")
    with read_session() as s:
        latest = rates.latest_date(s, source="ecb")
    st.caption(
        "About 30 currencies against the euro, published on business days around 16:00 CET. Fetches the last "
        "90 days, or the whole history since 1999 when your transactions need older rates. Needs internet access. "
        + (f"Latest ECB rate stored: {day(principal, latest)}." if latest else "No ECB rates stored yet.")
    )
    if st.button("Fetch from the ECB", key="fx_fetch", icon=":material/cloud_download:"):
        with st.status("Fetching the ECB reference rates…", expanded=True) as status:
            def _failed(exc: BudgetwiseError) -> None:
                status.update(label="Could not fetch the ECB rates", state="error", expanded=True)
                show_error(exc, icon=":material/cloud_off:")

            def _fetched(change: rates.RatesChange) -> None:
                status.update(label="ECB rates fetched", state="complete", expanded=False)
                st.session_state[NOTICE] = ("success", _change_text(principal, change, "ECB reference rates"))

            run_action(lambda s: rates.fetch_ecb(s, principal=principal), then=_fetched, on_error=_failed)


def _template_csv() -> bytes:
    sample = pd.DataFrame(
        [
            {"date": "2024-01-05", "base": "EUR", "quote": "USD", "rate": "1.0921"},
            {"date": "2024-01-05", "base": "USD", "quote": "ARS", "rate": "809.25"},
        ]
    )
    return exports.to_csv_bytes(sample)


def _upload_section(principal: Principal) -> None:
    st.markdown("**Upload a rates CSV**")
    st.caption(
        "Columns date, base, quote, rate: one line per day and currency pair, meaning 1 base = rate quote "
        "(dates as YYYY-MM-DD, the rate with a dot as decimal separator). Every line is checked; if any is wrong, "
        "nothing is imported and each problem is listed. The rates you upload are yours: they change only your "
        "figures, never another user's (for you they win over the ECB rate of the same day)."
    )
    max_mb = min(get_settings().max_upload_mb, rates.MAX_CSV_BYTES // (1024 * 1024))
    with st.form("fx_upload_form", clear_on_submit=True):
        upload = st.file_uploader("Rates CSV", type=["csv", "txt"], key="fx_upload_file")
        replace = shared = False
        if principal.is_admin:  # a user changes an own rate by deleting it and entering the new one
            replace = st.checkbox("Replace stored rates that differ (administrator)", key="fx_upload_replace")
            shared = st.checkbox("Shared: use these rates for every user (administrator)", key="fx_upload_shared")
        submitted = st.form_submit_button("Import rates", icon=":material/upload_file:")
    st.download_button(
        "Example file", data=_template_csv(), file_name="exchange-rates-example.csv", mime="text/csv",
        key="fx_template", icon=":material/download:", type="tertiary", on_click="ignore",
    )
    if submitted:
        st.session_state.pop(PROBLEMS, None)
        st.session_state.pop(UPLOAD_UNUSUAL, None)
        if upload is None:
            st.warning("Choose a CSV file first.")
        elif upload.size > max_mb * 1024 * 1024:
            st.error(f"The file is larger than {max_mb} MB.")
        else:
            def _refused(exc: BudgetwiseError) -> None:
                if isinstance(exc, rates.RatesFileError):  # listed row by row below the form
                    st.session_state[PROBLEMS] = (upload.name, exc.message, exc.problems)
                    if isinstance(exc, rates.ImplausibleRates):  # kept for "Import them anyway" (nothing was stored)
                        st.session_state[UPLOAD_UNUSUAL] = (upload.name, upload.getvalue(), replace, shared)
                else:
                    show_error(exc)

            _import(principal, upload.name, upload.getvalue(), replace, shared, confirm=False, on_error=_refused)
    _refusal(principal)


def _import(principal: Principal, name: str, data: bytes, replace: bool, shared: bool, *, confirm: bool,
            on_error=None) -> None:
    def _imported(change: rates.RatesChange) -> None:
        st.session_state[NOTICE] = ("success", _change_text(principal, change, f"Rates from {name}"))
        st.session_state.pop(UPLOAD_UNUSUAL, None)
        st.session_state.pop(PROBLEMS, None)

    run_action(
        lambda s: rates.import_rates_csv(s, principal=principal, data=data, replace=replace, shared=shared,
                                         confirm=confirm),
        then=_imported, on_error=on_error,
    )


def _refusal(principal: Principal) -> None:
    """Why the last rates file was refused, row by row; for rates far off the known ones, "Import them anyway"."""
    refused = st.session_state.get(PROBLEMS)
    if refused:
        name, message, problems = refused
        unusual = st.session_state.get(UPLOAD_UNUSUAL)
        if not problems:
            st.error(f"{md(name)}: {md(message)}")
        elif unusual:
            st.error(f"{md(name)}: nothing was imported. These rates are more than {rates.IMPLAUSIBLE_FACTOR} times "
                     "off the known rate of their pair: check the file (a missing decimal point, or the currencies "
                     "the wrong way round?). If they are right, import them anyway.")
        else:
            st.error(f"{md(name)}: nothing was imported.")
        if problems:
            title = (f"{plural(len(problems), 'rate', locale=principal.locale)} to check"
                     if unusual else
                     f"{plural(len(problems), 'problem', locale=principal.locale)} to fix")
            with st.expander(title, expanded=True):
                st.markdown("\n".join(f"- {md(p)}" for p in problems[:200]))
                if len(problems) > 200:
                    st.caption(f"…and {count_text(principal, len(problems) - 200)} more.")
        if unusual and st.button("The rates are right: import them anyway", key="fx_upload_confirm",
                                 icon=":material/done_all:"):
            name, data, replace, shared = unusual
            _import(principal, name, data, replace, shared, confirm=True)


MANUAL = "fx_m"  # the rate-by-hand form (see ui.forms)
MANUAL_DEFAULTS = "fx_m_defaults"  # what that form was last drawn for


def _manual_section(principal: Principal, missing: Sequence[rates.MissingRate]) -> None:
    st.markdown("**Enter a rate by hand**")
    codes = currency_codes()
    first = missing[0] if missing else None
    default_base = first.currency if first else ("EUR" if principal.currency != "EUR" else "USD")
    earliest, latest = rates.rate_date_limits()
    default_day = min(first.dates[0], latest) if first else dt.date.today()
    defaults = (principal.currency, default_base, default_day)
    if st.session_state.get(MANUAL_DEFAULTS, defaults) != defaults:
        reset_form(MANUAL)  # e.g. a new base currency: the form shows the new defaults, not the old choice
    st.session_state[MANUAL_DEFAULTS] = defaults
    mk = form_key(MANUAL)
    with st.form("fx_manual_form" if mk == MANUAL else f"{mk}_form"):
        c1, c2, c3, c4 = st.columns([1.2, 1, 1, 1])
        # the picker accepts every date it can show: one outside its own limits is marked invalid and never
        # sent, so the default would be stored in its place without a word; the service refuses it instead
        on = c1.date_input("Date", value=default_day, min_value=PICKER_MIN, max_value=PICKER_MAX,
                           format=date_input_format(principal), key=f"{mk}_date",
                           help=f"From {day(principal, earliest)} to {day(principal, latest)}.")
        base = c2.selectbox("1 unit of", codes, index=codes.index(default_base), key=f"{mk}_base")
        rate_text = c3.text_input("equals", placeholder=f"e.g. 1{decimal_separator(principal)}0921", key=f"{mk}_rate")
        quote = c4.selectbox("of", codes, index=codes.index(principal.currency), key=f"{mk}_quote")
        replace = shared = False
        if principal.is_admin:
            replace = st.checkbox("Replace a stored rate that differs (administrator)", key=f"{mk}_replace")
            shared = st.checkbox("Shared: use this rate for every user (administrator)", key=f"{mk}_shared")
        submitted = st.form_submit_button("Save the rate", icon=":material/save:")
    st.caption("A rate you enter is yours: it changes only your figures, never another user's.")
    unusual = st.container()  # after a rate far off the known one was refused: a box to save it anyway

    def _confirm_box() -> None:
        unusual.checkbox("The rate is right: save it anyway", key=UNUSUAL_OK,
                         help=f"It is more than {rates.IMPLAUSIBLE_FACTOR} times off the known rate of the pair.")

    if st.session_state.get(UNUSUAL):
        _confirm_box()
    confirm = bool(st.session_state.get(UNUSUAL) and st.session_state.get(UNUSUAL_OK))

    def _refused(exc: BudgetwiseError) -> None:
        show_error(exc)
        if isinstance(exc, rates.ImplausibleRate) and not st.session_state.get(UNUSUAL):
            st.session_state[UNUSUAL] = True
            _confirm_box()

    if submitted:
        def _saved(change: rates.RatesChange) -> None:
            when = day(principal, on) if isinstance(on, dt.date) else str(on)
            text = (
                f"Saved: 1 {base} = {rate_text.strip()} {quote} on {when}."
                if change.changed else f"1 {base} = {rate_text.strip()} {quote} on {when} was already stored."
            )
            st.session_state[NOTICE] = ("success", text)
            reset_form(MANUAL)  # an empty form for the next rate (the replace box unticked)
            st.session_state.pop(UNUSUAL, None)
            st.session_state.pop(UNUSUAL_OK, None)

        run_action(
            lambda s: rates.add_rate(
                s, principal=principal, date=on, base=base, quote=quote, rate=rate_text, replace=replace,
                shared=shared, locale=principal.locale, date_format=principal.date_format, confirm=confirm,
            ),
            then=_saved, on_error=_refused,
        )


def _stored_section(principal: Principal) -> None:
    st.markdown("**Stored rates**")
    st.caption("The shared rates (the ECB's, and any an administrator stored for everyone) and your own.")
    with read_session() as s:
        pairs = rates.pair_summaries(s, user_id=principal.user_id)
    if not pairs:
        st.caption("No exchange rates are stored yet.")
        return
    st.dataframe(
        pd.DataFrame(
            {
                "Pair": [f"{p.base} → {p.quote}" for p in pairs],
                "Rates": [p.count for p in pairs],
                "From": date_cells(principal, [p.first_date for p in pairs]),
                "To": date_cells(principal, [p.last_date for p in pairs]),
                "Sources": [", ".join(p.sources) for p in pairs],
            }
        ),
        hide_index=True, width="stretch", height=min(38 + 35 * len(pairs), 260),
        column_config={"From": date_column(principal), "To": date_column(principal)},
    )
    labels = [f"{p.base} → {p.quote}" for p in pairs]
    choice = st.selectbox("Show the rates of", labels, key="fx_pair")
    pair = pairs[labels.index(choice)] if choice in labels else pairs[0]
    with read_session() as s:
        shown, total = rates.list_rates(s, base=pair.base, quote=pair.quote, limit=500, user_id=principal.user_id)
    frame = pd.DataFrame(
        {
            "Date": date_cells(principal, [r.date for r in shown]),
            "Rate": [f"1 {r.base} = {exchange_rate(principal, r.rate)} {r.quote}" for r in shown],
            "Source": [r.source for r in shown],
            "Whose": ["shared" if r.shared else "yours" for r in shown],
        }
    )
    # as tall as its rows, up to 260 px (session 18: a fixed 260 px drew six empty rows under a single rate)
    st.dataframe(frame, hide_index=True, width="stretch", height=min(38 + 35 * max(len(shown), 1), 260),
                 column_config={"Date": date_column(principal)})
    if total > len(shown):
        st.caption(f"The latest {count_text(principal, len(shown))} of {count_text(principal, total)} rates.")

    def _export() -> bytes:
        with read_session() as s:
            rows, _ = rates.list_rates(s, base=pair.base, quote=pair.quote, limit=1_000_000, user_id=principal.user_id)
        return exports.to_csv_bytes(pd.DataFrame(rates.rates_frame_rows(rows, whose=True),
                                                 columns=rates.rates_columns(whose=True)))

    st.download_button(
        f"Download the {pair.base} → {pair.quote} rates (CSV)", data=_export,
        file_name=exports.timestamped_name(f"exchange-rates-{pair.base}-{pair.quote}", "csv"), mime="text/csv",
        key="fx_download", icon=":material/download:",
    )
    _delete_section(principal, [r for r in shown if not r.shared or principal.is_admin])


def _delete_section(principal: Principal, deletable: Sequence[rates.RateView]) -> None:
    if not deletable:
        return
    labels = {
        r.id: f"{day(principal, r.date)}: 1 {r.base} = {exchange_rate(principal, r.rate)} {r.quote} ({r.source}, "
        f"{'shared' if r.shared else 'yours'})"
        for r in deletable
    }
    with st.form("fx_delete_form"):
        chosen = st.selectbox("Delete a rate", list(labels), format_func=labels.get, key="fx_delete_id")
        submitted = st.form_submit_button("Delete this rate", icon=":material/delete:")
    if submitted and chosen is not None:
        run_action(
            lambda s: rates.delete_rate(s, principal=principal, rate_id=int(chosen)),
            then=lambda view: st.session_state.__setitem__(NOTICE, (
                "success", f"Deleted the rate 1 {view.base} = {exchange_rate(principal, view.rate)} {view.quote} of {day(principal, view.date)}.")),
        )


def rates_tab(principal: Principal) -> None:
    """The whole "Exchange rates" tab (rendered inside ``with tab:`` on the Profile page)."""
    _notice()
    with read_session() as s:
        missing = rates.missing_rates(s, user_id=principal.user_id)
        foreign = rates.foreign_currencies(s, user_id=principal.user_id)
    st.markdown(
        f"Your base currency is **{principal.currency}** (change it under *Preferences*): reports, budgets and the "
        "dashboard show every amount in it. An amount in another currency is converted at the rate of its own "
        f"date, or the latest rate before it (up to {rates.MAX_STALENESS_DAYS} days, for weekends and holidays), "
        "directly, inversely or through the euro. Stored amounts never change."
    )
    _missing_section(principal, missing, foreign)
    st.divider()
    left, right = st.columns(2, gap="large")
    with left:
        _fetch_section(principal)
    with right:
        _upload_section(principal)
    st.divider()
    _manual_section(principal, missing)
    st.divider()
    _stored_section(principal)
