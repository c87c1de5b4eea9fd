import os
import stat
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from budgetwise.config import Settings
from budgetwise.errors import ConfigurationError, ValidationError
from budgetwise.money import format_money, from_minor, minor_digits, parse_decimal, parse_positive_amount, to_minor


def test_defaults(tmp_path):
    s = Settings.load(environ={"BUDGETWISE_DATA_DIR": str(tmp_path / "d")})
    assert s.database_url == f"sqlite:///{tmp_path / 'd' / 'budgetwise.db'}"
    assert s.bcrypt_rounds == 12 and s.lockout_threshold == 5 and s.lockout_minutes == 15
    assert s.max_upload_mb == 20 and not s.demo
    assert (tmp_path / "d").is_dir()


def test_generated_secret_is_stored_0600_and_reused(tmp_path):
    env = {"BUDGETWISE_DATA_DIR": str(tmp_path)}
    first = Settings.load(environ=env).secret_key
    assert len(first) >= 64
    mode = stat.S_IMODE(os.stat(tmp_path / "secret_key").st_mode)
    assert mode == 0o600
    assert Settings.load(environ=env).secret_key == first


def test_env_wins_over_secrets(tmp_path):
    s = Settings.load(
        environ={"BUDGETWISE_DATA_DIR": str(tmp_path), "BUDGETWISE_DEMO": "true"},
        secrets={"BUDGETWISE_DEMO": "false", "BUDGETWISE_SECRET_KEY": "config-test-secret-" + "s" * 40, "BUDGETWISE_DATABASE_URL": "sqlite:///x.db"},
    )
    assert s.demo and s.secret_key == "config-test-secret-" + "s" * 40 and s.database_url == "sqlite:///x.db"


def test_bad_settings_have_clear_messages(tmp_path):
    with pytest.raises(ConfigurationError, match="BUDGETWISE_DEMO"):
        Settings.load(environ={"BUDGETWISE_DATA_DIR": str(tmp_path), "BUDGETWISE_DEMO": "maybe"})
    with pytest.raises(ConfigurationError, match="BUDGETWISE_MAX_UPLOAD_MB"):
        Settings.load(environ={"BUDGETWISE_DATA_DIR": str(tmp_path), "BUDGETWISE_MAX_UPLOAD_MB": "lots"})


@pytest.mark.parametrize(
    "text, value",
    [("1,234.56", "1234.56"), ("1.234,56", "1234.56"), ("1 234,56", "1234.56"), ("11'373.94", "11373.94"),
     ("$1,036.47", "1036.47"), ("£1,183.23", "1183.23"), ("(12.00)", "-12.00"), ("+50,00", "50.00"),
     ("-337,49", "-337.49"), ("12.50-", "-12.50"), ("1.234,56 EUR", "1234.56"), ("EUR 5", "5"), ("0,125", "0.125"),
     ("1,234,567", "1234567"), ("-$5.00", "-5.00"), ("1\u00a0234,50", "1234.50")],
)
def test_parse_decimal(text, value):
    assert parse_decimal(text) == Decimal(value)


def test_ambiguous_thousands_follow_the_hint():
    assert parse_decimal("1,234") == Decimal("1234")
    assert parse_decimal("1,234", decimal_hint=",") == Decimal("1.234")


@pytest.mark.parametrize("text", ["", "abc", "12abc", "1.2.3,4,5", "--", "1e5", "12 34 ab"])
def test_parse_decimal_rejects(text):
    with pytest.raises(ValidationError):
        parse_decimal(text)


def test_minor_units_per_currency():
    assert (minor_digits("USD"), minor_digits("JPY"), minor_digits("KWD")) == (2, 0, 3)
    assert to_minor(Decimal("1.005"), "KWD") == 1005
    assert from_minor(1005, "KWD") == Decimal("1.005")
    with pytest.raises(ValidationError):
        parse_positive_amount("0.001", "USD")


@pytest.mark.parametrize("tiny", ["1E-999999999", "-1E-1000000", "1E-1000"])
def test_to_minor_refuses_a_tiny_amount_that_underflows_to_zero(tiny):
    """scaleb under the default context rounded these to 0 minor units (review22, session 22); zero stays zero."""
    with pytest.raises(ValidationError, match="more decimal places"):
        to_minor(Decimal(tiny), "USD")
    assert to_minor(Decimal("0"), "USD") == 0 and to_minor(Decimal("-0.00"), "JPY") == 0


def test_ten_dimes_make_a_dollar():
    assert sum(to_minor(Decimal("0.10"), "USD") for _ in range(10)) == 100


def test_format_money_by_locale():
    assert format_money(123456, "USD", "en_US") == "$1,234.56"
    assert format_money(123456, "EUR", "de_DE") == "1.234,56\xa0€"
    assert format_money(1500, "JPY", "ja_JP") == "￥1,500"


