"""Migration 0050: the twentieth default rule set (issue #16, session 29, cold29) on SQLite, PostgreSQL and MariaDB
(the ``url`` fixture and the round trip of ``test_migration_default_rules``)."""

from __future__ import annotations

import re

from tests.migrations.test_migration_default_rules import V19, V20, _round_trip, url  # noqa: F401


def _group(entry: tuple) -> str:
    return re.sub(r" \(\d+\)$", "", entry[0])


def test_0050_brings_untouched_v19_rules_to_v20_and_back(url):  # noqa: F811
    """The twentieth set only adds rules; an administrator's edited and deleted rule stay theirs."""
    _round_trip(url, ("0049", "0050"), V19, V20, edited="Energy and water (5)", deleted="Gifts and donations (3)")


def test_the_twentieth_set_only_adds_rules_and_places_them():
    """0050: every nineteenth-set rule keeps its name, category, kind and regex and the order; each new rule follows
    the last other rule of its group (``V20_AT_END``) or stands just before the first rule of the group named beside
    it (``V20_EARLY``), and takes a number after every other rule of its group."""
    from budgetwise.services.default_rule_additions_v20 import V20_AT_END, V20_EARLY

    v19, v20 = {e[0]: e for e in V19}, {e[0]: e for e in V20}
    assert set(v19) <= set(v20)
    assert all(v20[n][:3] + v20[n][4:] == e[:3] + e[4:] for n, e in v19.items())
    old_order = [e[0] for e in sorted(V19, key=lambda e: e[3])]
    assert old_order == sorted(old_order, key=lambda n: v20[n][3])
    by_priority = sorted(V20, key=lambda e: e[3])
    added = [e for e in by_priority if e[0] not in v19]
    early = {g: before for g, before, _ in V20_EARLY}
    assert len(added) == len(V20) - len(V19) == len(V20_AT_END) + len(V20_EARLY) == 9
    assert {_group(e) for e in added} == set(V20_AT_END) | set(early)
    for e in added:
        i = by_priority.index(e)
        if _group(e) in early:
            assert _group(by_priority[i + 1]) == early[_group(e)], e[0]
        else:
            assert _group(by_priority[i - 1]) == _group(e), e[0]
            assert i == max(j for j, x in enumerate(by_priority) if _group(x) == _group(e)), e[0]
        assert int(e[0].rsplit("(", 1)[1][:-1]) > max(
            int(x[0].rsplit("(", 1)[1][:-1]) for x in V19 if _group(x) == _group(e) and x[0].endswith(")"))
