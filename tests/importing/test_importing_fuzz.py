"""Property tests: the importer either returns rows or raises its own error, never anything else."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from budgetwise.dates import MIN_TRANSACTION_DATE, max_transaction_date
from budgetwise.errors import ImportFileError, ValidationError
from budgetwise.importing import UNEXPECTED, parse_file

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _check(data: bytes, name: str) -> None:
    try:
        parsed = parse_file(data, name)
    except (ImportFileError, ValidationError) as exc:
        assert str(exc), "errors carry a message for the user"
        assert not str(exc).startswith(UNEXPECTED), f"the importer crashed internally: {exc}"
        return
    rows = parsed.rows
    assert (rows["amount_minor"] > 0).all()
    assert set(rows["kind"]) <= {"income", "expense"}
    assert all(MIN_TRANSACTION_DATE <= d <= max_transaction_date() for d in rows["date"])
    assert len({r.row for r in parsed.rejections}) == len(parsed.rejections)
    if parsed.mapping.complete or parsed.file_format == "ofx":
        assert len(rows) + len(parsed.rejections) == parsed.rows_read


@FUZZ
@given(st.binary(max_size=2000), st.sampled_from(["f.csv", "f.txt", "f.ofx", "f.xlsx", "f.tsv", "f"]))
def test_arbitrary_bytes(data, name):
    _check(data, name)


cell = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["2024-01-31", "31/01/2024", "01/31/2024", "31.01.24", "12-Dec-2019", "", "-12,50", "1.234,56",
                     "(3.00)", "$1,036.47", "12.50-", "debit", "credit", "EUR", "1800-01-01", "2999-12-31", "abc"]),
)
header = st.lists(st.sampled_from(["Date", "Amount", "Description", "Debit", "Credit", "Currency", "Betrag",
                                   "Buchungstag", "Saldo", "Type", "Category", ""]), min_size=1, max_size=6)


@FUZZ
@given(header, st.lists(st.lists(cell, max_size=7), max_size=25), st.sampled_from([",", ";", "\t", "|"]),
       st.sampled_from(["\n", "\r\n", "\r"]))
def test_arbitrary_text_csv(head, body, delim, newline):
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delim, lineterminator=newline)
    writer.writerow(head)
    writer.writerows(body)
    _check(buf.getvalue().encode("utf-8"), "fuzz.csv")


@FUZZ
@given(st.text(max_size=3000))
def test_arbitrary_text(text):
    _check(text.encode("utf-8", "surrogatepass"), "fuzz.csv")


amounts = st.decimals(min_value=Decimal("-999999.99"), max_value=Decimal("999999.99"), places=2).filter(lambda d: d != 0)


def _style(value: Decimal, style: str) -> str:
    sign = "-" if value < 0 else ""
    whole, frac = f"{abs(value):.2f}".split(".")
    grouped = f"{int(whole):,}"
    return {
        "plain": f"{sign}{whole}.{frac}",
        "us": f"{sign}{grouped}.{frac}",
        "eu": f"{sign}{grouped.replace(',', '.')},{frac}",
        "swiss": f"{sign}{grouped.replace(',', chr(39))}.{frac}",
        "paren": f"({grouped}.{frac})" if sign else f"{grouped}.{frac}",
        "trailing": f"{grouped}.{frac}-" if sign else f"{grouped}.{frac}",
    }[style]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.dates(dt.date(2000, 1, 1), dt.date.today()), amounts), min_size=1, max_size=30),
       st.sampled_from(["plain", "us", "eu", "swiss", "paren", "trailing"]),
       st.sampled_from([("%Y-%m-%d", None), ("%d/%m/%Y", "dmy"), ("%m/%d/%Y", "mdy"), ("%d.%m.%Y", "dmy")]))
def test_generated_statements_round_trip(rows, style, date_format):
    fmt, order = date_format
    delim = ";" if style == "eu" else ","
    lines = [delim.join(["Date", "Description", "Amount"])]
    for i, (day, value) in enumerate(rows):
        lines.append(delim.join([day.strftime(fmt), f"Shop {i}", '"' + _style(value, style) + '"']))
    from budgetwise.importing import ImportOptions

    parsed = parse_file(("\n".join(lines) + "\n").encode(), "gen.csv", ImportOptions(date_order=order, sign="negative_is_expense"))
    assert parsed.rejections == ()
    expected = [(d, int(abs(v) * 100), "expense" if v < 0 else "income") for d, v in rows]
    got = list(zip(parsed.rows["date"], parsed.rows["amount_minor"], parsed.rows["kind"]))
    assert got == expected


# --------------------------------------------------------------------------- the tolerant OFX path (#18)
ofx_token = st.one_of(
    st.sampled_from(["<OFX>", "</OFX>", "<STMTRS>", "</STMTRS>", "<CCSTMTRS>", "<INVSTMTRS>", "<INVBANKTRAN>",
                     "</INVBANKTRAN>", "<BANKTRANLIST>", "</BANKTRANLIST>", "<STMTTRN>", "</STMTTRN>", "<TRNAMT>",
                     "</TRNAMT>", "<DTPOSTED>", "<NAME>", "</NAME>", "<MEMO>", "<CURDEF>", "<ACCTID>", "<AMEX.X>",
                     "</FOO>", "<!-- c -->", "<?OFX x?>", "<![CDATA[", "]]>", "-4.95", "20240230", "20240305",
                     "1e999", "NaN", "&amp;", "&#99999999;", "<", ">", "\n", "  ", "EUR", "xx"]),
    st.text(max_size=8),
)


@FUZZ
@given(st.lists(ofx_token, max_size=80))
def test_ofx_tag_soup_never_crashes(tokens):
    _check(("<OFX>" + "".join(tokens)).encode("utf-8", "surrogatepass"), "f.ofx")


@FUZZ
@given(st.text(max_size=2000))
def test_tolerant_tree_reads_any_text(text):
    from budgetwise.importing.ofx import tolerant_tree

    root = tolerant_tree(text)
    assert root.tag == "ROOT"


@FUZZ
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_after_an_ofx_root(data):
    _check(b"<OFX><STMTTRN>" + data, "f.qfx")


# --------------------------------------------------------------------------- session 13 (secaudit)
def _tolerant_tree_before(text: str):
    """The lenient OFX reader as it was before session 13 (one regex, a lazy scan per comment,
    processing instruction and CDATA opener): the reference the linear tokenizer must match."""
    import html
    import re
    import xml.etree.ElementTree as ET

    from budgetwise.importing.ofx import MAX_DEPTH

    token = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9_.:\-]*)[^<>]*>|<!--.*?-->|<\?.*?\?>|<!\[CDATA\[(.*?)\]\]>", re.DOTALL)
    root = ET.Element("ROOT")
    stack = [root]
    leaf = None
    pos = 0
    for m in token.finditer(text):
        between = text[pos:m.start()]
        pos = m.end()
        if m.group(3) is not None:
            between += m.group(3)
        if between.strip() and leaf is not None:
            leaf.text = (leaf.text or "") + html.unescape(between.strip())
        if m.group(2) is None:
            continue
        tag = m.group(2).upper()
        if m.group(1):
            if leaf is not None and leaf.tag == tag:
                leaf = None
                stack.pop()
                continue
            for depth in range(len(stack) - 1, 0, -1):
                if stack[depth].tag == tag:
                    del stack[depth:]
                    break
            leaf = None
            continue
        if leaf is not None and leaf.text:
            stack.pop()
        leaf = None
        if len(stack) > MAX_DEPTH:
            stack.pop()
        elem = ET.SubElement(stack[-1], tag)
        stack.append(elem)
        leaf = elem
    tail = text[pos:]
    if tail.strip() and leaf is not None:
        leaf.text = (leaf.text or "") + html.unescape(tail.strip())
    return root


_OFX_PIECES = st.sampled_from(["<!--", "-->", "<?", "?>", "<![CDATA[", "]]>", "<A>", "</A>", "<B>", "</B>",
                               "<STMTTRN>", "x", " ", "&amp;", "<", ">", "-", "?", "]", "!"])


@settings(max_examples=400, deadline=None)
@given(st.lists(_OFX_PIECES, max_size=30).map("".join))
def test_tolerant_tree_reads_comments_and_cdata_as_before(text):
    import xml.etree.ElementTree as ET

    from budgetwise.importing.ofx import tolerant_tree

    assert ET.tostring(tolerant_tree(text)) == ET.tostring(_tolerant_tree_before(text))