def test_a_signed_amount_has_its_plus_where_the_locale_writes_the_minus():
    """Session 25 (trial25): the import preview read "+€ 12,20" above "€ -18,43" for a nl_NL user."""
    assert (format_money(1220, "EUR", "nl_NL", signed=True), format_money(-1843, "EUR", "nl_NL", signed=True)) == (
        "€\xa0+12,20", "€\xa0-18,43")
    assert format_money(1220, "USD", "en_US", signed=True) == "+$12.20"  # where the plus always was
    assert format_money(1220, "EUR", "de_DE", signed=True) == "+12,20\xa0€"
    assert format_money(1220, "EUR", "de_CH", signed=True) == "EUR+12.20"  # beside "EUR-18.43"
    assert format_money(0, "EUR", "nl_NL", signed=True) == "€\xa00,00"  # nothing to sign


@given(st.integers(min_value=1, max_value=10**9), st.sampled_from(["en_US", "nl_NL", "de_CH", "sv_SE", "he_IL", "en_IN"]))
def test_a_signed_positive_amount_is_its_negative_with_a_plus(minor, locale):
    negative = format_money(-minor, "EUR", locale, signed=True)
    assert format_money(minor, "EUR", locale, signed=True) == negative.replace("-", "+", 1).replace("\u2212", "+", 1)


@given(st.integers(min_value=1, max_value=10**9), st.sampled_from(["USD", "EUR", "JPY", "KWD"]))
def test_format_then_parse_roundtrip(minor, currency):
    text = format(from_minor(minor, currency), "f")
    assert parse_positive_amount(text, currency, decimal_hint=".") == minor


@given(st.text(max_size=30))
def test_parse_decimal_never_crashes(text):
    try:
        parse_decimal(text)
    except ValidationError:
        pass


@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=60))
def test_fold_fast_path_equals_the_unicode_path(text):
    import re
    import unicodedata

    from budgetwise.text import fold

    slow = re.sub(r"\s+", " ", "".join(
        c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).casefold()).strip()
    assert fold(text) == slow


def test_fold_handles_accents_and_case():
    from budgetwise.text import fold

    assert fold("  Café   MÜLLER\tStraße ") == "cafe muller strasse"


def test_minor_units_are_iso_4217_not_cldr_display_digits():
    """Stored amounts are integers in the currency's ISO 4217 minor unit, which must not move under
    them: Babel 2.19's CLDR data says 0 digits for HUF, COP, IDR (and more) where ISO says 2, so a
    stored 350.00 HUF (35000) would have been read as 35,000 HUF after a library upgrade."""
    from babel.numbers import get_currency_precision

    assert (minor_digits("HUF"), minor_digits("COP"), minor_digits("IDR")) == (2, 2, 2)
    assert (minor_digits("JPY"), minor_digits("KWD"), minor_digits("USD")) == (0, 3, 2)
    assert to_minor(Decimal("-350"), "HUF") == -35000
    assert format_money(35050, "HUF") == "HUF350.50"  # shown with its own decimals, never rounded away
    if get_currency_precision("HUF") == 0:  # the Babel/CLDR data this guards against
        assert format_money(35000, "HUF", "hu_HU") == "350,00\xa0Ft"
    assert to_minor(Decimal("350.50"), "HUF") == 35050


def test_currencies_named_in_an_amount():
    from budgetwise.money import currencies_named_in

    assert currencies_named_in("€500") == {"EUR"} and currencies_named_in("500 EUR") == {"EUR"}
    assert currencies_named_in("chf 10") == {"CHF"} and currencies_named_in("CAD$ 10") == {"CAD"}
    assert {"USD", "CAD", "AUD"} <= currencies_named_in("$5") and "EUR" not in currencies_named_in("$5")
    assert currencies_named_in("1,200.50") is None and currencies_named_in("-300") is None
    assert currencies_named_in("abc") is None and currencies_named_in("") is None


@pytest.mark.parametrize("text", ["12,34.5", "1,2,3", "1,2345.00", "1,000000.00", "1.23.4,56"])
def test_misgrouped_digits_are_refused_not_read_as_another_amount(text):
    """QA (session 7): "12,34.5" typed in the add form was stored as 1,234.50 without a word."""
    with pytest.raises(ValidationError, match="groups of three"):
        parse_positive_amount(text, "USD")


@pytest.mark.parametrize("text, value", [("12,34,567.00", "1234567.00"), ("1.234.567,89", "1234567.89"),
                                         ("1,23", "1.23"), ("123,456.7", "123456.7")])
def test_well_formed_groups_still_parse(text, value):
    assert parse_decimal(text) == Decimal(value)


@pytest.mark.parametrize("code", ["XXX", "xts", "XAU", "XAG", "XDR", "XPT"])
def test_iso_codes_that_are_not_money_are_refused(code):
    """QA: XXX (no currency), XTS (testing), metals and SDR are ISO 4217 codes but no one's money."""
    from budgetwise.money import validate_currency

    with pytest.raises(ValidationError, match=rf"{code.upper()} \(.+\) is an ISO 4217 code but not a currency"):
        validate_currency(code)


