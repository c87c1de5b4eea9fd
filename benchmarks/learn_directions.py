"""A correction teaches one direction: the offer's count and the merchant's refunds (issue #16, session 15 learndir).

    .venv/bin/python benchmarks/learn_directions.py [--per-style 8] [--variants 6] [--seed 16] [--merchants 300]

No evaluation file is read. Merchants and bank-text styles are those of ``benchmarks/merchant_variants.py`` (its
``merchants`` and ``STYLES``). Per style one user in a scratch database holds --per-style merchants (half brand, half
local), each with --variants money-out rows and two money-in rows (refunds, odd amounts) of the style's text; each
merchant's first money-out row is corrected to Groceries by hand, the offer taken (``learn_from_correction``) and
accepted (``accept_learn_offer``). Printed: how often the offer's "recategorize N past transactions" equals what the
accept changed, and how many refunds the accepts filed under the corrected spending category (a rule learned for
both directions, before session 15, filed them there).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.merchant_variants import STYLES, merchants  # noqa: E402


def offer_counts(ms: list, per_style: int, variants: int, seed: int) -> tuple[int, int, int, int]:
    """Through the app (session 15): per style one user holding ``per_style`` merchants (half brand, half local),
    each with ``variants`` money-out rows and two money-in rows (refunds, odd amounts) of the style's text; each
    merchant's first money-out row is corrected to Groceries by hand (``learn_from_correction``, then
    ``accept_learn_offer``). Returns (offers whose count equals the rows the accept changed, offers, refunds the
    accepts changed to Groceries, refunds)."""
    import datetime as dt

    from sqlalchemy import select

    from benchmarks._common import register_user, scratch_database
    from budgetwise.db import session_scope
    from budgetwise.models import Transaction
    from budgetwise.services import categorize, transactions
    from budgetwise.services.categories import find_category_by_name

    rng = random.Random(seed)
    brands = [m for m in ms if m.population == "brand"]
    local = [m for m in ms if m.population == "local"]
    equal = offers = moved = refunds = 0
    cpu = 0.0
    with scratch_database("offers") as db:
        for s_i, (style, fn) in enumerate(STYLES):
            user = register_user(db.factory, db.settings, f"offers{s_i}@example.com")
            chosen = rng.sample(brands, per_style // 2) + rng.sample(local, per_style - per_style // 2)
            with session_scope(db.factory) as s:
                groceries = find_category_by_name(s, user_id=user.user_id, name="Groceries").id
                rows: dict[int, tuple[list[int], list[int]]] = {}
                for m in chosen:
                    outs = [transactions.add_transaction(s, user_id=user.user_id, date=dt.date(2024, 1, 1 + v),
                                                         amount=f"{rng.randint(5, 80)}.00", kind="expense",
                                                         description=fn(m.name, rng)).id for v in range(variants)]
                    ins = [transactions.add_transaction(s, user_id=user.user_id, date=dt.date(2024, 2, 1 + v),
                                                        amount=f"{rng.randint(1, 9)}.{rng.randint(11, 99)}",
                                                        kind="income", description=fn(m.name, rng)).id
                           for v in range(2)]
                    rows[m.ident] = (outs, ins)
            for m in chosen:
                outs, ins = rows[m.ident]
                with session_scope(db.factory) as s:
                    def cats(ids):
                        return dict(s.execute(select(Transaction.id, Transaction.category_id)
                                              .where(Transaction.id.in_(ids))).all())
                    transactions.update_transaction(s, user_id=user.user_id, transaction_id=outs[0],
                                                    category_id=groceries)
                    before = cats(ins)
                    c0 = time.process_time()
                    offer = categorize.learn_from_correction(s, user_id=user.user_id, transaction_id=outs[0],
                                                             category_id=groceries)
                    changed = categorize.accept_learn_offer(s, user_id=user.user_id, offer=offer)
                    cpu += time.process_time() - c0
                    after = cats(ins)
                offers += 1
                equal += offer.matching_past == changed
                refunds += len(ins)
                moved += sum(after[i] == groceries and before[i] != groceries for i in ins)
    print(f"offer + accept: {cpu:.2f} s CPU for {offers} corrections ({1000 * cpu / max(1, offers):.0f} ms each)")
    return equal, offers, moved, refunds


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--per-style", type=int, default=8, dest="per_style", help="merchants corrected per style")
    ap.add_argument("--variants", type=int, default=6, help="money-out rows per merchant")
    ap.add_argument("--seed", type=int, default=16)
    ap.add_argument("--merchants", type=int, default=300, help="merchants per population to draw from")
    args = ap.parse_args(argv)
    t0, c0 = time.perf_counter(), time.process_time()
    equal, offers, moved, refunds = offer_counts(merchants(args.merchants, args.seed), args.per_style, args.variants,
                                                 args.seed)
    print(f"offer count (learn_from_correction -> accept_learn_offer, {args.per_style} merchants per style x "
          f"{len(STYLES)} styles, each with {args.variants} rows out and 2 refunds in): count == rows changed for "
          f"{equal:,} of {offers:,} offers; refunds filed under the corrected spending category: {moved:,} of {refunds:,}")
    print(f"{time.process_time() - c0:.1f} s CPU, {time.perf_counter() - t0:.1f} s wall")


if __name__ == "__main__":
    main()
