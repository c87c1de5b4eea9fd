"""The learned-rule re-keying migrations replayed as a chain (session 23 second reading, review23a): a database from
before session 10 (revision 0015), with rules learned on that code's key (``learn_key_before_session_10``, the same
key the code of that time gives these texts), upgraded to the head, keeps one learned rule per merchant and each
still files the rows it was learned on under today's key; the downgrade to 0015 gives every rule back the key the
code of 0015 reads. Until session 23 migration 0016 re-keyed to (and, going down, from) today's ``learn_key`` instead
of session 10's: going up the later migrations mended that, going down a text that changed in session 10 and again
later ("Z DROGASIL1148 SOUZA") kept a key the 0015 code never gives ("drogasil souza" for "souza"), a rule that
silently stopped applying. SQLite always; PostgreSQL / MariaDB when their test URLs are set. Made-up texts."""

from __future__ import annotations

from alembic import command
from sqlalchemy import text

from budgetwise.services.categorize.knowledge import shared_text
from budgetwise.services.categorize.rekey import _covers, learn_key_before_session_10
from budgetwise.textforms import learn_key
from tests.migrations import test_migration_rekey as m16
from tests.migrations.test_migration_accounts import seeded_at
from tests.migrations.test_migration_default_rules import url  # noqa: F401  (the per-backend database fixture)

# each: a word changed by session 10 (a name glued to a number, a payment service) beside one changed later
TEXTS = ["Z DROGASIL1148 SOUZA", "PAGAMENTO VIA INTERNET ATM08SEP LIMA", "Pay Bill Online to 322889 - QUIXA1148 ROCHA",
         "PAG* PAYPAL INST XFER DIAS", "4835-****-1234 Df BLORP08SEP NUNES", "PIX ENVIADO MELO ZORBLAT1148",
         "Customer Transfer to - 0712345678 VRENGLO08SEP OTIENO", "Pay Bill to 4040 - PLIMSELAcc. 1234 TRAN"]


def _learned(conn) -> list[tuple[str, str, int]]:
    return sorted((r[0], r[1], r[2]) for r in conn.execute(text(
        "SELECT pattern, match_type, category_id FROM rules WHERE user_id = 1 AND origin = 'learned'")))


def test_a_database_from_before_session_10_keeps_its_learned_rules_up_to_head_and_back(url, monkeypatch):  # noqa: F811
    monkeypatch.setattr(m16, "ROWS", [(101 + i, 1, d, "") for i, d in enumerate(TEXTS)])
    with seeded_at(url, "0015") as (cfg, engine):
        with engine.begin() as conn:
            cat = conn.execute(text("SELECT id FROM categories WHERE user_id IS NULL ORDER BY id")).scalars().first()
            m16._add_rows(conn)
            for i, d in enumerate(TEXTS):  # a correction of each, learned as the code of 0015 learned it
                m16._add_rule(conn, 900001 + i, 1, cat, learn_key_before_session_10(d), "starts_with" if i % 2 else
                              "exact", day=1 + i)
            assert len({p for p, _, _ in _learned(conn)}) == len(TEXTS)
        command.upgrade(cfg, "head")
        with engine.connect() as conn:
            from sqlalchemy.orm import Session

            shared = shared_text(Session(bind=conn), 1)
            rules = _learned(conn)
        assert len(rules) == len(TEXTS)
        for d in TEXTS:  # the rule learned on the row still files it, under today's key
            assert [r for r in rules if _covers(r[1], r[0], learn_key(d, shared))], (d, learn_key(d, shared), rules)
        engine.dispose()
        command.downgrade(cfg, "0015")
        with engine.connect() as conn:
            back = _learned(conn)
        engine.dispose()
        assert len(back) == len(TEXTS)
        for d in TEXTS:  # each rule back on a key the code of 0015 files its row under
            key = learn_key_before_session_10(d)
            assert [r for r in back if _covers(r[1], r[0], key)], (d, key, back)
        command.upgrade(cfg, "head")