@pytest.mark.parametrize("code", ["XAF", "XOF", "XCD", "XPF", "EUR", "JPY", "DEM", "CNH", "CLF"])
def test_real_currencies_stay_valid(code):
    from budgetwise.money import validate_currency

    assert validate_currency(code.lower()) == code


def test_pickers_offer_only_what_the_validator_accepts():
    """One owner: what the pages offer (currency_codes, current_currency_codes) passes validate_currency."""
    from budgetwise.money import currency_codes, current_currency_codes, validate_currency

    offered = set(currency_codes()) | set(current_currency_codes())
    assert {"XXX", "XTS", "XAU"}.isdisjoint(offered) and "XAF" in offered
    assert all(validate_currency(c) == c for c in offered)
    assert {"XXX", "XAU"} <= set(currency_codes(money_only=False))


def test_too_many_decimals_are_named_as_the_user_typed_them():
    """QA 2026-12-05: a de_DE user typed "12,345" and read "12.345 has more decimal places than EUR allows",
    which in her notation is twelve thousand three hundred and forty-five."""
    from budgetwise.errors import ValidationError
    from budgetwise.money import parse_positive_amount

    with pytest.raises(ValidationError) as err:
        parse_positive_amount("12,345", "EUR", decimal_hint=",")
    assert str(err.value) == "The amount “12,345” has more decimal places than EUR allows (2)."
    with pytest.raises(ValidationError) as err:
        parse_positive_amount(" 1.5 ", "JPY", decimal_hint=".")
    assert str(err.value) == "The amount “1.5” has more decimal places than JPY allows (0)."


def test_number_grouping_follows_the_money_pattern_of_the_locale():
    """Session 13: the digit groups charts use come from the pattern format_money writes with."""
    from budgetwise.money import number_grouping

    assert number_grouping("en_IN") == (3, 2) and format_money(1234567800, "INR", "en_IN") == "₹1,23,45,678.00"
    assert number_grouping("hi_IN") == (3, 2)
    assert number_grouping("en_US") == number_grouping("de_DE") == (3,)
    assert number_grouping("ta_IN") == (3,) and format_money(1234567800, "INR", "ta_IN") == "₹\u00a012,345,678.00"
    assert number_grouping("xx_YY") == (3,)  # an unknown locale: en_US, never a crash


def test_a_refused_amount_names_its_field():
    """Browser QA session 13: "'1e9' is not a number." did not say which box; the one owner of the
    messages (money.parse_decimal / parse_positive_amount / to_minor) names the field, or the caller's label."""
    from budgetwise.errors import ValidationError
    from budgetwise.money import parse_decimal, parse_positive_amount, to_minor

    cases = [
        (lambda: parse_positive_amount("1e9", "USD"), "The amount “1e9” is not a number."),
        (lambda: parse_decimal("1e9", field="target"), "The target amount “1e9” is not a number."),
        (lambda: parse_decimal("x", field="opening_balance"), "The opening balance “x” is not a number."),
        (lambda: parse_decimal("1.2.3,4", field="threshold"), "The threshold “1.2.3,4” is not a number"),
        (lambda: parse_positive_amount("5000000000", "USD"), "The amount “5000000000” is implausibly large"),
        (lambda: to_minor(parse_decimal("1.234", decimal_hint="."), "USD", label="The budget for Rent"),
         "The budget for Rent 1.234 has more decimal places"),
        (lambda: parse_decimal("abc", label=""), "“abc” is not a number."),  # a caller naming row and column
        (lambda: parse_decimal(" ", field="already_saved"), "The amount already saved is empty."),
    ]
    for call, message in cases:
        with pytest.raises(ValidationError) as exc:
            call()
        assert exc.value.message.startswith(message), exc.value.message


def test_apostrophe_grouping_is_kept_in_millions():
    """Session 14: Babel un-quotes pattern text over its whole result, which ate de_CH/fr_CH's apostrophe
    separators in pairs ("CHF 1234567.89", "1234567'890.12"); the money owner keeps every one."""
    from budgetwise.money import babel_number

    assert format_money(123456789, "CHF", "de_CH") == "CHF\u00a01'234'567.89"
    assert format_money(123456789012, "CHF", "de_CH") == "CHF\u00a01'234'567'890.12"
    assert format_money(-123456789, "EUR", "fr_CH") == "-1'234'567,89\u00a0€"
    assert format_money(123456, "CHF", "de_CH") == "CHF\u00a01'234.56"
    assert babel_number(1234567, "de_CH") == "1'234'567" and babel_number(1234567, "de_DE") == "1.234.567"
    assert babel_number(Decimal("1234567.5"), "it_CH", format="#,##0.00") == "1'234'567.50"
    assert format_money(123456, "EUR", "xx_YY") == "€1,234.56"  # an unknown locale: en_US, never a crash
