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
import html
import io
import re
import warnings
import xml.etree.ElementTree as ET
from decimal import Decimal, InvalidOperation

import pandas as pd

from budgetwise.dates import validate_transaction_date
from budgetwise.errors import ImportFileError, ValidationError
from budgetwise.importing.model import ROW_COLUMNS, ColumnMapping, ParsedFile, Rejection
from budgetwise.money import MAX_AMOUNT, to_minor, validate_currency
from budgetwise.text import clean_text

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


_TOKEN = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9_.:\-]*)[^<>]*>|<!--.*?-->|<\?.*?\?>|<!\[CDATA\[(.*?)\]\]>", re.DOTALL)
MAX_DEPTH = 64


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
    for m in _TOKEN.finditer(text):
        between = text[pos:m.start()]
        pos = m.end()
        if m.group(3) is not None:  # CDATA: text of the open leaf
            between += m.group(3)
        if between.strip() and leaf is not None:
            leaf.text = (leaf.text or "") + html.unescape(between.strip())
        if m.group(2) is None:
            continue  # comment, processing instruction, CDATA
        tag = m.group(2).upper()
        if m.group(1):  # closing tag
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


def parse_ofx(data: bytes, *, default_currency: str) -> ParsedFile:
    root, read_leniently = _tree(data)
    if root is None:
        raise ImportFileError("The OFX file is empty.")
    statements = [el for el in root.iter() if el.tag in ("STMTRS", "CCSTMTRS", "INVSTMTRS")]
    if not statements and _has_transactions(root):
        statements = [root]  # transactions outside any statement (a damaged file): read them all
    trades = 0
    records: list[dict] = []
    rejections: list[Rejection] = []
    lenient = 0
    accounts: list[str] = []
    number = 0
    for stmt in statements:
        currency_raw = _text(stmt, "CURDEF") or default_currency
        try:
            currency = validate_currency(currency_raw)
        except ValidationError:
            currency = default_currency
        account = (_text(stmt, "BANKACCTFROM/ACCTID") or _text(stmt, "CCACCTFROM/ACCTID")
                   or _text(stmt, "INVACCTFROM/ACCTID") or None)
        if account:
            accounts.append(account)
        if stmt.tag == "INVSTMTRS":
            # A brokerage account: its cash movements (INVBANKTRAN: deposits, withdrawals, fees,
            # interest) are transactions; trades and reinvested income move securities.
            cash = [e for e in stmt.iter("INVBANKTRAN") for e in e.iter("STMTTRN")]
            trades += sum(1 for lst in stmt.iter("INVTRANLIST") for e in lst if e.tag not in {"INVBANKTRAN", "DTSTART", "DTEND"})
        else:
            cash = list(stmt.iter("STMTTRN"))
        for elem in cash:
            number += 1
            model = _convert(elem)
            raw_date = _text(elem, "DTPOSTED") or _text(elem, "DTUSER")
            raw_amount = _text(elem, "TRNAMT")
            name = _text(elem, "NAME") or _text(elem, "PAYEE/NAME")
            memo = _text(elem, "MEMO")
            if model is not None:
                amount = model.trnamt
                name = model.name or (model.payee.name if getattr(model, "payee", None) is not None else "") or name
                memo = model.memo or memo
            else:
                lenient += 1
                try:
                    amount = Decimal(raw_amount.replace(",", "."))
                except (InvalidOperation, AttributeError):
                    amount = None
            m = _DATE.match(raw_date or "")
            if not m:
                rejections.append(Rejection(number, "date", f"{raw_date!r} is not an OFX date (YYYYMMDD...).", raw_date))
                continue
            try:
                import datetime as dt

                day = validate_transaction_date(dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))))
            except ValueError:
                rejections.append(Rejection(number, "date", f"{raw_date!r} is not a real calendar date.", raw_date))
                continue
            except ValidationError as exc:
                rejections.append(Rejection(number, "date", exc.message, raw_date))
                continue
            if amount is None:
                rejections.append(Rejection(number, "amount", f"{raw_amount!r} is not a number.", raw_amount))
                continue
            if amount == 0:
                rejections.append(Rejection(number, "amount", "The amount is zero; there is nothing to record.", raw_amount))
                continue
            if abs(amount) > MAX_AMOUNT:
                rejections.append(Rejection(number, "amount", f"{raw_amount!r} is implausibly large.", raw_amount))
                continue
            try:
                minor = to_minor(abs(amount), currency)
            except ValidationError as exc:
                rejections.append(Rejection(number, "amount", exc.message, raw_amount))
                continue
            records.append(
                {
                    "row": number,
                    "date": day,
                    "amount_minor": minor,
                    "kind": "expense" if amount < 0 else "income",
                    "description": _description(name or "", memo or "")[:500],
                    "currency": currency,
                    "account": (account or "")[:100],
                    "label": "",
                }
            )
    if number == 0:
        if trades:
            raise ImportFileError(
                f"The OFX investment statement holds {trades} securities transaction(s) (buys, sells, income) "
                "and no cash movements (deposits, withdrawals, fees, interest), so there is nothing to import."
            )
        raise ImportFileError(
            "The OFX file contains no bank or credit-card transactions (no <STMTTRN> in a statement)."
        )
    warnings_out: list[str] = []
    if read_leniently:
        warnings_out.append(
            "The file does not follow the OFX format strictly (its tags are not nested as the specification "
            "says), so it was read leniently: each transaction's date, amount and text were taken as written. "
            "Check the rows below."
        )
    if trades:
        warnings_out.append(
            f"This is an investment statement: its cash movements (deposits, withdrawals, fees, interest) are "
            f"imported; {trades} securities transaction{'s' if trades != 1 else ''} (buys, sells, dividends "
            f"reinvested or paid into the holding) {'are' if trades != 1 else 'is'} left out."
        )
    if lenient:
        warnings_out.append(
            f"{lenient} transaction(s) do not follow the OFX specification strictly; their amount and date were read as written."
        )
    rows = pd.DataFrame.from_records(records, columns=ROW_COLUMNS)
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
        warnings=tuple(warnings_out),
        header_signature="",
        rows=rows,
        rejections=tuple(rejections),
        rows_read=number,
        account=accounts[0] if len(set(accounts)) == 1 else None,
    )
