"""The learning keys as they were before each change (frozen; split out of ``textforms`` in session 26, which was at
its size limit and still answers every ``learn_key_before_session_N`` name). A migration that re-keys learned rules
replays from and to one of these, so a later change of :func:`textforms.learn_key` never changes what an earlier
migration did: when the key changes again, freeze today's key here as ``learn_key_before_session_N``.
"""

from __future__ import annotations

from budgetwise.text import clean_text
from budgetwise.textforms import MAX_TEXT, _key_from_tokens, fast_fold, payee_key, tokens_form


def learn_key_before_session_26(description: str, shared: frozenset[str] | set[str] = frozenset()) -> str:
    """:func:`learn_key` as it was before session 26, a key of legal forms only where the payee's other words are a
    payment's ("Pay Bill Online to 409 - Direct Pay Limited 1" -> "limited", now "direct pay limited"): migration 0043
    re-keys learned rules from it, its downgrade back to it (frozen)."""
    folded = fast_fold(clean_text(description)[:MAX_TEXT])
    tokens = tokens_form(folded)
    key = _key_from_tokens(tokens, folded=folded, session_26=False)
    return payee_key(key, tokens, shared) if shared else key


def learn_key_before_session_25(description: str, shared: frozenset[str] | set[str] = frozenset()) -> str:
    """:func:`learn_key` as it was before session 25, a bill's reference kept where the payee is too short for a key
    ("Pay Bill to 222 - KE Acc. NHIFM" -> "bill ke acc nhifm", now "bill ke"): migration 0039 re-keys learned rules
    from it, its downgrade back to it (frozen)."""
    folded = fast_fold(clean_text(description)[:MAX_TEXT])
    tokens = tokens_form(folded)
    key = _key_from_tokens(tokens, folded=folded, session_25=False, session_26=False)
    return payee_key(key, tokens, shared) if shared else key


def learn_key_before_session_24(description: str, shared: frozenset[str] | set[str] = frozenset()) -> str:
    """:func:`learn_key` as it was before session 24, a bill payment's account reference of letters kept in the key
    ("Pay Bill to 222 - E-CITIZEN Acc. NHIFM123" -> "citizen acc nhifm"; :func:`_without_bill_reference`): migration
    0037 re-keys learned rules from it, its downgrade back to it; migration 0033 re-keys to it (frozen)."""
    folded = fast_fold(clean_text(description)[:MAX_TEXT])
    tokens = tokens_form(folded)
    key = _key_from_tokens(tokens, folded=folded, session_24=False, session_25=False, session_26=False)
    return payee_key(key, tokens, shared) if shared else key


def learn_key_before_session_23(description: str, shared: frozenset[str] | set[str] = frozenset()) -> str:
    """:func:`learn_key` as it was before session 23, a name glued to an account abbreviation kept whole
    ("E-CITIZENAcc. 55" -> "citizenacc"; the spaced "E-CITIZEN Acc. 55" -> "citizen"): migration 0033 re-keys
    learned rules from it, its downgrade back to it; migration 0029 re-keys to it (frozen)."""
    folded = fast_fold(clean_text(description)[:MAX_TEXT])
    tokens = tokens_form(folded)
    key = _key_from_tokens(tokens, folded=folded, session_23=False, session_24=False, session_25=False, session_26=False)
    return payee_key(key, tokens, shared) if shared else key


def learn_key_before_session_20(description: str) -> str:
    """:func:`learn_key` as it was before session 20, of one description alone: a key of the words every description
    shares stays ("PayPal - Omitted due to Privacy Reasons" -> "omitted due privacy reasons"): migration 0029 re-keys
    learned rules from it, its downgrade back to it; migration 0027 re-keys to it (frozen)."""
    folded = fast_fold(clean_text(description)[:MAX_TEXT])
    return _key_from_tokens(tokens_form(folded), folded=folded, session_23=False, session_24=False,
                            session_25=False, session_26=False)


def learn_key_before_session_17(description: str) -> str:
    """:func:`learn_key` as it was before session 17, with a facilitator's code before the seller ("PAG*PADARIA SOL"
    -> "pag padaria sol") and a mobile-money phrase before the payee ("Customer Transfer to - 07… PETER" -> "customer
    transfer peter") kept (frozen: a re-keying of learned rules reads it)."""
    return _key_from_tokens(tokens_form(fast_fold(clean_text(description)[:MAX_TEXT])), session_17=False,
                            session_24=False, session_25=False, session_26=False)


def learn_key_before_session_16(description: str) -> str:
    """:func:`learn_key` as it was before session 16, with a card's or a mobile wallet's channel words kept ("COMPRA
    CARTAO DEB MC 11/10 GRAAL" -> "cartao deb mc graal", "Pay Bill to 123 - ACME Acc. 55" -> "bill acme acc"):
    migration 0025 re-keys learned rules from it, its downgrade back to it; migration 0022 re-keys to it (frozen)."""
    return _key_from_tokens(tokens_form(fast_fold(clean_text(description)[:MAX_TEXT])), session_16=False,
                            session_17=False, session_25=False,
                            session_26=False)


def learn_key_before_session_15(description: str) -> str:
    """:func:`learn_key` as it was before session 15, with a one-letter name dropped ("Z WELLINGTON" -> "wellington")
    and Brazil's rails kept ("PIX ENVIADO ALINE SOUZA" -> "pix enviado aline souza"): migration 0022 re-keys learned
    rules from it, its downgrade back to it; migration 0021 re-keys to it (frozen)."""
    return _key_from_tokens(tokens_form(fast_fold(clean_text(description)[:MAX_TEXT])), session_15=False,
                            session_16=False, session_17=False, session_25=False,
                            session_26=False)


def learn_key_before_session_14(description: str) -> str:
    """:func:`learn_key` as it was before session 14, with a payment's channel kept ("PAGAMENTO VIA INTERNET PADARIA
    SOL" -> "via internet padaria sol"): migration 0021 re-keys learned rules from it, its downgrade back to it."""
    return _key_from_tokens(tokens_form(fast_fold(clean_text(description)[:MAX_TEXT])), session_14=False,
                            session_15=False, session_16=False, session_17=False, session_25=False,
                            session_26=False)


def learn_key_before_session_12(description: str) -> str:
    """:func:`learn_key` as it was before session 12 ("4835-****-1234 Df PAK N SAVE" -> "df pak save"; "PAIEMENT
    PAR CARTE X1234 FNAC" -> "par fnac"): migration 0019 re-keys learned rules from it, its downgrade back to it;
    migration 0016 re-keys to it (frozen; since session 23, before which 0016 read :func:`learn_key`)."""
    return _key_from_tokens(tokens_form(fast_fold(clean_text(description)[:MAX_TEXT])), session_12=False,
                            session_14=False, session_15=False, session_16=False, session_17=False, session_25=False,
                            session_26=False)
