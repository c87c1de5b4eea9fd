"""OFX / QFX statements (SGML 1.x and XML 2.x, bank and credit-card) through ofxtools.

ofxtools does the parsing (header, SGML/XML tag soup, CDATA) and converts each
<STMTTRN> with its own models (amount as Decimal, typed fields). Two deliberate
deviations, both documented in docs/importing.md:

* the booking date is the date *as the bank wrote it* (the first eight digits of
  DTPOSTED): ofxtools converts to UTC, which moves a late-evening transaction
  with a "[-5:EST]" offset to the next day;
* banks often break the spec's field lengths (a 10-character BANKID). Conversion
  is per transaction, so one bad element never loses the whole statement; a
  transaction that ofxtools refuses is read from its raw TRNAMT/DTPOSTED text.
"""

from __future__ import annotations

import copy
import datetime as dt
import html
import io
import re
import warnings
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import pandas as pd

from budgetwise.dates import validate_transaction_date
from budgetwise.errors import ImportFileError, ValidationError
from budgetwise.importing.banktype import clean_bank_type
from budgetwise.importing.model import ROW_COLUMNS, ColumnMapping, ParsedFile, Rejection
from budgetwise.money import MAX_AMOUNT, to_minor, validate_currency
from budgetwise.names import quoted
from budgetwise.text import clean_text, plural

_DATE = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})")


def _decode(data: bytes) -> str:
    for enc in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1", "replace")  # pragma: no cover - latin-1 decodes anything


def _strict_tree(data: bytes):
    """ofxtools' parser (header + tags), else its tag builder on the body alone; None if both refuse."""
    from ofxtools.Parser import OFXTree, TreeBuilder

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            tree = OFXTree()
            tree.parse(io.BytesIO(data))
            return tree.getroot()
        except Exception:  # noqa: BLE001 - fall back to the body alone (missing/odd header)
            pass
        text = _decode(data)
        start = text.upper().find("<OFX>")
        if start < 0:
            return None
        builder = TreeBuilder()
        try:
            builder.feed(text[start:])
            return builder.close()
        except Exception:  # noqa: BLE001 - ofxtools raises several types
            return None


