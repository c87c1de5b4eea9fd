"""The type of each account an import creates from the file's account column (issue #19, session 24, acct24):
guessed from general words in many languages (and, since session 28, well-known brokers' brands), shown in the preview, changeable before
the import; an investment account then stays out of the cash-flow answers like any "investment (cash part)"."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from budgetwise.errors import ValidationError
from budgetwise.models import Account, Transaction
from budgetwise.services import accounts, cashflow_scope
from budgetwise.services import importing as svc
from budgetwise.services.account_kinds import guess_kind
from budgetwise.services.importing import new_account_kinds

# a household history in the shape of ../shared/data's Bluecoins export: a bank, brokers, a pension plan, savings
FILE = (
    "Date,Description,Amount,Account\n"
    "2022-01-03,Salary,2000.00,ActivoBank\n"
    "2022-01-04,Grocer,-50.00,ActivoBank\n"
    "2022-01-05,Buy ETF,1000.00,Degiro\n"
    "2022-01-06,Deposit,500.00,Trading 212\n"
    "2022-01-07,Contribution,300.00,PPR\n"
    "2022-01-08,Deposit,200.00,Interactive Brokers\n"
    "2022-01-09,Put aside,400.00,Conta Poupança\n"
    "2022-01-10,Coffee,-2.00,Carteira\n"
).encode()


@pytest.mark.parametrize(("name", "kind"), [
    # investment and pension words (en de fr es pt nl it) and the generic names of such plans
    ("Trading 212", "investment"), ("Interactive Brokers", "investment"), ("Brokerage", "investment"),
    ("Investments", "investment"), ("Investimentos", "investment"), ("Compte-titres / Investissement", "investment"),
    ("Wertpapierdepot", "investment"), ("Securities account", "investment"), ("Inversiones", "investment"),
    ("Pension", "investment"), ("Retirement 401k", "investment"), ("Roth IRA", "investment"), ("PPR", "investment"),
    ("Plano Poupança Reforma", "investment"), ("Stocks and Shares ISA", "investment"), ("Crypto", "investment"),
    ("Plan épargne retraite", "investment"), ("Altersvorsorge", "investment"), ("Fondo pensione", "investment"),
    # savings words
    ("Conta Poupança", "savings"), ("Cash ISA", "savings"), ("Festgeld", "savings"), ("Plazo fijo", "savings"),
    ("Compte épargne", "savings"),
    # cards in any language; a debit card is checking
    ("Cartão de crédito", "credit_card"), ("Tarjeta", "credit_card"), ("Carte Visa", "credit_card"),
    ("Carte bancaire", "checking"), ("Tarjeta de débito", "checking"), ("Carte Bleue", "checking"),
    # cash, loans
    ("Carteira", "cash"), ("Dinheiro", "cash"), ("Wallet", "cash"), ("Crédito habitação", "loan"),
    ("Empréstimo", "loan"), ("Kredit", "loan"),
    # session 28 (fix28): broker and crowd-lending words, and well-known brokers' brands from a general list
    ("Depot", "investment"), ("Compte bourse", "investment"), ("Conto titoli", "investment"),
    ("Cuenta de valores", "investment"), ("Beleggingen", "investment"), ("Corretora XP", "investment"),
    ("Degiro", "investment"), ("Mintos", "investment"), ("eToro", "investment"), ("Vanguard", "investment"),
    ("Trade Republic", "investment"), ("Bondora Go & Grow", "investment"), ("Charles Schwab Checking", "checking"),
    # other brands stay checking: the user says what they are in the preview
    ("Investec", "checking"), ("ActivoBank", "checking"), ("Fidelity Bank", "checking"), ("Revolut", "checking"),
    ("Home Depot", "checking"), ("Pret a manger", "checking"),
])
def test_the_type_is_guessed_from_general_words_in_many_languages(name, kind):
    assert guess_kind(name) == kind


def _kinds(session, user_id: int) -> dict[str, str]:
    return dict(session.execute(select(Account.name, Account.kind).where(Account.user_id == user_id)).all())


def test_the_preview_lists_each_new_account_with_its_guess_and_the_choice_is_imported(session, alice):
    uid = alice.user_id
    preview = svc.preview_import(session, user_id=uid, data=FILE, filename="bluecoins.csv")
    new = {s.name: s.kind for s in new_account_kinds.new_from_file(preview.accounts)}
    assert new == {"ActivoBank": "checking", "Degiro": "investment", "Trading 212": "investment", "PPR": "investment",
                   "Interactive Brokers": "investment", "Conta Poupança": "savings", "Carteira": "cash"}
    assert "--account-kind NAME=KIND" in preview.accounts_note  # the command line's words
    assert "“Types of the new accounts”" in preview.page_accounts_note  # the page's
    chosen = {"degiro": "investment", "Carteira": "checking"}  # any case, as account names
    shown = {s.name: s.kind for s in new_account_kinds.with_kinds(preview.accounts, chosen) if s.new}
    assert (shown["Degiro"], shown["Carteira"], shown["PPR"]) == ("investment", "checking", "investment")
    svc.commit_import(session, user_id=uid, data=FILE, filename="bluecoins.csv", preview=preview, account_kinds=chosen)
    kinds = _kinds(session, uid)
    assert kinds == {"ActivoBank": "checking", "Degiro": "investment", "Trading 212": "investment",
                     "PPR": "investment", "Interactive Brokers": "investment", "Conta Poupança": "savings",
                     "Carteira": "checking"}
    # the cash-flow answers count the spending accounts only: the brokers and the pension plan are left out
    balances = accounts.balances(session, user_id=uid, as_of=dt.date(2022, 2, 1))
    scope = cashflow_scope.resolve(balances)
    assert set(scope.counted) == {"ActivoBank", "Carteira"}
    assert {"Degiro", "Trading 212", "PPR", "Interactive Brokers", "Conta Poupança"} <= set(scope.left_out)
    start, _notes = cashflow_scope.start_balance(balances, scope, "en_US", "%Y-%m-%d")
    assert start == 2000_00 - 50_00 - 2_00


def test_an_unknown_type_is_refused_and_nothing_is_written(session, alice):
    uid = alice.user_id
    before = _kinds(session, uid)
    with pytest.raises(ValidationError, match=r"“broker” is not an account type: choose one of checking, .* or "
                                              r"investment for the new account “Degiro”"):
        svc.commit_import(session, user_id=uid, data=FILE, filename="b.csv", account_kinds={"Degiro": "broker"})
    assert _kinds(session, uid) == before
    assert session.scalar(select(func.count()).select_from(Transaction).where(Transaction.user_id == uid)) == 0


def test_a_chosen_type_does_not_touch_an_existing_account_or_another_users(session, alice, bob):
    accounts.create_account(session, user_id=bob.user_id, name="Degiro", kind="checking")
    accounts.create_account(session, user_id=alice.user_id, name="Carteira", kind="cash")
    svc.commit_import(session, user_id=alice.user_id, data=FILE, filename="b.csv",
                      account_kinds={"Degiro": "investment", "Carteira": "savings"})
    assert _kinds(session, alice.user_id)["Degiro"] == "investment"
    assert _kinds(session, alice.user_id)["Carteira"] == "cash"  # an account of hers already: its type is hers to change
    assert _kinds(session, bob.user_id)["Degiro"] == "checking"


def test_names_that_are_not_new_accounts_of_the_file_are_found(session, alice):
    preview = svc.preview_import(session, user_id=alice.user_id, data=FILE, filename="b.csv")
    assert new_account_kinds.unknown_names(preview.accounts, {"degiro": "investment", "Degirp": "investment"}) == ["Degirp"]


# session 29 (imp29): peer-to-peer lending and crowdfunding platforms are investments (cash part), by general words
# ("lending", "crowd…", "p2p", "…invest…") and a list of well-known platforms kept as data (account_kinds)
@pytest.mark.parametrize("name", [
    "Grupeer", "Housers", "Go Parity", "GoParity", "Lendermarket", "Raize", "Iuvo", "Crowdestor", "Viainvest",
    "Reinvest24", "EstateGuru", "PeerBerry", "Twino", "Bondora", "Mintos", "Robocash", "Swaper", "Esketit", "Afranga",
    "Funding Circle", "Bulkestate", "My P2P lending", "Crowdlending", "Crowdfunding imobiliário", "Lending account",
])
def test_p2p_lending_and_crowdfunding_platforms_are_investments(name):
    assert guess_kind(name) == "investment"


def test_an_existing_platform_account_keeps_its_type(session, alice):
    uid = alice.user_id
    mine = accounts.create_account(session, user_id=uid, name="Grupeer", kind="checking", currency="EUR")
    data = b"Date,Description,Amount,Account\n2022-01-03,Interest,2.00,Grupeer\n2022-01-04,Deposit,100.00,Housers\n"
    preview = svc.preview_import(session, user_id=uid, data=data, filename="p2p.csv")
    assert {s.name: s.kind for s in new_account_kinds.new_from_file(preview.accounts)} == {"Housers": "investment"}
    svc.commit_import(session, user_id=uid, data=data, filename="p2p.csv", preview=preview)
    assert _kinds(session, uid) == {**_kinds(session, uid), "Grupeer": "checking", "Housers": "investment"}
    assert session.get(Account, mine.id).kind == "checking"  # the user's own type, not re-typed by the import
