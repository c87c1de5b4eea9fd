"""Bank lines of the held-out data sets' kind (US and Canadian card text, Indian UPI/NEFT lines), written from
general knowledge in session 23 (cat23), never from an evaluation row; and the gaps they found (shipped in the
fourteenth set, migration 0034, cat23b).

    .venv/bin/python tools/default_rule_candidates.py [--data ../shared/data/labeled]

``KNOWN`` are lines the thirteenth rule set and the brand table answer as written (payroll and benefit credits,
Interac, Zelle and UPI transfers, Canadian, US and Indian shops, utilities, transit, tuition, donations); ``GAPS``
are general forms they miss or misread (none since the fourteenth set, which answers the five below) ("UBER* EATS" read as a ride, airline lines with a ticket number and a
shortened name, "FASTAG RECHARGE" read as a phone top-up, Swiggy's grocery delivery read as dining). No line repeats
or imitates a description that ``../shared/data/MORE_SOURCES.md`` quotes from a held-out data set (its examples of
the us, in and ca files): those payees get no line and no rule here. A gap becomes
a default rule only in a rule set with its own migration (the fourteenth: 0034); no tuning description holds any of them (this tool counts
them with ``--data``), so leave-one-data-set-out cannot show them (docs/history/categorization.md, session 23).

Prints each line the shipped rules and brands answer differently from the category written beside it, as the
engine asks them (a certain default rule first, then a brand for an expense; a fallback guess is no answer).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# (direction, bank line, the category it should get)
KNOWN: tuple[tuple[str, str, str], ...] = (
    ("income", "ACME CORP DES:PAYROLL ID:XXXXX12345 INDN:JOHN DOE CO ID:XXXXX", "Salary"),
    ("income", "DIRECT DEP ADP PAYROLL", "Salary"),
    ("income", "GUSTO DES:PAY ID:123456", "Salary"),
    ("income", "PAYCHEX INC PAYROLL", "Salary"),
    ("income", "DIRECT DEPOSIT ACME INC", "Salary"),
    ("income", "ELECTRONIC DEPOSIT PAYROLL", "Salary"),
    ("income", "SSA TREAS 310 XXSOC SEC", "Other Income"),
    ("income", "IRS TREAS 310 TAX REF", "Refunds"),  # a tax refund is a refund (the nineteenth set, session 28)
    ("income", "INTEREST PAYMENT", "Investment Income"),
    ("income", "INTEREST EARNED", "Investment Income"),
    ("income", "DIVIDEND RECEIVED", "Investment Income"),
    ("income", "ZELLE FROM JOHN SMITH", "Other Income"),  # money received from people (fifteenth set)
    ("income", "VENMO CASHOUT", "Transfers"),
    ("income", "PAYROLL DEPOSIT ACME LTD", "Salary"),
    ("income", "DEPOSIT CANADA PAYROLL", "Salary"),
    ("income", "CANADA PRO DEPOSIT", "Other Income"),
    ("income", "GST/HST CREDIT CANADA", "Other Income"),
    ("income", "E-TRANSFER RECEIVED JOHN SMITH", "Other Income"),  # money received from people (fifteenth set)
    ("income", "INTERAC E-TRANSFER FROM JANE", "Other Income"),  # money received from people (fifteenth set)
    ("expense", "INTERAC E-TRANSFER TO JANE", "Transfers"),
    ("expense", "SEND E-TFR ***ABC", "Transfers"),
    ("expense", "TIM HORTONS #1234 MONTREAL QC", "Dining"),
    ("expense", "COUCHE-TARD #1234", "Groceries"),
    ("expense", "PETRO-CANADA 12345 CALGARY", "Transport"),
    ("expense", "SHOPPERS DRUG MART #1234", "Health"),
    ("expense", "PHARMAPRIX #123 MONTREAL", "Health"),
    ("expense", "JEAN COUTU #123", "Health"),
    ("expense", "CALGARY TRANSIT", "Transport"),
    ("expense", "PRESTO FARE/ABC123 TORONTO", "Transport"),
    ("expense", "HYDRO-QUEBEC", "Utilities"),
    ("expense", "ENMAX", "Utilities"),
    ("expense", "VIDEOTRON", "Utilities"),
    ("expense", "ROGERS WIRELESS", "Utilities"),
    ("expense", "BELL CANADA", "Utilities"),
    ("expense", "AMAZON.CA", "Shopping"),
    ("expense", "SKIPTHEDISHES", "Dining"),
    ("expense", "DOORDASH*MCDONALDS", "Dining"),
    ("expense", "UBER *TRIP HELP.UBER.COM", "Transport"),
    ("expense", "IGA #123 MONTREAL", "Groceries"),
    ("expense", "PROVIGO #1234", "Groceries"),
    ("expense", "MAXI #8873 MONTREAL", "Groceries"),
    ("expense", "SUPER C #123", "Groceries"),
    ("expense", "LOBLAWS #1234", "Groceries"),
    ("expense", "SOBEYS #123", "Groceries"),
    ("expense", "REAL CDN SUPERSTORE #1522", "Groceries"),
    ("expense", "SAFEWAY #4567 CALGARY AB", "Groceries"),
    ("expense", "DOLLARAMA #123", "Shopping"),
    ("expense", "WINNERS #123", "Shopping"),
    ("expense", "SPORT CHEK #123", "Shopping"),
    ("expense", "STARBUCKS #12345 MONTREAL", "Dining"),
    ("expense", "A&W #1234", "Dining"),
    ("expense", "CINEPLEX #1234", "Entertainment"),
    ("expense", "CONCORDIA UNIVERSITY", "Education"),
    ("expense", "MCGILL UNIVERSITY TUITION", "Education"),
    ("expense", "UNIVERSITY OF CALGARY", "Education"),
    ("expense", "WEALTHSIMPLE", "Transfers"),
    ("expense", "QUESTRADE", "Transfers"),
    ("expense", "GOODLIFE FITNESS", "Subscriptions"),
    ("expense", "TST* JOES PIZZA NEW YORK NY", "Dining"),
    ("expense", "TST*THE KITCHEN BOULDER CO", "Dining"),
    ("expense", "SQ *BLUE BOTTLE COFFEE", "Dining"),
    ("expense", "SAFEWAY #1234 DENVER CO", "Groceries"),
    ("expense", "WHOLEFDS BLD 10023", "Groceries"),
    ("expense", "TRADER JOE S #123", "Groceries"),
    ("expense", "WAL-MART #1234", "Groceries"),
    ("expense", "WM SUPERCENTER #1234", "Groceries"),
    ("expense", "TARGET 00012345 DENVER CO", "Shopping"),
    ("expense", "COSTCO WHSE #0012", "Groceries"),
    ("expense", "CHIPOTLE 1234", "Dining"),
    ("expense", "MCDONALD'S F12345", "Dining"),
    ("expense", "CHICK-FIL-A #01234", "Dining"),
    ("expense", "DUNKIN #123456", "Dining"),
    ("expense", "PANERA BREAD #1234", "Dining"),
    ("expense", "SHELL OIL 57444123", "Transport"),
    ("expense", "CONOCO - SEI 12345", "Transport"),
    ("expense", "EXXONMOBIL 1234", "Transport"),
    ("expense", "CHEVRON 0123456", "Transport"),
    ("expense", "CVS/PHARMACY #01234", "Health"),
    ("expense", "WALGREENS #1234", "Health"),
    ("expense", "AMAZON.COM*AB12C3 AMZN.COM/BILL WA", "Shopping"),
    ("expense", "AMZN MKTP US*AB1CD2EF3", "Shopping"),
    ("expense", "NETFLIX.COM", "Subscriptions"),
    ("expense", "SPOTIFY USA", "Subscriptions"),
    ("expense", "XCEL ENERGY", "Utilities"),
    ("expense", "COMCAST CABLE", "Utilities"),
    ("expense", "VERIZON WIRELESS", "Utilities"),
    ("expense", "T-MOBILE AUTO PAY", "Utilities"),
    ("expense", "LYFT *RIDE TUE 8PM", "Transport"),
    ("expense", "DELTA AIR 0062345678901", "Travel"),
    ("expense", "AIRBNB * HMABC123", "Travel"),
    ("expense", "MARRIOTT DENVER", "Travel"),
    ("expense", "HERTZ RENT-A-CAR", "Travel"),
    ("expense", "REGAL CINEMAS", "Entertainment"),
    ("expense", "AMC 1234 ONLINE", "Entertainment"),
    ("expense", "TICKETMASTER", "Entertainment"),
    ("expense", "STEAM PURCHASE", "Entertainment"),
    ("expense", "PLANET FITNESS", "Subscriptions"),
    ("expense", "GREAT CLIPS #1234", "Personal Care"),
    ("expense", "SPORTS CLIPS", "Personal Care"),
    ("expense", "ULTA BEAUTY #123", "Personal Care"),
    ("expense", "HOME DEPOT #1234", "Shopping"),
    ("expense", "LOWES #01234*", "Shopping"),
    ("expense", "BEST BUY 00012345", "Shopping"),
    ("expense", "PETSMART #1234", "Shopping"),
    ("expense", "RENT PAYMENT", "Rent"),
    ("expense", "APARTMENTS LLC RENT", "Rent"),
    ("expense", "ZELLE TO JANE DOE", "Transfers"),
    ("expense", "VENMO PAYMENT 1234567", "Transfers"),
    ("expense", "ONLINE TRANSFER TO SAV XXXXX1234", "Transfers"),
    ("expense", "CAPITAL ONE ONLINE PYMT", "Transfers"),
    ("expense", "AUTOPAY PAYMENT THANK YOU", "Transfers"),
    ("expense", "STATE FARM INSURANCE", "Insurance"),
    ("expense", "GEICO *AUTO", "Insurance"),
    ("expense", "PROGRESSIVE INS", "Insurance"),
    ("expense", "KAISER PERMANENTE", "Insurance"),
    ("expense", "UNIVERSITY OF COLORADO BURSAR", "Education"),
    ("expense", "COURSERA", "Education"),
    ("expense", "UDEMY", "Education"),
    ("expense", "GOFUNDME", "Gifts & Donations"),
    ("expense", "RED CROSS DONATION", "Gifts & Donations"),
    ("expense", "DOORDASH*CHIPOTLE", "Dining"),
    ("expense", "GRUBHUB*PIZZAPLACE", "Dining"),
    ("expense", "INSTACART", "Groceries"),
    ("expense", "UPI/DR/412345678901/SWIGGY/YESB/swiggy@yesb", "Dining"),
    ("expense", "UPI-ZOMATO LTD-ZOMATO@HDFCBANK", "Dining"),
    ("expense", "ZOMATO", "Dining"),
    ("expense", "SWIGGY", "Dining"),
    ("expense", "BIGBASKET", "Groceries"),
    ("expense", "BLINKIT", "Groceries"),
    ("expense", "ZEPTO", "Groceries"),
    ("expense", "AIRTEL PREPAID", "Utilities"),
    ("expense", "VODAFONE IDEA", "Utilities"),
    ("expense", "BSNL", "Utilities"),
    ("expense", "KSEB ELECTRICITY BILL", "Utilities"),
    ("expense", "TATA POWER", "Utilities"),
    ("expense", "BESCOM", "Utilities"),
    ("expense", "GROWW", "Transfers"),
    ("expense", "IRCTC", "Travel"),
    ("expense", "MAKEMYTRIP", "Travel"),
    ("expense", "REDBUS", "Travel"),
    ("expense", "OLA CABS", "Transport"),
    ("expense", "RAPIDO", "Transport"),
    ("expense", "UBER INDIA", "Transport"),
    ("expense", "FLIPKART", "Shopping"),
    ("expense", "MYNTRA", "Shopping"),
    ("expense", "AMAZON PAY INDIA", "Shopping"),
    ("expense", "RELIANCE FRESH", "Groceries"),
    ("expense", "DMART", "Groceries"),
    ("expense", "APOLLO PHARMACY", "Health"),
    ("expense", "NETMEDS", "Health"),
    ("expense", "PHARMEASY", "Health"),
    ("expense", "BOOKMYSHOW", "Entertainment"),
    ("expense", "HOTSTAR", "Subscriptions"),
    ("expense", "NEFT/N123456789/RENT/LANDLORD NAME", "Rent"),
    ("expense", "IMPS/P2A/123456789/HOUSE RENT", "Rent"),
    ("expense", "UPI/DR/123/RENT/ABC@okaxis", "Rent"),
    ("expense", "SCHOOL FEES", "Education"),
    ("expense", "BYJUS", "Education"),
    ("expense", "LIC PREMIUM", "Insurance"),
    ("expense", "LIC OF INDIA", "Insurance"),
    ("expense", "HPCL", "Transport"),
    ("expense", "BPCL PETROL PUMP", "Transport"),
    ("expense", "INDIAN OIL", "Transport"),
    ("income", "NEFT CR-HDFC0000001-ACME TECHNOLOGIES PVT LTD-SALARY", "Salary"),
    ("income", "SALARY FOR MAY 2024", "Salary"),
    ("income", "SAL CREDIT", "Salary"),
    ("income", "INT.PD:12345:01-04-2024 TO 30-06-2024", "Investment Income"),
    ("income", "CREDIT INTEREST", "Investment Income"),
    ("expense", "ATM WDL", "Other"),
    ("expense", "ATM CASH WITHDRAWAL", "Other"),
    ("expense", "CASH WITHDRAWAL", "Other"),
    ("expense", "TST* MOLLY MAGEES DENVER CO", "Dining"),
    ("expense", "UPSTOX SECURITIES", "Transfers"),
    ("expense", "NETC FASTAG TOLL 123456", "Transport"),
    ("expense", "WESTJET 8381234567890", "Travel"),
    # --- the gaps of session 23, answered since the fourteenth set (migration 0034)
    ("expense", "UBER* EATS PENDING", "Dining"),
    ("expense", "UNITED 0161234567890", "Travel"),
    ("expense", "SOUTHWES 5261234567890", "Travel"),
    ("expense", "SWIGGY INSTAMART", "Groceries"),
    ("expense", "FASTAG RECHARGE", "Transport"),
)

# the gaps cat23 found, answered since the fourteenth set (migration 0034, cat23b): moved to KNOWN
GAPS: tuple[tuple[str, str, str], ...] = ()

# what a rule for each gap would read (folded text), to count it over descriptions (the session 23 gaps')
GAP_PATTERNS: dict[str, str] = {
    "Uber Eats with the star before the space": r"\buber\* ?eats\b",
    "an airline with a 13-digit ticket number": r"\b(?:united|southwes\w*|westjet|alaska air\w*|jetblue|spirit air\w*)"
                                                r"\s+\d{13}\b",
    "a FASTag toll top-up": r"\bfastag recharge\b",
    "grocery delivery of a food-delivery app": r"\binstamart\b",
}


def answers(lines: Iterable[tuple[str, str, str]]) -> list[tuple[str | None, str]]:
    """(category or None, source) per (direction, text, _): the first certain default rule ("rule:<name>"), else for
    an expense the brand table ("brand:<key>"), else None ("none" or "fallback:<category>")."""
    from budgetwise.services import default_rules
    from budgetwise.services.categorize.brands import brand_index
    from budgetwise.services.categorize.ruleset import _match_rows
    from budgetwise.text import clean_text
    from tools.calibrate_default_rules import default_ruleset

    rules, ruleset = default_ruleset()
    index = brand_index()
    lines = list(lines)
    items = [(clean_text(text)[:500], 2_500, kind, None) for kind, text, _ in lines]
    out: list[tuple[str | None, str]] = []
    for (kind, _, _), item, hit in zip(lines, items, _match_rows(ruleset, items)):
        rule = rules[hit.row.id] if hit is not None else None
        if rule is not None and rule.priority < default_rules.FALLBACK_PRIORITY:
            out.append((rule.category, "rule:" + rule.name))
        elif kind == "expense" and (found := index.find(item[0])) is not None:
            out.append((found.category, "brand:" + found.key))
        else:
            out.append((None, "fallback:" + rule.category if rule is not None else "none"))
    return out


def gap_hits(descriptions: Iterable[str]) -> dict[str, int]:
    """How many of ``descriptions`` each ``GAP_PATTERNS`` entry reads (folded as the rules read text)."""
    from budgetwise.text import clean_text
    from budgetwise.textforms import fast_fold

    compiled = {name: re.compile(p) for name, p in GAP_PATTERNS.items()}
    hits = dict.fromkeys(compiled, 0)
    for text in descriptions:
        folded = fast_fold(clean_text(text))
        for name, rx in compiled.items():
            hits[name] += bool(rx.search(folded))
    return hits


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=None, help="labelled data: count the gaps over the TUNING sets")
    args = parser.parse_args(argv)
    for label, lines in (("known", KNOWN), ("gaps", GAPS)):
        got = answers(lines)
        right = sum(cat == want for (_, _, want), (cat, _) in zip(lines, got))
        print(f"{label}: {right} of {len(lines)} answered as written")
        for (kind, text, want), (cat, source) in zip(lines, got):
            if cat != want:
                print(f"  {kind:<7} {text:<40} want {want:<14} got {cat} ({source})")
    if args.data is not None:
        import benchmarks.categorize_eval as ev

        ev.MAPPINGS = args.data.parent / "mappings.json"
        files = ev.load_all(args.data)
        texts = [r.description for name in ev.TUNING for r in files.get(name, [])]
        print(f"gap patterns over {len(texts)} tuning descriptions: {gap_hits(texts)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