# A tag, or the opener of a comment, processing instruction or CDATA section (whose end is found
# with str.find: a lazy ".*?-->" per opener rescanned the rest of the text for every unclosed one,
# quadratic — 28 s of CPU for 128 KB of "<!--", days for a 20 MB upload; session 13 audit).
# The name never gives characters back (the lookahead): "<x" and 40,000 more letters with no ">" made
# the engine try every split of them between the name and the attributes, quadratic too.
_TOKEN = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9_.:\-]*)(?![A-Za-z0-9_.:\-])[^<>]*>|(<!--|<\?|<!\[CDATA\[)")
_CLOSERS = {"<!--": "-->", "<?": "?>", "<![CDATA[": "]]>"}
MAX_DEPTH = 64


def _tokens(text: str):
    """(start, end, closing "/" or "", tag or None, CDATA text or None) of each token, in order.

    Reads exactly what ``<tag>|<!--.*?-->|<\\?.*?\\?>|<!\\[CDATA\\[(.*?)\\]\\]>`` (DOTALL) matched, in
    linear time: an opener with no closer after it is plain text, as that regex left it, known at
    once from the last closer of its kind."""
    last = {opener: text.rfind(closer) for opener, closer in _CLOSERS.items()}
    at = 0
    while (m := _TOKEN.search(text, at)) is not None:
        opener = m.group(3)
        if opener is None:
            yield m.start(), m.end(), m.group(1), m.group(2), None
            at = m.end()
            continue
        body = m.end()
        if last[opener] < body:  # never closed: its characters stay text
            at = m.start() + 1
            continue
        end = text.find(_CLOSERS[opener], body)
        yield m.start(), end + len(_CLOSERS[opener]), "", None, text[body:end] if opener == "<![CDATA[" else None
        at = end + len(_CLOSERS[opener])


def tolerant_tree(text: str) -> ET.Element:
    """An element tree from OFX tag soup, whatever its nesting.

    SGML leaves (``<TRNAMT>-4.95`` with no closing tag) end at the next tag; closing tags that
    match nothing open are ignored; a closing tag closes everything opened inside it; tag names
    are upper-cased; attributes, comments and processing instructions are dropped; text is
    unescaped. Never raises on any text (a fuzz test holds it to that).
    """
    root = ET.Element("ROOT")
    stack = [root]
    leaf: ET.Element | None = None  # the last opened element, while only text followed it
    pos = 0
    for start, end, closing, name, cdata in _tokens(text):
        between = text[pos:start]
        pos = end
        if cdata is not None:  # CDATA: text of the open leaf
            between += cdata
        if between.strip() and leaf is not None:
            leaf.text = (leaf.text or "") + html.unescape(between.strip())
        if name is None:
            continue  # comment, processing instruction, CDATA
        tag = name.upper()
        if closing:  # closing tag
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
            stack.pop()  # the previous element had text and no closing tag: an SGML leaf
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


def _has_transactions(root) -> bool:
    return root is not None and next(root.iter("STMTTRN"), None) is not None


def _tree(data: bytes):
    """(root element, read leniently?)."""
    root = _strict_tree(data)
    if _has_transactions(root):
        return root, False
    lenient = tolerant_tree(_decode(data))
    if _has_transactions(lenient):
        return lenient, True
    if root is not None:
        return root, False
    raise ImportFileError(
        "The OFX file could not be read: no transaction (<STMTTRN>) was found in it. "
        "It is damaged or not an OFX statement; download it from your bank again."
    )


def _convert(elem):
    """ofxtools' STMTTRN model for one element, or None when it breaks the spec."""
    from ofxtools.models.base import Aggregate

    if elem.find(".//STMTTRN") is not None:
        # a transaction inside a transaction (unclosed SGML tags) breaks the spec: not worth a deep
        # copy of the chain below it (up to ~1,000 elements each; 0.6 ms per empty <STMTTRN>)
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return Aggregate.from_etree(copy.deepcopy(elem))
        except Exception:  # noqa: BLE001 - OFXSpecError, ValueError, TypeError from odd banks
            return None


def _text(elem, path: str) -> str:
    found = elem.find(path)
    return (found.text or "").strip() if found is not None and found.text else ""


def _description(name: str, memo: str) -> str:
    name, memo = clean_text(name), clean_text(memo)
    if not memo:
        return name
    if not name:
        return memo
    if memo.casefold().startswith(name.rstrip().casefold()):
        return memo  # NAME is often MEMO cut to 32 characters
    if name.casefold() in memo.casefold():
        return name
    return f"{name} – {memo}"


@dataclass
class _Statements:
    """What the statements of a file held, read so far."""

    records: list[dict] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)
    accounts: list[str] = field(default_factory=list)
    account_types: list[str] = field(default_factory=list)  # ACCTTYPE (CHECKING, SAVINGS…), CREDITCARD, INVESTMENT
    number: int = 0  # transactions seen (the row number a rejection names)
    lenient: int = 0  # transactions ofxtools refused, read from their raw text (and imported)
    trades: int = 0  # securities transactions of investment statements (not imported)


def _statements(root: ET.Element) -> list[ET.Element]:
    statements = [el for el in root.iter() if el.tag in ("STMTRS", "CCSTMTRS", "INVSTMTRS")]
    if not statements and _has_transactions(root):
        statements = [root]  # transactions outside any statement (a damaged file): read them all
    return statements


def _statement_currency(stmt: ET.Element, default_currency: str) -> str:
    currency_raw = _text(stmt, "CURDEF") or default_currency
    try:
        return validate_currency(currency_raw)
    except ValidationError:
        return default_currency


def _cash_transactions(stmt: ET.Element) -> tuple[list[ET.Element], int]:
    """(the statement's cash transactions, how many securities transactions it holds)."""
    if stmt.tag != "INVSTMTRS":
        return list(stmt.iter("STMTTRN")), 0
    # A brokerage account: its cash movements (INVBANKTRAN: deposits, withdrawals, fees,
    # interest) are transactions; trades and reinvested income move securities.
    cash = [e for e in stmt.iter("INVBANKTRAN") for e in e.iter("STMTTRN")]
    trades = sum(1 for lst in stmt.iter("INVTRANLIST") for e in lst if e.tag not in {"INVBANKTRAN", "DTSTART", "DTEND"})
    return cash, trades


def _read_statement(stmt: ET.Element, default_currency: str, out: _Statements) -> None:
    currency = _statement_currency(stmt, default_currency)
    account = (_text(stmt, "BANKACCTFROM/ACCTID") or _text(stmt, "CCACCTFROM/ACCTID")
               or _text(stmt, "INVACCTFROM/ACCTID") or None)
    if account:
        out.accounts.append(account)
        out.account_types.append(_text(stmt, "BANKACCTFROM/ACCTTYPE").upper()
                                 or ("CREDITCARD" if stmt.find("CCACCTFROM") is not None else "")
                                 or ("INVESTMENT" if stmt.find("INVACCTFROM") is not None else ""))
    cash, trades = _cash_transactions(stmt)
    out.trades += trades
    for elem in cash:
        out.number += 1
        record = _read_transaction(elem, out, currency, (account or "")[:100])
        if record is not None:
            out.records.append(record)


def _fields(elem: ET.Element) -> tuple[str, str, Decimal | None, str, str, bool]:
    """(date text, amount text, amount, name, memo, read from the raw text?) of one transaction,
    through ofxtools when it can."""
    model = _convert(elem)
    raw_date = _text(elem, "DTPOSTED") or _text(elem, "DTUSER")
    raw_amount = _text(elem, "TRNAMT")
    name = _text(elem, "NAME") or _text(elem, "PAYEE/NAME")
    memo = _text(elem, "MEMO")
    amount: Decimal | None
    if model is not None:
        amount = model.trnamt
        name = model.name or (model.payee.name if getattr(model, "payee", None) is not None else "") or name
        memo = model.memo or memo
    else:
        try:
            amount = Decimal(raw_amount.replace(",", "."))
        except (InvalidOperation, AttributeError):
            amount = None
    return raw_date, raw_amount, amount, name, memo, model is None


def _read_transaction(elem: ET.Element, out: _Statements, currency: str, account: str) -> dict | None:
    """One STMTTRN as a row, or None with its rejection recorded."""
    number = out.number
    raw_date, raw_amount, amount, name, memo, lenient = _fields(elem)
    day = _day(number, raw_date, out.rejections)
    if day is None:
        return None
    minor = _minor(number, raw_amount, amount, currency, out.rejections)
    if minor is None or amount is None:
        return None
    out.lenient += lenient  # counted only when read: a refused row is listed with its reason instead
    return {
        "row": number,
        "date": day,
        "amount_minor": minor,
        "kind": "expense" if amount < 0 else "income",
        "description": _description(name or "", memo or "")[:500],
        "currency": currency,
        "account": account,
        "label": "",
        "bank_type": clean_bank_type(_text(elem, "TRNTYPE")),
    }


def _day(number: int, raw_date: str, rejections: list[Rejection]) -> dt.date | None:
    """The booking date as the bank wrote it (DTPOSTED's first eight digits), or None, rejected."""
    m = _DATE.match(raw_date or "")
    if not m:
        rejections.append(Rejection(number, "date", f"{quoted(raw_date)} is not an OFX date (YYYYMMDD...).", raw_date))
        return None
    try:
        return validate_transaction_date(dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))))
    except ValueError:
        rejections.append(Rejection(number, "date", f"{quoted(raw_date)} is not a real calendar date.", raw_date))
    except ValidationError as exc:
        rejections.append(Rejection(number, "date", exc.message, raw_date))
    return None


def _minor(
    number: int, raw_amount: str, amount: Decimal | None, currency: str, rejections: list[Rejection]
) -> int | None:
    """The amount's size in minor units, or None, rejected (not a number, zero, too large)."""
    if amount is None or not amount.is_finite():  # "NaN" parses as a Decimal and made every comparison raise
        rejections.append(Rejection(number, "amount", f"{quoted(raw_amount)} is not a number.", raw_amount))
        return None
    if amount == 0:
        rejections.append(Rejection(number, "amount", "The amount is zero; there is nothing to record.", raw_amount))
        return None
    if abs(amount) > MAX_AMOUNT:
        rejections.append(Rejection(number, "amount", f"{quoted(raw_amount)} is implausibly large.", raw_amount))
        return None
    try:
        return to_minor(amount.copy_abs(), currency)  # abs() rounds in the context: 1E-999999999 became 0
    except ValidationError as exc:
        rejections.append(Rejection(number, "amount", exc.message, raw_amount))
        return None


def _warnings(read: _Statements, read_leniently: bool) -> tuple[str, ...]:
    out: list[str] = []
    if read_leniently:
        out.append(
            "The file does not follow the OFX format strictly (its tags are not nested as the specification "
            "says), so it was read leniently: each transaction's date, amount and text were taken as written. "
            "Check the rows below."
        )
    trades = read.trades
    if trades:
        out.append(
            f"This is an investment statement: its cash movements (deposits, withdrawals, fees, interest) are "
            f"imported; {plural(trades, 'securities transaction')} (buys, sells, dividends "
            f"reinvested or paid into the holding) {'are' if trades != 1 else 'is'} left out."
        )
    if read.lenient:
        out.append(
            f"{read.lenient} transaction(s) do not follow the OFX specification strictly; their amount and date were read as written."
        )
    return tuple(out)


def parse_ofx(data: bytes, *, default_currency: str) -> ParsedFile:
    root, read_leniently = _tree(data)
    if root is None:
        raise ImportFileError("The OFX file is empty.")
    read = _Statements()
    for stmt in _statements(root):
        _read_statement(stmt, default_currency, read)
    if read.number == 0:
        if read.trades:
            raise ImportFileError(
                f"The OFX investment statement holds {read.trades} securities transaction(s) (buys, sells, income) "
                "and no cash movements (deposits, withdrawals, fees, interest), so there is nothing to import."
            )
        raise ImportFileError(
            "The OFX file contains no bank or credit-card transactions (no <STMTTRN> in a statement)."
        )
    rows = pd.DataFrame.from_records(read.records, columns=ROW_COLUMNS)
    version = "xml" if data.lstrip()[:5].lower() == b"<?xml" else "sgml"
    return ParsedFile(
        file_format="ofx",
        encoding=version,
        delimiter=None,
        header_row=None,
        columns=(),
        mapping=ColumnMapping(),
        mapping_confident=True,
        date_order="ymd",
        date_order_reason="OFX dates are always year-month-day",
        decimal=".",
        sign="auto",
        sheet_names=(),
        sheet=None,
        warnings=_warnings(read, read_leniently),
        header_signature="",
        repeated_headers=(),
        rows=rows,
        rejections=tuple(read.rejections),
        rows_read=read.number,
        account=read.accounts[0] if len(set(read.accounts)) == 1 else None,
        account_type=(read.account_types[0] or None) if len(set(read.accounts)) == 1 else None,
    )
