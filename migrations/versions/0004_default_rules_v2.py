"""Default categorization rules, second version (data only).

Revision ID: 0004
Revises: 0003

Brings the global default rules of an existing database to the second default set
(broader keywords, plus the low-confidence fallback rules at priority 9000 and up),
without touching what an administrator did:

* a default rule (user_id NULL, origin 'default') whose content is exactly one of the
  earlier seeded versions (this file's ``SEEDED_V0``, or 0002's list) is the
  migration's to change: it is updated in place to the rule of the same name in
  ``RULES_V2`` (its id, and so the transactions pointing at it, stay), or deleted
  when the new set has no rule of that name;
* a default rule an administrator created or edited (any field differs, including
  being deactivated) is left exactly as it is, and the new rule of the same name
  is not added beside it;
* a seeded rule an administrator deleted stays deleted;
* a rule of the new set whose name is new is added.

The lists are frozen here. The application's budgetwise/services/default_rules.py must
build exactly ``RULES_V2`` (a test checks it); the next change to the defaults ships as
a new data migration. Downgrading applies the same procedure the other way (back to
0002's list).
"""

from __future__ import annotations

import datetime
import importlib.util
from collections.abc import Sequence
from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Entry = tuple[str, str, "str | None", int, str, str]  # (name, category, kind, priority, match_type, pattern)


def _seeded_v1() -> tuple[Entry, ...]:
    """The list migration 0002 seeds (frozen in that file)."""
    path = Path(__file__).with_name("0002_default_rules.py")
    spec = importlib.util.spec_from_file_location("_budgetwise_migration_0002", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.SEEDED_RULES


def _rules() -> sa.TableClause:
    return sa.table(
        "rules",
        sa.column("id", sa.Integer),
        sa.column("user_id", sa.Integer),
        sa.column("category_id", sa.Integer),
        sa.column("name", sa.String),
        sa.column("priority", sa.Integer),
        sa.column("match_type", sa.String),
        sa.column("pattern", sa.String),
        sa.column("min_amount_minor", sa.BigInteger),
        sa.column("max_amount_minor", sa.BigInteger),
        sa.column("kind", sa.String),
        sa.column("account", sa.String),
        sa.column("origin", sa.String),
        sa.column("is_active", sa.Boolean),
        sa.column("created_at", sa.DateTime),
        sa.column("updated_at", sa.DateTime),
    )


def sync_default_rules(bind, *, known: Sequence[Entry], target: Sequence[Entry]) -> dict[str, int]:
    """Bring the untouched seeded default rules from one of ``known`` to ``target``.

    Returns counts of rules updated, inserted, deleted and left alone (admin-owned).
    """
    rules = _rules()
    cat_by_id = {
        cid: name for cid, name in bind.execute(sa.text("SELECT id, name FROM categories WHERE user_id IS NULL"))
    }
    cat_by_name = {name: cid for cid, name in cat_by_id.items()}
    known_set = set(known)
    known_names = {e[0] for e in known}
    rows = bind.execute(
        sa.select(
            rules.c.id, rules.c.name, rules.c.category_id, rules.c.priority, rules.c.match_type, rules.c.pattern,
            rules.c.kind, rules.c.min_amount_minor, rules.c.max_amount_minor, rules.c.account, rules.c.is_active,
        ).where(rules.c.user_id.is_(None), rules.c.origin == "default").order_by(rules.c.id)
    ).all()
    pristine: dict[str, list[int]] = {}
    contents: dict[int, Entry] = {}
    admin_names: set[str] = set()
    for r in rows:
        content = (r.name, cat_by_id.get(r.category_id), r.kind, int(r.priority), r.match_type, r.pattern)
        untouched = (
            content in known_set and r.min_amount_minor is None and r.max_amount_minor is None
            and r.account is None and bool(r.is_active)
        )
        if untouched:
            pristine.setdefault(r.name, []).append(r.id)
            contents[r.id] = content
        else:
            admin_names.add(r.name)
    now = datetime.datetime.now(datetime.UTC).replace(tzinfo=None)
    counts = {"updated": 0, "inserted": 0, "deleted": 0, "admin": len(admin_names)}
    doomed: list[int] = []
    inserts = []
    target_names = set()
    for entry in target:
        name, category, kind, priority, match_type, pattern = entry
        target_names.add(name)
        if category not in cat_by_name:
            continue  # a default category that no longer exists
        ids = pristine.get(name)
        if ids:
            keep, *extra = ids
            doomed.extend(extra)
            if contents[keep] == tuple(entry):
                continue  # already the target version
            bind.execute(
                rules.update().where(rules.c.id == keep).values(
                    category_id=cat_by_name[category], kind=kind, priority=priority, match_type=match_type,
                    pattern=pattern, updated_at=now,
                )
            )
            counts["updated"] += 1
        elif name in admin_names or name in known_names:
            continue  # the administrator's version stays; a seeded rule they deleted stays deleted
        else:
            inserts.append({
                "user_id": None, "category_id": cat_by_name[category], "name": name, "priority": priority,
                "match_type": match_type, "pattern": pattern, "min_amount_minor": None, "max_amount_minor": None,
                "kind": kind, "account": None, "origin": "default", "is_active": True,
                "created_at": now, "updated_at": now,
            })
    doomed.extend(i for name, ids in pristine.items() if name not in target_names for i in ids)
    if doomed:
        transactions = sa.table("transactions", sa.column("rule_id", sa.Integer))
        bind.execute(transactions.update().where(transactions.c.rule_id.in_(doomed)).values(rule_id=None))
        bind.execute(rules.delete().where(rules.c.id.in_(doomed)))
        counts["deleted"] = len(doomed)
    if inserts:
        bind.execute(rules.insert(), inserts)
        counts["inserted"] = len(inserts)
    return counts


def upgrade() -> None:
    sync_default_rules(op.get_bind(), known=SEEDED_V0 + _seeded_v1(), target=RULES_V2)


def downgrade() -> None:
    sync_default_rules(op.get_bind(), known=RULES_V2, target=_seeded_v1())


# The seed of 0002 before it was frozen (commit 76a4e27, replaced 35 minutes later by eaaa745).
# Only used to recognise untouched rules of databases created in between.
SEEDED_V0: tuple[tuple[str, str, str | None, int, str, str], ...] = (
    # (name, category, kind, priority, match_type, pattern)
    ('Interest and dividends received', 'Investment Income', 'income', 1000, 'regex',
     '\\b(?:interet crediteur|zinsgutschrift|int on credit|kapitalertrag|capital gain|distribution|rant'
     'eintakt|zinsertrag|dividende|dividendo|habenzins|intereses|interessi|dividend|interest|interets|'
     'odsetki|coupon|zinsen|juros|korko|ranta)'),
    ('Refunds and reversals', 'Refunds', 'income', 1010, 'regex',
     '\\b(?:gutschrift retoure|abono devolucion|tilbakebetaling|ruckerstattung|aterbetalning|remboursem'
     'ent|terugbetaling|charge back|ruckbuchung|chargeback|devolucion|erstattung|money back|restitutie'
     '|cash back|reembolso|rembourse|cashback|refunded|reimburs|returned|reversal|reversed|rimborso|di'
     'spute|hyvitys|rebate|refund|retour|storno|unpaid|avoir|zwrot)|\\b(?:return|rev)\\b'),
    ('Salary and payroll', 'Salary', 'income', 1020, 'regex',
     '\\b(?:commission payment|wynagrodzenie|remuneration|retribuzione|direct dep|vencimento|pay check|'
     'paycheque|stipendio|ordenado|paycheck|salaires|salaries|dir dep|entgelt|paychex|payroll|salaire|'
     'salario|salaris|workday|bezuge|gehalt|nomina|palkka|pensja|salary|sueldo|bonus|gusto|wages)|\\b(?'
     ':lohn|lonn|loon|paie|wage|adp|lon)\\b'),
    ('Benefits, pensions and winnings', 'Other Income', 'income', 1030, 'regex',
     '\\b(?:arbeitslosengeld|social security|france travail|child benefit|kinderbijslag|unemployment|lo'
     'ttery win|pole emploi|allocation|elterngeld|jubilacion|kindergeld|pension de|prestacion|lotto wi'
     'n|ssa treas|benefits|pensione|retraite|stimulus|winnings|annuity|benefit|pension|toeslag|prize|s'
     'assa)|\\b(?:grant|rente|inps|caf|svb|uif|uwv)\\b'),
    ('Bank fees and charges (1)', 'Fees', 'expense', 1040, 'regex',
     "\\b(?:commission d'intervention|currency conversion fee|foreign transaction fee|kosten betaalreke"
     'ning|authentication fee|insufficient funds|overdraft interest|interest on debit|cotisation carte'
     '|late payment fee|notification fee|uberziehungszins|frais bancaires|interest charge|maintenance '
     'fee|transaction fee|collection fee|debit interest|finance charge|frais de tenue|limit exceeded|p'
     'rocessing fee|service charge|withdrawal fee|cuota tarjeta|kontofuehrung|non\\-sterling)'),
    ('Bank fees and charges (2)', 'Fees', 'expense', 1050, 'regex',
     '\\b(?:returned item|canone conto|exchange fee|int on debit|jahresgebuhr|kartengebuhr|kontofuhrung'
     '|palvelumaksu|purchase fee|service fees|spese tenuta|transfer fee|account fee|bank charge|commis'
     'sione|commissioni|deposit fee|entgelt fur|kontogebuhr|late charge|monthly fee|payment fee|rente '
     'debet|service fee|annual fee|bankkosten|comisiones|arsavgift|comissoes|oplata za|overdraft|overd'
     'rawn|card fee|comision|comissao|late fee|no funds|prowizja|sollzins|atm fee|sms fee|avgift)'),
    ('Bank fees and charges (3)', 'Fees', 'expense', 1060, 'regex',
     '\\b(?:fx fee|unpaid|agios|gebyr)|\\b(?:nsf)\\b'),
    ('Credit card payments', 'Transfers', None, 1070, 'regex',
     '\\b(?:payment received thank you|thank you for your payment|american express payment|card payment'
     ' thank you|kreditkartenabrechnung|credit card repayment|online payment thank|payment \\- thank yo'
     'u|credit card payment|creditcard payment|mastercard payment|tarjeta de credito|automatic payment'
     '|payment thank you|carta di credito|credit card bill|carte de credit|credit card pmt|card repaym'
     'ent|amex payment|visa payment|kreditkarte|cc payment|auto pay|autopay)|\\b(?:epay)\\b'),
    ('Transfers between own accounts (1)', 'Transfers', None, 1080, 'regex',
     '\\b(?:transferencia entre cuentas|virement de compte a compte|online banking transfer|overforing '
     'mellom egne|transfer from checking|transfer from savings|transfer to checking|virement vers livr'
     'et|sparkasse umbuchung|transfer to savings|internal transfer|account transfer|internet banking|i'
     'nternet payment|savings transfer|virement interne|conto risparmio|keep the change|save the chang'
     'e|savings account|eigen rekening|cuenta ahorro|eigene konten|eigenes konto|spaarrekening)'),
    ('Transfers between own accounts (2)', 'Transfers', None, 1090, 'regex',
     '\\b(?:cash deposit|from savings|internet pmt|own accounts|atm deposit|deposit atm|own account|ege'
     'n konto|giro conto|naar spaar|to savings|giroconto|round\\-up|sparkonto|tagesgeld|umbuchung|van s'
     'paar|cash dep|livret a|round up|traspaso|ubertrag|epargne|roundup|livret|sweep)'),
    ('Investments and brokers', 'Transfers', 'expense', 1100, 'regex',
     '\\b(?:interactive brokers|boursorama bourse|scalable capital|wertpapierdepot|trade republic|easy '
     'equities|bausparkasse|easyequities|investments|trading 212|wealthfront|betterment|investment|tra'
     'ding212|wertpapier|bausparen|brokerage|robinhood|bitpanda|coinbase|fidelity|moneybox|sparplan|va'
     'nguard|binance|acorns|degiro|kraken|nutmeg|satrix|schwab|etoro|stash)|\\b(?:invest)\\b'),
    ('Loan repayments', 'Transfers', 'expense', 1110, 'regex',
     '\\b(?:cuota prestamo|loan repayment|pret personnel|echeance pret|finanziamento|personal loan|loan'
     ' payment|student loan|great lakes|kredit rate|ratenkredit|rata mutuo|sallie mae|aflossing|auto l'
     'oan|car loan|darlehen|prestamo|navient|tilgung|capfin|lening|nelnet)|\\b(?:loan)\\b'),
    ('Taxes (1)', 'Taxes', 'expense', 1120, 'regex',
     '\\b(?:aeat|dvla|hmrc|sars|skat|f24|ibi|imu|irs|tax)\\b|\\b(?:gemeentelijke belasting|agenzia delle '
     "entrate|revenue commissioners|agencia tributaria|taxe d'habitation|agenzia entrate|belastingdien"
     'st|rates and taxes|revenue service|urzad skarbowy|franchise tax|taxe fonciere|tresor public|prop'
     'erty tax|skatteetaten|skatteverket|verohallinto|council tax|grundsteuer|kfz\\-steuer|tax payment|'
     'us treasury|vehicle tax|belasting|finanzamt|irs treas|state tax|hacienda|impots|steuer|dgfip)'),
    ('Taxes (2)', 'Taxes', 'expense', 1130, 'regex',
     '\\b(?:impot|skatt|taxes)'),
    ('Rent and mortgage (1)', 'Rent', 'expense', 1140, 'regex',
     '\\b(?:huur|hyra|rent|hoa)\\b|\\b(?:homeowners association|property management|credit immobilier|can'
     'one locazione|baufinanzierung|pret immobilier|apartment rent|bond repayment|prestacao casa|renta'
     'l payment|huurpenningen|monthly rent|rent payment|mietzahlung|apartments|renda casa|renta piso|h'
     'ome loan|hypotheek|kaltmiete|warmmiete|alquiler|hausgeld|hipoteca|hypothek|hyresavi|landlord|let'
     'tings|mortgage|affitto|aluguel|aluguer|husleie|husleje|letting|czynsz|loyers|vuokra|loyer|miete)'),
    ('Rent and mortgage (2)', 'Rent', 'expense', 1150, 'regex',
     '\\b(?:mutuo)'),
    ('Insurance (1)', 'Insurance', 'expense', 1160, 'regex',
     '(?:versicherung|verzekering|assicura|assur|insur)|\\b(?:nationale\\-nederlanden|techniker krankenk'
     'asse|if skadeforsakring|lansforsakringar|centraal beheer|dak\\-gesundheit|hastings direct|mutua m'
     'adrilena|liberty mutual|cosmos direkt|linea directa|travelers ins|ag insurance|krankenkasse|lemo'
     'nade ins|signal iduna|ubezpieczeni|direct line|farmers ins|huk\\-coburg|progressive|reale mutua|d'
     'ialdirect|forsakring|forsikring|gjensidige|huk coburg|interpolis|king price|life cover)'),
    ('Insurance (2)', 'Insurance', 'expense', 1170, 'regex',
     '\\b(?:nationwide|old mutual|outsurance|prudential|state farm|cattolica|churchill|discovery|unipol'
     'sai|allstate|esurance|generali|groupama|momentum|mutuelle|root ins|vakuutus|adeslas|admiral|alli'
     'anz|folksam|hollard|insurer|metlife|sanitas|achmea|barmer|debeka|ethias|mapfre|matmut|sanlam|san'
     'tam|seguro|unipol|aegon|aflac|aviva|geico|macif|miway|warta|lv=)|\\b(?:bupa|devk|ergo|fbto|maaf|m'
     'aif|ohra|r\\+v|tryg|usaa|aok|aon|axa|gmf|mma|pzu)\\b'),
    ('Phone and internet (1)', 'Utilities', 'expense', 1180, 'regex',
     '\\b(?:telecommunication|bouygues telecom|cricket wireless|visible wireless|prepaid airtime|rogers'
     ' wireless|telecom italia|frontier comm|sky broadband|three\\.co\\.uk|virgin mobile|boost mobile|ch'
     'arter comm|free telecom|mobile phone|sunrise comm|tesco mobile|three mobile|virgin media|bell ca'
     'nada|centurylink|data bundle|free mobile|mint mobile|mobile bill|rogers comm|salt mobile|sunrise'
     ' upc|tim s\\.p\\.a|a1 telekom|digi mobil|ee limited|metro by t|red by sfr|sky mobile|telefonica)'),
    ('Phone and internet (2)', 'Utilities', 'expense', 1190, 'regex',
     '\\b(?:broadband|elisa oyj|google fi|hutchison|shaw comm|t\\-mobile|telephone|att bill|bt group|cel'
     'lular|congstar|cox comm|giffgaff|internet|masmovil|movistar|plus gsm|proximus|spark nz|spectrum|'
     'swisscom|talktalk|three uk|vodafone|wind tre|wireless|airtime|comcast|dna oyj|fastweb|freebox|fr'
     'eenet|jazztel|magenta|optimum|plusnet|telecom|telekom|telenet|telenor|telstra|tmobile|verizon|vo'
     'dacom|vzwrlss|windtre|xfinity|cell c|eircom|meteor|sprint|telkom|fiber|fibre|iliad|koodo|lumen)'),
    ('Phone and internet (3)', 'Utilities', 'expense', 1200, 'regex',
     '\\b(?:odido|optus|phone|tele2|telia|telus|yoigo|ziggo)|\\b(?:recharge|orange|at\\&t|1\\&1|fido|rain|'
     'sosh|wifi|eir|isp|kpn|mtn|sfr|bt|ee|o2)\\b'),
    ('Energy and water (1)', 'Utilities', 'expense', 1210, 'regex',
     '\\b(?:prepaid electricity|consumers energy|gas and electric|united utilities|waste management|can'
     'al de isabel|gas \\& electric|power and light|yorkshire water|budget energie|octopus energy|power'
     ' \\& light|scottish power|southern water|anglian water|gasversorgung|georgia power|national grid|'
     'power company|water charges|water company|water utility|elektrizitat|municipality|severn trent|t'
     'hames water|british gas|duke energy|electricite|electricity|gas company|greenchoice|natural gas)'),
    ('Energy and water (2)', 'Utilities', 'expense', 1220, 'regex',
     '\\b(?:welsh water|con edison|electrabel|eversource|stadtwerke|vattenfall|wasserwerk|water bill|ib'
     'erdrola|municipal|utilities|vandebron|abwasser|dominion|electric|gas bill|power co|suez eau|wate'
     'rnet|city of|energia|energie|entergy|garbage|holaluz|luminus|naturgy|utility|ameren|edison|endes'
     'a|energy|essent|evides|fortum|sewage|veolia|vitens|acqua|comed|coned|eneco|engie|eskom|pepco|sew'
     'er|strom|trash)|\\b(?:e\\.on|pg\\&e|water|acea|agua|bulb|enbw|enel|hera|iren|luce|peco|pseg|xcel)\\b'),
    ('Energy and water (3)', 'Utilities', 'expense', 1230, 'regex',
     '\\b(?:a2a|dte|edf|eon|fpl|gaz|luz|ovo|pge|rwe|sse)\\b'),
    ('Streaming and software subscriptions (1)', 'Subscriptions', 'expense', 1240, 'regex',
     '\\b(?:playstation network|kindle unlimited|linkedin premium|playstation plus|prime membership|app'
     'le\\.com bill|apple\\.com/bill|nintendo online|washington post|youtube premium|google storage|new '
     'york times|paramount plus|youtubepremium|apple\\.com/bi|microsoft 365|prenumeration|youtube music'
     '|amazon prime|subscription|abbonamento|apple music|crunchyroll|disney plus|medium\\.com|multichoi'
     'ce|paramount\\+|prime video|sky digital|suscripcion|abonnement|amzn prime|assinatura|canal plus)'),
    ('Streaming and software subscriptions (2)', 'Subscriptions', 'expense', 1250, 'regex',
     '\\b(?:disneyplus|expressvpn|google one|office 365|1password|apple one|calm\\.com|economist|game pa'
     'ss|headspace|sirius xm|videoland|xbox live|apple tv|blinkist|bookbeat|disney\\+|duolingo|lastpass'
     '|le monde|max\\.com|onlyfans|siriusxm|sling tv|storytel|substack|zoom\\.us|audible|britbox|canal\\+'
     '|chatgpt|dropbox|el pais|molotov|napster|netflix|nordvpn|nytimes|pandora|patreon|peacock|showmax'
     '|spiegel|spotify|viaplay|deezer|github|icloud|itunes|notion|now tv|openai|scribd|sky tv|sky uk)'),
    ('Streaming and software subscriptions (3)', 'Subscriptions', 'expense', 1260, 'regex',
     '\\b(?:twitch|adobe|canva|philo|qobuz|rtl\\+|slack|tidal)|\\b(?:dazn|dstv|fubo|hulu|joyn|msft|abo|hb'
     'o|psn)\\b'),
    ('Gym and memberships', 'Subscriptions', 'expense', 1270, 'regex',
     '\\b(?:fitx|gym)\\b|\\b(?:24 hour fitness|anytime fitness|nuffield health|crunch fitness|planet fitn'
     'ess|salle de sport|fitnessstudio|the gym group|virgin active|orangetheory|urban sports|david llo'
     'yd|sportschool|basic\\-fit|clever fit|la fitness|membership|planet gym|basic fit|classpass|crossf'
     'it|gimnasio|palestra|equinox|fitness|peloton|puregym|strava|mcfit)'),
    ('Food delivery', 'Dining', 'expense', 1280, 'regex',
     '\\b(?:skipthedishes|takeaway\\.com|thuisbezorgd|uber \\*eats|lieferando|deliveroo|foodpanda|mr d fo'
     'od|postmates|uber eats|doordash|just eat|mrd food|seamless|ubereats|foodora|grubhub|justeat|menu'
     'log|caviar|swiggy|zomato|glovo)|\\b(?:wolt)\\b'),
    ('Restaurants, cafes and bars (1)', 'Dining', 'expense', 1290, 'regex',
     '\\b(?:cheesecake factory|frankie \\& benny|jack in the box|texas roadhouse|chicken licken|cracker '
     'barrel|firehouse subs|seattle coffee|chick\\-fil\\-a|noodles \\& co|panda express|pizza express|pre'
     "t a manger|roman's pizza|bar \\& grill|bottle store|buffalo wild|costa coffee|delicatessen|krispy"
     ' kreme|mugg \\& bean|ocean basket|olive garden|pizzaexpress|raising cane|restauration|romans pizz'
     'a|vida e caffe|bottle shop|boulangerie|burger king|dairy queen|hungry lion|jersey mike)'),
    ('Restaurants, cafes and bars (2)', 'Dining', 'expense', 1300, 'regex',
     '\\b(?:pasticceria|red lobster|restaurante|restaurants|shake shack|sonic drive|steak house|tim hor'
     'tons|whataburger|biergarten|bootlegger|caffe nero|dutch bros|food court|food truck|in\\-n\\-out|ji'
     'mmy john|konditorei|panetteria|pastelaria|pasteleria|patisserie|restaurant|ristorante|smokehouse'
     '|steakhouse|sweetgreen|take\\-away|tim horton|baeckerei|bodeguita|bojangles|brasserie|breakfast|c'
     'afeteria|chickfila|debonairs|fishaways|five guys|gelateria|ice cream|juice bar|mcdonalds)'),
    ('Restaurants, cafes and bars (3)', 'Dining', 'expense', 1310, 'regex',
     '\\b(?:panaderia|papa john|piekarnia|pizza hut|snack bar|starbucks|taco bell|take away|trattoria|w'
     'irtshaus|applebee|backerei|bakeries|bakkerij|barbecue|brauhaus|catering|chipotle|cocktail|creper'
     "ie|culver's|eisdiele|espresso|gasthaus|mcdonald|pizzaria|pizzeria|smoothie|takeaway|taqueria|tra"
     "iteur|wagamama|wine bar|wingstop|brewery|brewing|brewpub|burgers|canteen|cantina|chili's|culvers"
     "|denny's|dishoom|dominos|eiscafe|gasthof|kantine|kitchen|leivomo|nordsee|osteria|outback)"),
    ('Restaurants, cafes and bars (4)', 'Dining', 'expense', 1320, 'regex',
     "\\b(?:popeyes|taproom|taverna|vapiano|wendy's|arby's|bageri|bakery|baskin|bistro|brunch|burger|ch"
     'ilis|coffee|dennys|dining|dinner|domino|dunkin|eatery|galito|gelato|greggs|imbiss|kaffee|kneipe|'
     "koffie|liquor|nandos|noodle|panera|peet's|prezzo|steers|subway|tavern|wasabi|wendys|arbys|cafes|"
     'caffe|diner|doner|grill|kebab|lunch|mensa|nando|peets|pizza|qdoba|ramen|sushi|tapas|wimpy|zaxby|'
     'zizzi)|\\b(?:resto|cafe|deli|ihop|itsu|spur|thai|bar|bbq|kfc|mcd|pho|pub)\\b'),
    ('Fuel (1)', 'Transport', 'expense', 1330, 'regex',
     '\\b(?:mobil|agip|aral|arco|avia|esso|fuel|galp|okq8|wawa|eni|omv|st1|bp|q8)\\b|\\b(?:tesla supercha'
     'rger|station\\-service|filling station|service station|station service|marathon petro|bensinstasj'
     "on|love's travel|petro\\-canada|pioneer petro|station total|totalenergies|pilot travel|stacja pal"
     'iw|supercharger|total access|chargepoint|combustivel|ev charging|gas station|ip italiana|petroca'
     'nada|phillips 66|puma energy|tankstation|carburante|carburants|exxonmobil|gasolinera|irving oil)'),
    ('Fuel (2)', 'Transport', 'expense', 1340, 'regex',
     '\\b(?:murphy usa|polttoaine|tankstelle|benzinaio|carburant|drivstoff|kwik trip|circle k|flying j|'
     "gasoline|gulf oil|kwiktrip|quiktrip|racetrac|speedway|ultramar|benzina|casey's|chevron|go mart|b"
     'ensin|benzin|caltex|caseys|conoco|diesel|gomart|ionity|lukoil|paliwo|petrol|repsol|sheetz|sunoco'
     '|tamoil|tanken|texaco|valero|ampol|cepsa|citgo|engen|exxon|husky|neste|orlen|preem|sasol|shell)'),
    ('Public transport and taxis (1)', 'Transport', 'expense', 1350, 'regex',
     '\\b(?:train|aprr|bahn|bart|gett|grab|lime|lyft|maut|mbta|mivb|myki|nmbs|opal|rail|ratp|sncb|sncf|'
     'stib|taxi|toll|tram|uber|bus|bvg|cab|cff|dsb|gvb|hsl|htm|hvv|kvb|mta|mvg|obb|pkp|ret|rmv|sbb|tcl'
     '|tfl|tmb|vbb|voi|vvs|sj|vy)\\b|\\b(?:transport for london|national express|vinci autoroutes|metro '
     'de madrid|db fernverkehr|deutsche bahn|metropolitano|ov\\-chipkaart|wiener linien|charlie card|me'
     'tro ticket|addison lee|db vertrieb|atm milano|autostrade|bird rides|emt madrid|trenitalia)'),
    ('Public transport and taxis (2)', 'Transport', 'expense', 1360, 'regex',
     '\\b(?:autopista|bolt ride|citi bike|flixtrain|greyhound|metrocard|ns reizen|rejsekort|telepeage|t'
     'rainline|uber trip|bolt\\.eu|caltrain|dartford|e\\-zpass|free now|gautrain|ns groep|ola cabs|rea v'
     'aya|smartrip|bip\\&go|clipper|de lijn|e\\-toll|fastrak|flixbus|freenow|megabus|railway|sunpass|tra'
     'nsit|amtrak|bicing|cabify|carris|ezpass|myciti|mytaxi|navigo|oyster|presto|trains|ventra|etoll|f'
     'erry|italo|ouigo|ovpay|peage|renfe|ruter|sanef|septa|taxis|tolls|velib|wmata)'),
    ('Parking and car (1)', 'Transport', 'expense', 1370, 'regex',
     "\\b(?:vehicle registration|autowerkstatt|o'reilly auto|stationnement|advance auto|aparcamiento|au"
     'tolavaggio|interparking|park \\& ride|pay by phone|waschstrasse|auto repair|autoservice|car servi'
     'ce|lavage auto|waschanlage|autolavado|car repair|jiffy lube|parcheggio|parkgebuhr|parkmobile|par'
     'kschein|paybyphone|napa auto|parkering|valvoline|werkstatt|autozone|car park|car wash|cartrack|e'
     'asypark|halfords|kwik fit|mechanic|mot test|parkeren|parkhaus|pep boys|spothero|carwash|parking)'),
    ('Parking and car (2)', 'Transport', 'expense', 1380, 'regex',
     '\\b(?:q\\-park|tracker|indigo|parken|parkin|reifen|ringgo|apcoa|dekra|qpark|tires|tyres)|\\b(?:gara'
     'ge|pneu|saba|tire|tyre|atu|dmv|ncp|tuv)\\b'),
    ('Travel (1)', 'Travel', 'expense', 1390, 'regex',
     '\\b(?:singapore airlines|american airlines|austrian airlines|location voiture|turkish airlines|br'
     'itish airways|enterprise rent|united airlines|virgin atlantic|alquiler coche|noleggio auto|norwe'
     'gian air|qatar airways|american air|best western|booking\\.com|frontier air|national car|rent\\-a\\'
     '-car|guest house|holiday inn|hotels\\.com|ita airways|premier inn|aer lingus|aeropuerto|air canad'
     'a|air france|alaska air|budget car|campground|car rental|guesthouse|lastminute|luchthaven)'),
    ('Travel (2)', 'Travel', 'expense', 1400, 'regex',
     '\\b(?:rent a car|skyscanner|spirit air|swiss intl|travelodge|aeroporto|delta air|duty free|eurowi'
     'ngs|flughafen|flysafair|lufthansa|mietwagen|motel one|reiseburo|southwest|transavia|aeroport|air'
     'lines|alitalia|campsite|emirates|europcar|eurostar|holidays|marriott|radisson|sheraton|vacation|'
     'wizz air|airline|airlink|airport|airways|camping|easyjet|edreams|expedia|finnair|holiday|jetblue'
     '|mercure|novotel|ryanair|tap air|trivago|voyages|vueling|westjet|wizzair|airbnb|cathay|condor)'),
    ('Travel (3)', 'Travel', 'expense', 1410, 'regex',
     '\\b(?:cruise|etihad|hilton|hostel|hotels|iberia|kulula|qantas|reisen|resort|thalys|travel|viaggi|'
     'viajes|voyage|westin|accor|agoda|alamo|hertz|hotel|hyatt|kayak|lodge|motel|opodo|viaje)|\\b(?:avi'
     's|b\\&b|ibis|jet2|sixt|vrbo|inn|klm|sas|tui)\\b'),
    ('Supermarkets and groceries (1)', 'Groceries', 'expense', 1420, 'regex',
     '\\b(?:real canadian superstore|dirk van den broek|boxer superstore|dia supermercado|plus supermar'
     "kt|save\\-on\\-foods|bj's wholesale|grocery outlet|k\\-supermarket|smart \\& final|wm supercenter|ha"
     'rris teeter|iceland foods|k\\-citymarket|market basket|piggly wiggly|supermercados|albert heijn|a'
     'limentacion|alimentation|fresh market|fruit \\& veg|hipermercado|leader price|lebensmittel|pam pa'
     'norama|save\\-a\\-lot|stop \\& shop|supermercado|supermercato|weis markets|bio company|co\\-op food)'),
    ('Supermarkets and groceries (2)', 'Groceries', 'expense', 1430, 'regex',
     '\\b(?:food 4 less|food basics|food lovers|freshdirect|giant eagle|grand frais|greengrocer|hyperma'
     'rche|hypermarket|ica kvantum|intermarche|ipermercato|jewel\\-osco|md discount|penny markt|superma'
     'rche|supermarked|supermarket|whole foods|winn\\-dixie|albertsons|alimentari|carniceria|continente'
     "|costcutter|fishmonger|food lover|food store|fred meyer|giant food|jewel osco|macelleria|pak'n's"
     "ave|pick n pay|pingo doce|reformhaus|sam's club|save a lot|supermarkt|superstore|trader joe)"),
    ('Supermarkets and groceries (3)', 'Groceries', 'expense', 1440, 'regex',
     '\\b(?:winn dixie|woolworths|ahorramas|biedronka|bio markt|boucherie|carrefour|countdown|dekamarkt'
     '|esselunga|farmfoods|food hall|food lion|food mart|groceries|hoogvliet|instacart|interspar|k\\-ma'
     'rket|marktkauf|mercadona|metro inc|metzgerei|minipreco|morrisons|naturalia|new world|no frills|r'
     'ema 1000|s\\-market|sainsbury|sams club|stokrotka|superspar|supervalu|systeme u|wal\\-mart|99 ranc'
     'h|alnatura|bunnpris|checkers|delhaize|ekoplaza|epicerie|eurospar|eurospin|foodland|foodmart)'),
    ('Supermarkets and groceries (4)', 'Groceries', 'expense', 1450, 'regex',
     '\\b(?:franprix|hipercor|ica maxi|ica nara|kaufland|monoprix|naturasi|nofrills|ok foods|paknsave|p'
     'icknpay|shoprite|slagerij|waitrose|wholefds|alcampo|biocoop|bonpreu|budgens|butcher|caprabo|colr'
     'uyt|freshco|grocery|h\\-e\\-b|hy\\-vee|hyper u|leclerc|loblaws|markets|provigo|safeway|sprouts|supe'
     'r u|walmart|wegmans|auchan|bennet|booths|centra|co\\-op|condis|consum|costco|denner|despar|dunnes'
     '|eroski|famila|foetex|globus|grocer|h mart|hemkop|ingles|kroger|londis|meijer|merkur|migros)'),
    ('Supermarkets and groceries (5)', 'Groceries', 'expense', 1460, 'regex',
     '\\b(?:picard|picnic|prisma|publix|ralphs|sobeys|tigros|willys|bilka|billa|coles|conad|denns|edeka'
     '|fotex|froiz|gadis|hofer|hyvee|jumbo|netto|ocado|tegut|tesco|usave|vomar|winco|zabka)|\\b(?:merca'
     'do|mercato|marche|market|norma|penny|aldi|asda|coop|cora|crai|dino|iper|kiwi|lidl|maxi|meny|nisa'
     '|rema|rewe|spar|unes|volg|vons|flm|g20|heb|ica|iga|pnp)\\b'),
    ('Pharmacy and health care (1)', 'Health', 'expense', 1470, 'regex',
     '\\b(?:quest diagnostics|life healthcare|lloyds pharmacy|vision express|kinesitherap|krankenhaus|o'
     'ptometrist|urgent care|veterinaire|arztpraxis|dierenarts|fisioterap|gesundheit|gezondheid|health'
     'care|laboratory|mediclinic|specsavers|tandlakare|ziekenhuis|dis\\-chem|drugstore|orthodont|pharma'
     'cie|psychiatr|psycholog|therapist|veterinar|walgreens|apotheke|apteekki|clinique|dentista|dentis'
     'te|farmacia|fielmann|hospital|huisarts|klinikum|optician|opticien|ospedale|pathcare|pharmacy)'),
    ('Pharmacy and health care (2)', 'Health', 'expense', 1480, 'regex',
     '\\b(?:rite aid|tandarts|tierarzt|zahnarzt|chemist|clinica|dentist|dischem|eyewear|hopital|kliniek'
     '|labcorp|medecin|medical|medizin|netcare|optiker|therapy|ampath|apotek|apteka|clicks|clinic|dent'
     'al|doctor|health|kaiser|klinik|lakare|lancet|medico|optica|ottica|pharma|physio|salute|boots|sal'
     'ud|sante)|\\b(?:arzt|cvs|vet)\\b'),
    ('Personal care (1)', 'Personal Care', 'expense', 1490, 'regex',
     '\\b(?:etos|hair|lush|nail|ulta|spa|dm)\\b|\\b(?:parfumerie douglas|muller drogerie|douglas parfum|t'
     'he body shop|dm\\-drogerie|parrucchiere|dm drogerie|hairdresser|yves rocher|barbershop|drycleaner'
     '|laundromat|lavanderia|marionnaud|peluqueria|tintoreria|toiletries|waescherei|cosmetics|dry clea'
     'n|reinigung|superdrug|wascherei|coiffeur|coiffure|estetica|kapsalon|kosmetik|kruidvat|manicure|p'
     'edicure|pressing|rossmann|stomerij|wasserij|barbers|day spa|friseur|haircut|massage|sephora)'),
    ('Personal care (2)', 'Personal Care', 'expense', 1500, 'regex',
     '\\b(?:barber|beaute|beauty|frisor|kapper|laundr|nocibe|primor|waxing|nails|salon)'),
    ('Education and childcare (1)', 'Education', 'expense', 1510, 'regex',
     '\\b(?:tasse universitarie|frais de scolarite|studiengebuhr|kindergarten|kinderopvang|universiteit'
     '|collegegeld|masterclass|pluralsight|school fees|universidad|universitat|asilo nido|child care|s'
     'killshare|universita|universite|university|childcare|guarderia|matricula|nachhilfe|preschool|aca'
     'demie|akademie|coursera|day care|learning|textbook|tutoring|academy|colegio|college|daycare|escu'
     'ela|nursery|schools|student|tuition|creche|cursus|school|schule|scuola|chegg|curso|ecole|tutor)'),
    ('Education and childcare (2)', 'Education', 'expense', 1520, 'regex',
     '\\b(?:udemy)|\\b(?:exam|kita|edx)\\b'),
    ('Entertainment (1)', 'Entertainment', 'expense', 1530, 'regex',
     '\\b(?:national lottery|barnes \\& noble|fnac spectacles|sporting event|hollywoodbets|ster\\-kinekor'
     '|amazon video|country club|euromillions|show tickets|steampowered|ticketmaster|william hill|coun'
     'try clu|escape room|live nation|paddy power|playstation|waterstones|disneyland|draftkings|epic g'
     'ames|eventbrite|night club|pokerstars|theme park|ticketswap|bookstore|cineworld|ladbrokes|mini g'
     'olf|nightclub|powerball|six flags|aquarium|cinemark|concerts|festival|lotteria|nintendo)'),
    ('Entertainment (2)', 'Entertainment', 'expense', 1540, 'regex',
     '\\b(?:nu metro|seatgeek|sporting|betting|bowling|cinemas|concert|eventim|fanduel|karaoke|konzert|'
     'loteria|loterie|lottery|stadium|stubhub|theater|theatre|tickets|arcade|bet365|betway|casino|cine'
     'ma|events|gaming|movies|museum|teatro|thalia|theatr|arena|books|event|games|lotto|movie|musee|mu'
     'seo|music|odeon|pathe|regal|steam|vinyl)|\\b(?:bwin|cine|golf|kino|xbox|amc|ugc|vue|zoo)\\b'),
    ('Gifts and donations (1)', 'Gifts & Donations', 'expense', 1550, 'regex',
     '\\b(?:medecins sans frontieres|doctors without borders|save the children|1\\-800\\-flowers|salvatio'
     'n army|croix\\-rouge|funky pigeon|croce rossa|fundraising|kickstarter|non\\-profit|rotes kreuz|cha'
     'ritable|fondazione|foundation|fundraiser|greenpeace|interflora|justgiving|cruz roja|donations|do'
     'nazione|fondation|fundacion|nonprofit|red cross|stichting|donation|donativo|geschenk|gofundme|ha'
     'llmark|stiftung|amnesty|cadeaux|charity|donatie|fleurop|florist|flowers|iglesia|moonpig|spenden)'),
    ('Gifts and donations (2)', 'Gifts & Donations', 'expense', 1560, 'regex',
     '\\b(?:cadeau|chiesa|church|donate|eglise|kirche|regali|regalo|spende|unicef|gifts|oxfam|tithe|zak'
     'at)|\\b(?:gift|kerk|msf|ngo|wwf)\\b'),
    ('Shopping (1)', 'Shopping', 'expense', 1570, 'regex',
     '\\b(?:amazon marketplace|galeries lafayette|marks and spencer|department store|home improvement|m'
     'arks \\& spencer|amazon mktplace|el corte ingles|online purchase|dollar general|nursery garden|so'
     'strene grene|abbigliamento|canadian tire|family dollar|garden center|garden centre|grand magasin'
     '|harvey norman|pccomponentes|sports direct|the warehouse|construction|flying tiger|gartencenter|'
     "hudson's bay|leroy merlin|micro center|office depot|pets at home|walmart\\.com|amazon\\.com)"),
    ('Shopping (2)', 'Shopping', 'expense', 1580, 'regex',
     '\\b(?:apple store|bricomarche|clas ohlson|costco\\.com|dollar tree|electrician|electronics|foot lo'
     'cker|game stores|gioielleria|hobby lobby|media markt|microcenter|officeworks|ross stores|aliexpr'
     'ess|apple\\.com|b\\&h photo|bekleidung|bijouterie|chaussures|contractor|elektronik|elgiganten|ferr'
     'amenta|ferreteria|five below|footlocker|home depot|jardinerie|john lewis|la redoute|mediamarkt|m'
     'ediaworld|pep stores|smoke shop|ackermans|boulanger|bouwmarkt|bricolage|cashbuild|castorama)'),
    ('Shopping (3)', 'Shopping', 'expense', 1590, 'regex',
     '\\b(?:cdiscount|decathlon|fressnapf|furniture|jb hi\\-fi|jd sports|marshalls|nordstrom|pet store|p'
     'oundland|power\\.no|printemps|the range|toy store|toys r us|vetements|wish\\.com|baumarkt|bed bath'
     '|best buy|bol\\.com|boutique|builders|bunnings|clothing|coolblue|euronics|gamestop|handyman|hardw'
     'are|homebase|hornbach|jcpenney|kaufhaus|michaels|mitre 10|mr price|old navy|pc world|petsmart|pl'
     'umbing|schoenen|screwfix|shopping|takealot|alibaba|apparel|bauhaus|bestbuy|biltema|dillard)'),
    ('Shopping (4)', 'Shopping', 'expense', 1600, 'regex',
     '\\b(?:fashion|galeria|jb hifi|joyeria|kleding|menards|meubles|muebles|paypal |plumber|primark|roo'
     'fing|schmuck|smokers|staples|tj maxx|tk maxx|tobacco|unieuro|wayfair|winners|zalando|zapatos|zoo'
     "plus|adidas|amazon|currys|dunelm|edgars|expert|h/ware|karwei|kohl's|lowe's|macy's|meubel|mobili|"
     'newegg|outlet|saturn|scarpe|schuhe|smyths|stores|target|tjmaxx|uniqlo|vivero|wickes|worten|argos'
     '|big w|brico|darty|gamma|jewel|joann|kiosk|kmart|kohls|lowes|macys|makro|mobel|petco|sears)'),
    ('Shopping (5)', 'Shopping', 'expense', 1610, 'regex',
     '\\b(?:shein|shoes|tabac|tabak|wilko)|\\b(?:action|store|amzn|asos|b\\&m|b\\&q|ebay|etsy|fnac|h\\&m|he'
     'ma|ikea|jula|lego|m\\&s|mall|nike|otto|ropa|shoe|shop|tedi|temu|toom|toys|vape|zara|diy|gap|kik|m'
     'rp|obi|pep)\\b'),
    ('Cash withdrawals', 'Other', 'expense', 1620, 'regex',
     '\\b(?:atm|dab|gaa)\\b|\\b(?:disposicion efectivo|cash withdrawal|cash advance|cash machine|geldauto'
     'maat|kontantuttag|levantamento|prelevamento|geldautomat|kateisnosto|retrait dab|auszahlung|geldo'
     'pname|multibanco|withdrawal|cashpoint|kontanter|reintegro|atm cash|bancomat|bankomat|cash wdl|mi'
     'nibank|prelievo|bargeld|retrait|wyplata|cajero|opname|uttag)'),
    ('Fees (generic)', 'Fees', 'expense', 1630, 'regex',
     '\\b(?:charges|charge|frais|fees|fee)\\b|\\b(?:commission|intereses|interessi|provision|gebuhren|int'
     'erest|interets|entgelt|gebuehr|penalty|gebuhr|kosten|spesen|zinsen|rente)'),
    ('Transfers (generic) (1)', 'Transfers', None, 1640, 'regex',
     '\\b(?:immediate payment|payment received|instant payment|money received|overschrijving|standing o'
     'rder|bank transfer|received from|transferencia|wire transfer|ach transfer|dauerauftrag|transferw'
     'ise|ueberweisung|app payment|overboeking|square cash|uberweisung|overforing|overforsel|payment t'
     'o|send money|sent money|tilisiirto|mobilepay|transfers|wise\\.com|bonifico|cash app|satispay|tran'
     'sfer|vir sepa|virement|fnb app|przelew|revolut|mb way|paylib|pmt to|tikkie|bizum|lydia|mbway)'),
    ('Transfers (generic) (2)', 'Transfers', None, 1650, 'regex',
     '\\b(?:swish|twint|venmo|vipps|zelle)|\\b(?:transf|blik|wire|xfer|tfr|trf|vir)\\b'),
    ('Deposits', 'Other Income', 'income', 1660, 'regex',
     '\\b(?:cheque deposit|mobile deposit|check deposit|depot especes|einzahlung|insattning|versamento|'
     'versement|storting|deposit|ingreso)'),
)


# The second default set: what budgetwise/services/default_rules.py builds (checked by a test).
RULES_V2: tuple[tuple[str, str, str | None, int, str, str], ...] = (
    # (name, category, kind, priority, match_type, pattern)
    ('Interest and dividends received', 'Investment Income', 'income', 1000, 'regex',
     '\\b(?:interet crediteur|zinsgutschrift|int on credit|kapitalertrag|capital gain|distribution|rant'
     'eintakt|zinsertrag|dividende|dividendo|habenzins|intereses|interessi|dividend|interest|interets|'
     'odsetki|coupon|zinsen|juros|korko|ranta)'),
    ('Refunds and reversals', 'Refunds', 'income', 1010, 'regex',
     '\\b(?:gutschrift retoure|abono devolucion|tilbakebetaling|ruckerstattung|aterbetalning|remboursem'
     'ent|terugbetaling|charge back|ruckbuchung|chargeback|devolucion|erstattung|money back|restitutie'
     '|cash back|reembolso|rembourse|cashback|refunded|reimburs|returned|reversal|reversed|rimborso|di'
     'spute|hyvitys|rebate|refund|retour|storno|unpaid|avoir|zwrot)|\\b(?:return|rev)\\b'),
    ('Salary and payroll', 'Salary', 'income', 1020, 'regex',
     '\\b(?:commission payment|wynagrodzenie|remuneration|retribuzione|direct dep|vencimento|pay check|'
     'paycheque|stipendio|ordenado|paycheck|salaires|salaries|dir dep|entgelt|paychex|payroll|salaire|'
     'salario|salaris|workday|bezuge|gehalt|nomina|palkka|pensja|salary|sueldo|bonus|gusto|wages)|\\b(?'
     ':lohn|lonn|loon|paie|wage|adp|lon)\\b'),
    ('Benefits, pensions and winnings', 'Other Income', 'income', 1030, 'regex',
     '\\b(?:arbeitslosengeld|social security|france travail|child benefit|kinderbijslag|unemployment|lo'
     'ttery win|pole emploi|allocation|elterngeld|jubilacion|kindergeld|pension de|prestacion|lotto wi'
     'n|ssa treas|benefits|pensione|retraite|stimulus|winnings|annuity|benefit|pension|toeslag|prize|s'
     'assa)|\\b(?:grant|rente|inps|caf|svb|uif|uwv)\\b'),
    ('Bank fees and charges (1)', 'Fees', 'expense', 1040, 'regex',
     "\\b(?:commission d'intervention|currency conversion fee|foreign transaction fee|kosten betaalreke"
     'ning|authentication fee|insufficient funds|overdraft interest|interest on debit|cotisation carte'
     '|late payment fee|notification fee|uberziehungszins|frais bancaires|interest charge|maintenance '
     'fee|transaction fee|collection fee|debit interest|finance charge|frais de tenue|limit exceeded|p'
     'rocessing fee|service charge|withdrawal fee|cuota tarjeta|kontofuehrung|non\\-sterling)'),
    ('Bank fees and charges (2)', 'Fees', 'expense', 1050, 'regex',
     '\\b(?:returned item|canone conto|exchange fee|int on debit|jahresgebuhr|kartengebuhr|kontofuhrung'
     '|palvelumaksu|purchase fee|service fees|spese tenuta|transfer fee|account fee|bank charge|commis'
     'sione|commissioni|deposit fee|entgelt fur|kontogebuhr|late charge|monthly fee|payment fee|rente '
     'debet|service fee|annual fee|bankkosten|comisiones|arsavgift|comissoes|oplata za|overdraft|overd'
     'rawn|card fee|comision|comissao|late fee|no funds|prowizja|sollzins|atm fee|sms fee|avgift)'),
    ('Bank fees and charges (3)', 'Fees', 'expense', 1060, 'regex',
     '\\b(?:fx fee|unpaid|agios|gebyr)|\\b(?:nsf)\\b'),
    ('Credit card payments', 'Transfers', None, 1070, 'regex',
     '\\b(?:payment received thank you|thank you for your payment|american express payment|card payment'
     ' thank you|kreditkartenabrechnung|credit card repayment|online payment thank|payment \\- thank yo'
     'u|credit card payment|creditcard payment|mastercard payment|tarjeta de credito|automatic payment'
     '|payment thank you|carta di credito|credit card bill|carte de credit|credit card pmt|card repaym'
     'ent|amex payment|visa payment|kreditkarte|cc payment|auto pay|autopay)|\\b(?:epay)\\b'),
    ('Transfers between own accounts (1)', 'Transfers', None, 1080, 'regex',
     '\\b(?:transferencia entre cuentas|virement de compte a compte|online banking transfer|overforing '
     'mellom egne|transfer from checking|transfer from savings|transfer to checking|virement vers livr'
     'et|sparkasse umbuchung|transfer to savings|internal transfer|account transfer|internet banking|i'
     'nternet payment|savings transfer|virement interne|conto risparmio|keep the change|paypal transfe'
     'r|save the change|savings account|eigen rekening|cuenta ahorro|eigene konten|eigenes konto)'),
    ('Transfers between own accounts (2)', 'Transfers', None, 1090, 'regex',
     '\\b(?:spaarrekening|cash deposit|from savings|internet pmt|own accounts|atm deposit|deposit atm|o'
     'wn account|egen konto|giro conto|naar spaar|to savings|giroconto|inst xfer|round\\-up|sparkonto|t'
     'agesgeld|umbuchung|van spaar|cash dep|livret a|round up|traspaso|ubertrag|epargne|roundup|livret'
     ')|\\b(?:sweep)\\b'),
    ('Investments and brokers', 'Transfers', 'expense', 1100, 'regex',
     '\\b(?:interactive brokers|boursorama bourse|scalable capital|wertpapierdepot|trade republic|easy '
     'equities|bausparkasse|easyequities|investments|trading 212|wealthfront|betterment|investment|tra'
     'ding212|wertpapier|bausparen|brokerage|robinhood|bitpanda|coinbase|fidelity|moneybox|sparplan|va'
     'nguard|binance|acorns|degiro|kraken|nutmeg|satrix|schwab|etoro|stash)|\\b(?:invest)\\b'),
    ('Loan repayments', 'Transfers', 'expense', 1110, 'regex',
     '\\b(?:cuota prestamo|loan repayment|pret personnel|echeance pret|finanziamento|personal loan|loan'
     ' payment|student loan|great lakes|kredit rate|ratenkredit|rata mutuo|sallie mae|aflossing|auto l'
     'oan|car loan|darlehen|prestamo|navient|tilgung|capfin|lening|nelnet)|\\b(?:loan)\\b'),
    ('Cash withdrawals', 'Other', 'expense', 1120, 'regex',
     '\\b(?:atm)(?![a-z])|\\b(?:disposicion efectivo|counter withdrawal|branch withdrawal|teller withdra'
     'wal|cash withdrawal|atm withdrawal|withdrawal atm|cash advance|cash machine|geldautomaat|kontant'
     'uttag|levantamento|prelevamento|geldautomat|kateisnosto|retrait dab|auszahlung|geldopname|cashpo'
     'int|kontanter|reintegro|atm cash|bancomat|bankomat|cash wdl|minibank|prelievo|bargeld|retrait|wy'
     'plata|cajero|opname|uttag)|\\b(?:dab|gaa)\\b'),
    ('Taxes (1)', 'Taxes', 'expense', 1130, 'regex',
     '\\b(?:aeat|dvla|hmrc|sars|skat|f24|ibi|imu|irs|tax)\\b|\\b(?:gemeentelijke belasting|ministerio de '
     "hacienda|agenzia delle entrate|revenue commissioners|agencia tributaria|taxe d'habitation|hacien"
     'da publica|agenzia entrate|belastingdienst|rates and taxes|revenue service|urzad skarbowy|franch'
     'ise tax|taxe fonciere|tresor public|property tax|skatteetaten|skatteverket|verohallinto|council '
     'tax|grundsteuer|kfz\\-steuer|tax payment|us treasury|vehicle tax|belasting|finanzamt|irs treas)'),
    ('Taxes (2)', 'Taxes', 'expense', 1140, 'regex',
     '\\b(?:state tax|impots|steuer|dgfip|impot|skatt|taxes)'),
    ('Rent and mortgage (1)', 'Rent', 'expense', 1150, 'regex',
     '\\b(?:huur|hyra|rent|hoa)\\b|\\b(?:homeowners association|property management|credit immobilier|can'
     'one locazione|baufinanzierung|pret immobilier|apartment rent|bond repayment|prestacao casa|renta'
     'l payment|huurpenningen|monthly rent|rent payment|mietzahlung|apartments|renda casa|renta piso|h'
     'ome loan|hypotheek|kaltmiete|warmmiete|alquiler|hausgeld|hipoteca|hypothek|hyresavi|landlord|let'
     'tings|mortgage|affitto|aluguel|aluguer|husleie|husleje|letting|czynsz|loyers|vuokra|loyer|miete)'),
    ('Rent and mortgage (2)', 'Rent', 'expense', 1160, 'regex',
     '\\b(?:mutuo)'),
    ('Insurance (1)', 'Insurance', 'expense', 1170, 'regex',
     '(?:versicherung|verzekering|assicura|assur|insur)|\\b(?:nationale\\-nederlanden|techniker krankenk'
     'asse|vittoria assicurazioni|if skadeforsakring|harmonie mutuelle|societa cattolica|css versicher'
     'ung|lansforsakringar|unitedhealthcare|zurich insurance|centraal beheer|dak\\-gesundheit|hastings '
     'direct|mutua madrilena|liberty mutual|zilveren kruis|cosmos direkt|linea directa|tranquilidade|t'
     'ravelers ins|ag insurance|continentale|krankenkasse|lemonade ins|signal iduna|ubezpieczeni)'),
    ('Insurance (2)', 'Insurance', 'expense', 1180, 'regex',
     '\\b(?:blue shield|direct line|farmers ins|huk\\-coburg|progressive|reale mutua|blue cross|dialdire'
     'ct|fidelidade|forsakring|forsikring|gjensidige|huk coburg|interpolis|king price|life cover|natio'
     'nwide|nurnberger|old mutual|outsurance|poste vita|provinzial|prudential|santalucia|state farm|ca'
     'ttolica|churchill|discovery|unipolsai|allstate|barmenia|esurance|generali|groupama|helvetia|mome'
     'ntum|mutuelle|root ins|vakuutus|adeslas|admiral|allianz|baloise|cz zorg|folksam|gothaer|hollard)'),
    ('Insurance (3)', 'Insurance', 'expense', 1190, 'regex',
     '\\b(?:insurer|metlife|sanitas|achmea|anthem|barmer|debeka|ethias|hiscox|humana|mapfre|matmut|menz'
     'is|sanlam|santam|seguro|unipol|aegon|aetna|aflac|ageas|aviva|cigna|geico|insce|macif|miway|warta'
     '|lv=)|\\b(?:mutua|ag2r|bcbs|bupa|devk|ergo|fbto|maaf|maif|mgen|ohra|r\\+v|tryg|usaa|aok|aon|axa|gm'
     'f|hdi|ins|mma|pzu|vgz|vhv|wgv)\\b'),
    ('Phone and internet (1)', 'Utilities', 'expense', 1200, 'regex',
     '\\b(?:ricarica telefonica|telecommunication|bouygues telecom|cricket wireless|nos comunicacoes|re'
     'carga telefono|visible wireless|beitragsservice|handy aufladung|prepaid airtime|rogers wireless|'
     'rundfunkbeitrag|handyaufladung|mobile vikings|telecom italia|frontier comm|mobile top up|recarga'
     ' movil|sky broadband|three\\.co\\.uk|virgin mobile|1\\&1 telecom|boost mobile|charter comm|free tel'
     'ecom|lidl connect|mobile phone|mobile topup|phone top up|sunrise comm|tchibo mobil|tesco mobile)'),
    ('Phone and internet (2)', 'Utilities', 'expense', 1210, 'regex',
     '\\b(?:three mobile|tv licensing|virgin media|base mobile|bell canada|centurylink|data bundle|free'
     ' mobile|ho\\. mobile|kena mobile|lyca mobile|mint mobile|mobile bill|postemobile|rogers comm|salt'
     ' mobile|sunrise upc|tim s\\.p\\.a|very mobile|a1 telekom|canone rai|digi mobil|digi spain|ee limit'
     'ed|lycamobile|metro by t|red by sfr|sky mobile|telefonica|tv licence|aldi talk|ay yildiz|beltego'
     'ed|broadband|drillisch|elisa oyj|google fi|ho mobile|hutchison|pepephone|shaw comm|t\\-mobile)'),
    ('Phone and internet (3)', 'Utilities', 'expense', 1220, 'regex',
     '\\b(?:telephone|att bill|blau\\.de|bt group|cellular|congstar|coopvoce|cox comm|giffgaff|internet|'
     'masmovil|movistar|plus gsm|proximus|sim only|spark nz|spectrum|starlink|swisscom|talktalk|three '
     'uk|vodafone|wind tre|wireless|airtime|comcast|dna oyj|fastweb|freebox|freenet|jazztel|magenta|op'
     'timum|plusnet|telecom|telekom|telenet|telenor|telstra|tmobile|verizon|vodacom|vzwrlss|windtre|xf'
     'inity|cell c|eircom|lebara|meteor|sprint|telkom|fiber|fibre|fonic|iliad|koodo|lumen|moche|odido)'),
    ('Phone and internet (4)', 'Utilities', 'expense', 1230, 'regex',
     '\\b(?:optus|phone|simyo|tele2|telia|telus|yoigo|ziggo)|\\b(?:recharge|orange|at\\&t|1\\&1|fido|lowi|'
     'rain|sosh|wifi|eir|isp|kpn|meo|mtn|sfr|bt|ee|o2)\\b'),
    ('Energy and water (1)', 'Utilities', 'expense', 1240, 'regex',
     '\\b(?:electric|essent|e\\.on|pg\\&e|water|acea|agua|bulb|enbw|enel|hera|iren|luce|peco|pseg|xcel|a2'
     'a|dte|edf|eon|fpl|gaz|luz|ovo|pge|rwe|sse)\\b|\\b(?:prepaid electricity|consumers energy|gas and e'
     'lectric|united utilities|waste management|canal de isabel|gas \\& electric|power and light|yorksh'
     'ire water|budget energie|octopus energy|power \\& light|scottish power|southern water|anglian wat'
     'er|gasversorgung|georgia power|national grid|power company|water charges|water company)'),
    ('Energy and water (2)', 'Utilities', 'expense', 1250, 'regex',
     '\\b(?:water utility|elektrizitat|municipality|severn trent|thames water|british gas|duke energy|e'
     'lectricite|electricity|gas company|greenchoice|natural gas|welsh water|con edison|electrabel|eve'
     'rsource|stadtwerke|vattenfall|wasserwerk|water bill|iberdrola|municipal|utilities|vandebron|abwa'
     'sser|dominion|gas bill|power co|suez eau|waternet|city of|energia|energie|entergy|garbage|holalu'
     'z|luminus|naturgy|utility|ameren|edison|endesa|energy|evides|fortum|sewage|veolia|vitens|acqua)'),
    ('Energy and water (3)', 'Utilities', 'expense', 1260, 'regex',
     '\\b(?:comed|coned|eneco|engie|eskom|pepco|sewer|strom|trash)'),
    ('Streaming and software subscriptions (1)', 'Subscriptions', 'expense', 1270, 'regex',
     '\\b(?:playstation network|wall street journal|google play pass|kindle unlimited|linkedin premium|'
     'playstation plus|prime membership|apple\\.com bill|apple\\.com/bill|financial times|nintendo onlin'
     'e|washington post|youtube premium|google storage|new york times|paramount plus|youtubepremium|ap'
     'ple\\.com/bi|microsoft 365|pandora music|prenumeration|rosetta stone|youtube music|amazon prime|a'
     'pple arcade|digitalocean|elitepartner|myfitnesspal|pandora\\.com|subscription|the athletic)'),
    ('Streaming and software subscriptions (2)', 'Subscriptions', 'expense', 1280, 'regex',
     '\\b(?:abbonamento|apple music|crunchyroll|disney plus|medium\\.com|multichoice|paramount\\+|prime v'
     'ideo|sky digital|squarespace|suscripcion|abonnement|amzn prime|assinatura|canal plus|cloudflare|'
     'disneyplus|expressvpn|freeletics|google one|match\\.com|office 365|protonmail|volkskrant|1passwor'
     'd|apple one|backblaze|bitwarden|calm\\.com|economist|game pass|grammarly|headspace|jetbrains|kobo'
     ' plus|le figaro|mediapart|paramount|proton ag|sirius xm|surfshark|videoland|xbox live|apple tv)'),
    ('Streaming and software subscriptions (3)', 'Subscriptions', 'expense', 1290, 'regex',
     '\\b(?:blinkist|bookbeat|dashlane|disney\\+|duolingo|evernote|fastmail|lastpass|le monde|max\\.com|o'
     'nlyfans|siriusxm|sling tv|storytel|substack|wix\\.com|zoom\\.us|audible|britbox|canal\\+|chatgpt|dr'
     'opbox|ea play|el pais|ft\\.com|godaddy|gymondo|hetzner|molotov|napster|netflix|nextory|nordvpn|ny'
     'times|parship|patreon|peacock|showmax|spiegel|spotify|todoist|ubisoft|viaplay|babbel|bumble|deez'
     'er|github|icloud|itunes|meetic|notion|now tv|openai|readly|scribd|sky tv|sky uk|strato|tinder)'),
    ('Streaming and software subscriptions (4)', 'Subscriptions', 'expense', 1300, 'regex',
     '\\b(?:twitch|adobe|busuu|figma|hinge|ionos|philo|qobuz|rtl\\+|slack|tidal|zwift)|\\b(?:canva|dazn|d'
     'stv|fubo|hulu|joyn|msft|noom|abo|hbo|psn|wsj)\\b'),
    ('Gym and memberships', 'Subscriptions', 'expense', 1310, 'regex',
     '\\b(?:fitx|gym)\\b|\\b(?:24 hour fitness|anytime fitness|nuffield health|crunch fitness|planet fitn'
     'ess|salle de sport|fitnessstudio|the gym group|virgin active|orangetheory|urban sports|david llo'
     'yd|sportschool|basic\\-fit|clever fit|la fitness|membership|planet gym|basic fit|classpass|crossf'
     'it|gimnasio|palestra|equinox|fitness|peloton|puregym|strava|mcfit)'),
    ('Food delivery', 'Dining', 'expense', 1320, 'regex',
     '\\b(?:skipthedishes|takeaway\\.com|thuisbezorgd|uber \\*eats|lieferando|deliveroo|foodpanda|mr d fo'
     'od|postmates|uber eats|doordash|just eat|mrd food|seamless|ubereats|foodora|grubhub|justeat|menu'
     'log|caviar|swiggy|zomato|glovo)|\\b(?:wolt)\\b'),
    ('Restaurants, cafes and bars (1)', 'Dining', 'expense', 1330, 'regex',
     '\\b(?:black sheep coffee|cheesecake factory|joe and the juice|le pain quotidien|tropical smoothie'
     '|frankie \\& benny|joe \\& the juice|jack in the box|texas roadhouse|100 montaditos|caribou coffee'
     '|chicken licken|coffee fellows|cracker barrel|espresso house|firehouse subs|gourmet burger|guzma'
     'n y gomez|hard rock cafe|honest burgers|la tagliatella|little caesars|max hamburgare|brewers fay'
     're|brioche doree|buffalo grill|chick\\-fil\\-a|churrasqueria|columbus cafe|el pollo loco)'),
    ('Restaurants, cafes and bars (2)', 'Dining', 'expense', 1340, 'regex',
     "\\b(?:la mie caline|noodles \\& co|panda express|pizza express|pret a manger|roman's pizza|smoothi"
     'e king|waynes coffee|bar \\& grill|boston pizza|bottle store|buffalo wild|costa coffee|courtepail'
     "le|delicatessen|franco manca|hippopotamus|hungry horse|jason's deli|krispy kreme|mugg \\& bean|oc"
     'ean basket|olive garden|p\\.f\\. chang|pizzaexpress|raising cane|restauration|romans pizza|salon d'
     'e the|swiss chalet|toby carvery|vida e caffe|waffle house|white castle|all bar one|auntie anne)'),
    ('Restaurants, cafes and bars (3)', 'Dining', 'expense', 1350, 'regex',
     '\\b(?:bottle shop|boulangerie|burger king|coffee bean|curry house|dairy queen|gloria jean|hungry '
     'jack|hungry lion|jersey mike|marisqueria|pasticceria|red lobster|red rooster|restaurante|restaur'
     'ants|seattle cof|shake shack|sonic drive|steak house|tim hortons|wetherspoon|whataburger|biergar'
     'ten|bootlegger|bubble tea|caffe nero|cerveceria|dutch bros|food court|food truck|in\\-n\\-out|jimm'
     'y john|konditorei|kwalitaria|panetteria|pastelaria|pasteleria|patisserie|restaurant|ristorante)'),
    ('Restaurants, cafes and bars (4)', 'Dining', 'expense', 1360, 'regex',
     '\\b(?:second cup|smokehouse|steakhouse|sweetgreen|take\\-away|tgi friday|tim horton|autogrill|baec'
     "kerei|beefeater|bodeguita|bojangles|brasserie|breakfast|cafeteria|carl's jr|chickfila|debonairs|"
     'fishaways|five guys|gastropub|gelateria|harvester|ice cream|juice bar|mcalister|mcdonalds|panade'
     'ria|papa john|piekarnia|pizza hut|red robin|snack bar|starbucks|taco bell|take away|tea house|te'
     'lepizza|trattoria|wirtshaus|yo! sushi|applebee|backerei|bakeries|bakkerij|barbecue|benihana)'),
    ('Restaurants, cafes and bars (5)', 'Dining', 'expense', 1370, 'regex',
     "\\b(?:brauerei|brauhaus|carls jr|catering|chipotle|cinnabon|cocktail|creperie|culver's|del taco|d"
     'oughnut|dumpling|eisdiele|espresso|friterie|gasthaus|grillbar|jollibee|maggiano|mcdonald|pf chan'
     'g|pizzaria|pizzeria|potbelly|shawarma|sidreria|smoothie|snackbar|takeaway|tandoori|taqueria|tea '
     'room|teahouse|traiteur|wagamama|wine bar|wingstop|yo sushi|biryani|brewery|brewing|brewpub|burge'
     "rs|burrito|canteen|cantina|chili's|culvers|denny's|dim sum|dishoom|dominos|eetcafe|eiscafe)"),
    ('Restaurants, cafes and bars (6)', 'Dining', 'expense', 1380, 'regex',
     '\\b(?:enoteca|falafel|frituur|gasthof|kantine|kitchen|leivomo|nordsee|osteria|outback|pancake|pop'
     "eyes|sibylla|taproom|taverna|tearoom|vapiano|weinbar|wendy's|arby's|asador|bageri|bakery|baskin|"
     'bistro|brunch|burger|chilis|coffee|crumbl|dennys|dining|dinner|domino|dunkin|eatery|flunch|galit'
     "o|gastro|gelato|greggs|hardee|imbiss|kaffee|kneipe|koffie|liquor|nandos|noodle|panera|peet's|pre"
     'zzo|steers|subway|tavern|waffle|wasabi|wendys|arbys|bagel|cafes|caffe|doner|donut|grill|gyros)'),
    ('Restaurants, cafes and bars (7)', 'Dining', 'expense', 1390, 'regex',
     '\\b(?:jamba|kebab|lunch|mensa|nando|peets|pizza|qdoba|ramen|sushi|tacos|tapas|wimpy|zaxby|zizzi)|'
     '\\b(?:diner|resto|a\\&w|boba|cafe|deli|febo|ihop|itsu|poke|spur|taco|thai|bar|bbq|kfc|mcd|pho|pub)'
     '\\b'),
    ('Fuel (1)', 'Transport', 'expense', 1400, 'regex',
     '\\b(?:mobil|agip|aral|arco|avia|esso|fuel|galp|okq8|wawa|eni|omv|pfs|st1|bp|q8)\\b|\\b(?:westfalen '
     'tankstelle|tesla supercharger|station\\-service|filling station|service station|star tankstelle|s'
     "tation service|hem tankstelle|jet tankstelle|marathon petro|bensinstasjon|love's travel|petro\\-c"
     'anada|pioneer petro|station total|totalenergies|esso express|pilot travel|stacja paliw|superchar'
     'ger|total access|chargepoint|combustivel|ev charging|gas station|ip italiana|petrocanada)'),
    ('Fuel (2)', 'Transport', 'expense', 1410, 'regex',
     '\\b(?:phillips 66|puma energy|tankstation|applegreen|carburante|carburants|exxonmobil|gasolinera|'
     'irving oil|murphy usa|polttoaine|tankstelle|ballenoil|benzinaio|carburant|drivstoff|kwik trip|pe'
     'troprix|circle k|flying j|gasoline|gulf oil|kwiktrip|petronor|quiktrip|racetrac|speedway|ultrama'
     "r|benzina|casey's|chevron|equinor|go mart|plenoil|statoil|bensin|benzin|caltex|caseys|certas|con"
     'oco|diesel|gomart|ionity|lukoil|paliwo|petrol|repsol|sheetz|sunoco|tamoil|tanken|teboil|texaco)'),
    ('Fuel (3)', 'Transport', 'expense', 1420, 'regex',
     '\\b(?:uno\\-x|valero|ampol|cepsa|citgo|engen|exxon|husky|maxol|neste|orlen|preem|sasol|shell|topaz'
     ')'),
    ('Public transport and taxis (1)', 'Transport', 'expense', 1430, 'regex',
     '\\b(?:clipper|train|aprr|atac|bahn|bart|gett|grab|lime|lner|luas|lyft|maut|mbta|mivb|myki|nmbs|op'
     'al|rail|ratp|sncb|sncf|stib|taxi|toll|tram|uber|bus|bvg|cab|cff|dsb|gvb|gwr|hsl|htm|hvv|kvb|mta|'
     'mvg|obb|pkp|ret|rmv|sbb|tcl|tfl|tgv|tmb|vbb|voi|vvs|sj|vy)\\b|\\b(?:consorcio de transportes|trans'
     'port for london|titre de transport|avanti west coast|abono transporte|national express|verkehrsb'
     'etriebe|vinci autoroutes|donkey republic|metro de madrid|verkehrsverbund|db fernverkehr)'),
    ('Public transport and taxis (2)', 'Transport', 'expense', 1440, 'regex',
     '\\b(?:miles mobility|deutsche bahn|metropolitano|national rail|northern rail|ov\\-chipkaart|wiener'
     ' linien|charlie card|crosscountry|metro ticket|southeastern|transpennine|addison lee|db vertrieb'
     '|atm milano|autostrade|bird rides|connexxion|dublin bus|emt madrid|fahrschein|irish rail|merseyr'
     'ail|nahverkehr|stagecoach|thameslink|trenitalia|autopista|blablacar|bolt ride|citi bike|fahrkart'
     'e|first bus|flixtrain|getaround|greyhound|leap card|metrocard|ns reizen|rejsekort|share now)'),
    ('Public transport and taxis (3)', 'Transport', 'expense', 1450, 'regex',
     '\\b(?:telepeage|trainline|translink|uber trip|bolt\\.eu|caltrain|dartford|e\\-zpass|free now|gautra'
     'in|nextbike|ns groep|ola cabs|rea vaya|scotrail|sharenow|smartrip|transdev|bip\\&go|de lijn|e\\-to'
     'll|fastrak|flixbus|freenow|iarnrod|megabus|railway|sunpass|transit|trenord|amtrak|arriva|bicing|'
     'cabify|carris|ezpass|heetch|keolis|myciti|mytaxi|navigo|oyster|presto|tisseo|trains|ventra|zipca'
     'r|etoll|ferry|inoui|italo|ouigo|ovpay|peage|qbuzz|renfe|ruter|sanef|septa|taxis|tolls|velib)'),
    ('Public transport and taxis (4)', 'Transport', 'expense', 1460, 'regex',
     '\\b(?:wmata)'),
    ('Parking and car (1)', 'Transport', 'expense', 1470, 'regex',
     "\\b(?:vehicle registration|yourparkingspace|autowaschanlage|parkeerautomaat|autowerkstatt|o'reill"
     'y auto|stationnement|advance auto|aparcamiento|autolavaggio|interparking|park \\& ride|park and f'
     'ly|pay by phone|waschstrasse|auto repair|autoservice|car service|lavage auto|laz parking|waschan'
     'lage|yellowbrick|autolavado|car repair|euromaster|jiffy lube|parcheggio|parcometro|park n fly|pa'
     'rkgebuhr|parkmobile|parkschein|paybyphone|contipark|elparking|napa auto|parkering|valvoline)'),
    ('Parking and car (2)', 'Transport', 'expense', 1480, 'regex',
     '\\b(?:werkstatt|autozone|car park|car wash|cartrack|easypark|feu vert|flowbird|halfords|justpark|'
     'kwik fit|mechanic|mobypark|mot test|parclick|parkeren|parkhaus|parkster|pep boys|pit stop|spothe'
     'ro|carwash|norauto|onepark|parking|point s|q\\-park|telpark|tracker|zenpark|empark|impark|indigo|'
     'parken|parkin|reifen|ringgo|apcoa|dekra|qpark|tires|tyres)|\\b(?:garage|pneu|saba|tire|tyre|atu|d'
     'mv|ncp|tuv)\\b'),
    ('Travel (1)', 'Travel', 'expense', 1490, 'regex',
     '\\b(?:ethiopian airlines|pierre \\& vacances|singapore airlines|agencia de viajes|american airline'
     's|austrian airlines|bed and breakfast|brussels airlines|hawaiian airlines|agence de voyage|britt'
     'any ferries|generator hostel|location voiture|turkish airlines|virgin australia|air new zealand|'
     'british airways|enterprise rent|porter airlines|united airlines|virgin atlantic|agenzia viaggi|a'
     'lquiler coche|flair airlines|haven holidays|choice hotels|copa airlines|irish ferries)'),
    ('Travel (2)', 'Travel', 'expense', 1500, 'regex',
     '\\b(?:kenya airways|noleggio auto|norwegian air|qatar airways|travel agency|american air|best wes'
     'tern|booking\\.com|center parcs|frontier air|holiday park|national car|p\\&o ferries|rent\\-a\\-car|'
     'a\\&o hostel|agriturismo|guest house|hampton inn|holiday inn|hostelworld|hotels\\.com|ita airways|'
     'premier inn|sun country|viking line|aer lingus|aeromexico|aeropuerto|air baltic|air canada|air e'
     'uropa|air france|alaska air|b\\&b hotel|budget car|campground|car rental|color line|doubletree)'),
    ('Travel (3)', 'Travel', 'expense', 1510, 'regex',
     '\\b(?:guesthouse|icelandair|korean air|lastminute|luchthaven|moby lines|reisbureau|reisebuero|ren'
     't a car|skyscanner|spirit air|stena line|sunexpress|swiss intl|travelodge|aeroporto|air india|ai'
     'rbaltic|allegiant|delta air|duty free|eurowings|flughafen|flysafair|la quinta|lufthansa|meininge'
     'r|mietwagen|motel one|norwegian|reiseburo|southwest|transavia|aeroport|airlines|alitalia|baleari'
     'a|campsite|citizenm|club med|emirates|europcar|eurostar|holidays|loganair|marriott|nh hotel)'),
    ('Travel (4)', 'Travel', 'expense', 1520, 'regex',
     '\\b(?:radisson|sheraton|ski pass|vacation|wizz air|airline|airlink|airport|airways|albergo|auberg'
     'e|avianca|barcelo|butlins|camping|easyjet|edreams|expedia|ferries|finnair|holiday|hoteles|jetblu'
     'e|jetstar|mercure|novotel|parador|pegasus|pousada|ryanair|scandic|skipass|tallink|tap air|trivag'
     'o|volaris|volotea|voyages|vueling|westjet|wideroe|wizzair|wyndham|aegean|airbnb|cathay|condor|cr'
     'uise|etihad|hilton|hostel|hotell|hotels|iberia|kulula|lodges|posada|qantas|reisen|resort|thalys)'),
    ('Travel (5)', 'Travel', 'expense', 1530, 'regex',
     '\\b(?:travel|viaggi|viajes|voyage|westin|accor|agoda|alamo|hertz|hotel|hyatt|kayak|latam|melia|mo'
     'tel|opodo|viaje)|\\b(?:lodge|avis|b\\&b|dfds|ibis|jet2|moxy|sixt|vrbo|ihg|inn|klm|sas|tui)\\b'),
    ('Supermarkets and groceries (1)', 'Groceries', 'expense', 1540, 'regex',
     '\\b(?:real canadian superstore|casino supermarche|dirk van den broek|convenience store|lebensmitt'
     'elmarkt|bm supermercados|boxer superstore|dia supermercado|groente en fruit|obst und gemuse|plus'
     " supermarkt|save\\-on\\-foods|bj's wholesale|grocery outlet|k\\-supermarket|smart \\& final|wm super"
     'center|epicerie fine|fresh produce|harris teeter|iceland foods|k\\-citymarket|la vie claire|marke'
     't basket|piggly wiggly|price chopper|supermercados|acme markets|albert heijn|alimentacion)'),
    ('Supermarkets and groceries (2)', 'Groceries', 'expense', 1550, 'regex',
     '\\b(?:alimentation|fresh market|fruit \\& veg|geant casino|hipermercado|king soopers|leader price|'
     "lebensmittel|pam panorama|petit casino|pick 'n save|save\\-a\\-lot|stop \\& shop|supermercado|super"
     'mercato|tops markets|weis markets|bio company|casino shop|co\\-op food|corner shop|family cash|fo'
     'od 4 less|food basics|food lovers|freshdirect|giant eagle|grand frais|greengrocer|harris farm|hy'
     'permarche|hypermarket|ica kvantum|intermarche|ipermercato|jan linders|jewel\\-osco|md discount)'),
    ('Supermarkets and groceries (3)', 'Groceries', 'expense', 1560, 'regex',
     '\\b(?:mini market|penny markt|stater bros|supermarche|supermarked|supermarket|whole foods|winn\\-d'
     'ixie|albertsons|alimentari|carniceria|city gross|coccinelle|costcutter|fishmonger|food lover|foo'
     "d store|fred meyer|fry's food|giant food|il gigante|jewel osco|macelleria|minimarket|pak'n'save|"
     "pick n pay|pingo doce|polomarket|reformhaus|sam's club|save a lot|supermarkt|superstore|trader j"
     'oe|winn dixie|woolworths|ahorramas|alimentos|biedronka|bio markt|boucherie|carrefour|countdown)'),
    ('Supermarkets and groceries (4)', 'Groceries', 'expense', 1570, 'regex',
     '\\b(?:dekamarkt|dierbergs|esselunga|farm shop|farmfoods|food city|food hall|food lion|food mart|f'
     'oodworks|frys food|groceries|hannaford|hiperdino|hoogvliet|instacart|interspar|k\\-market|marktka'
     'uf|mas y mas|mercadona|metro inc|metzgerei|mini mart|minimarkt|minipreco|morrisons|naturalia|net'
     'torama|new world|no frills|plusfresc|rema 1000|s\\-market|sainsbury|sams club|spaetkauf|stokrotka'
     '|superette|superspar|supervalu|systeme u|u express|wal\\-mart|99 ranch|alnatura|bunnpris)'),
    ('Supermarkets and groceries (5)', 'Groceries', 'expense', 1580, 'regex',
     '\\b(?:butchery|checkers|delhaize|ekoplaza|epicerie|eurospar|eurospin|feneberg|foodland|foodmart|f'
     'ranprix|fruteria|hipercor|ica maxi|ica nara|kaufland|key food|kwikspar|lewiatan|lovbjerg|mariano'
     's|minimart|monoprix|naturasi|nofrills|ok foods|paknsave|picknpay|schnucks|shoprite|slagerij|spat'
     'kauf|supercor|unimarkt|v\\-markt|verduras|waitrose|wholefds|alcampo|biocoop|bonpreu|budgens|butch'
     'er|caprabo|colruyt|coviran|dillons|fareway|freshco|grocery|h\\-e\\-b|hy\\-vee|hyper u|leclerc)'),
    ('Supermarkets and groceries (6)', 'Groceries', 'expense', 1590, 'regex',
     '\\b(?:loblaws|markets|masymas|nahkauf|produce|provigo|safeway|sprouts|super u|thiriet|walmart|weg'
     'mans|auchan|booths|centra|co\\-op|condis|costco|denner|despar|dunnes|eroski|famila|foetex|frutas|'
     'globus|grocer|h mart|hemkop|ingles|iperal|kroger|londis|meijer|merkur|migros|mpreis|picard|picni'
     'c|poiesz|prisma|publix|ralphs|sobeys|supeco|tigros|wasgau|willys|alepa|basko|bilka|coles|conad|d'
     'enns|edeka|fotex|froiz|gadis|hofer|hyvee|jumbo|meats|netto|ocado|raley|tegut|tesco|todis|usave)'),
    ('Supermarkets and groceries (7)', 'Groceries', 'expense', 1600, 'regex',
     '\\b(?:vival|vomar|winco|zabka|pnp)|\\b(?:continente|mercado|mercato|bennet|consum|marche|market|bi'
     'lla|norma|penny|adeg|aldi|asda|coop|cora|crai|dino|iper|kiwi|lidl|mace|maxi|meat|meny|nisa|rema|'
     'rewe|spar|unes|volg|vons|flm|g20|heb|ica|iga)\\b'),
    ('Pharmacy and health care (1)', 'Health', 'expense', 1610, 'regex',
     '\\b(?:priceline pharmacy|chemist warehouse|quest diagnostics|rowlands pharmacy|life healthcare|ll'
     'oyds pharmacy|apotek hjartat|kronans apotek|medical center|medical centre|vision express|health '
     'center|health centre|parapharmacie|shop apotheke|shoppers drug|well pharmacy|contact lens|kinesi'
     'therap|london drugs|parafarmacia|prescription|duane reade|hearing aid|krankenhaus|laboratoire|op'
     'tometrist|terry white|urgent care|veterinaire|arztpraxis|augenoptik|chiropract|dermatolog)'),
    ('Pharmacy and health care (2)', 'Health', 'expense', 1620, 'regex',
     '\\b(?:dierenarts|drug store|fisioterap|gesundheit|gezondheid|gp surgery|gynaecolog|healthcare|jea'
     'n coutu|laboratory|medication|mediclinic|pharmasave|specsavers|tandlakare|zahnklinik|ziekenhuis|'
     'cardiolog|dis\\-chem|docmorris|drug mart|drugstore|gynecolog|medicines|orthodont|pharmacie|psychi'
     'atr|psycholog|therapist|veterinar|walgreens|apoteket|apotheke|apteekki|audiolog|clinique|dentist'
     'a|dentiste|farmacia|farmacie|fielmann|hospital|huisarts|klinikum|medicine|optician|opticien)'),
    ('Pharmacy and health care (3)', 'Health', 'expense', 1630, 'regex',
     '\\b(?:ospedale|osteopat|paediatr|pathcare|pharmacy|radiolog|rite aid|tandarts|tierarzt|zahnarzt|c'
     'hemist|clinica|dentist|dischem|eyewear|hopital|kliniek|labcorp|medecin|medical|medizin|netcare|o'
     'ptiker|optique|pediatr|podiatr|therapy|uniprix|ampath|apotek|apteka|clicks|clinic|dental|doctor|'
     'klinik|lakare|lancet|medico|medpex|optica|ottica|pharma|physio|salute|boots|salud|sante)|\\b(?:he'
     'alth|kaiser|ortho|arzt|labo|cvs|vet)\\b'),
    ('Personal care (1)', 'Personal Care', 'expense', 1640, 'regex',
     '\\b(?:etos|hair|lush|nail|ulta|spa|dm)\\b|\\b(?:holland and barrett|holland \\& barrett|parfumerie d'
     'ouglas|the perfume shop|muller drogerie|douglas parfum|the body shop|beauty salon|cabeleireiro|d'
     'm\\-drogerie|parrucchiere|sonnenstudio|dm drogerie|hair design|hair studio|hairdresser|kiko milan'
     'o|launderette|nagelstudio|yves rocher|barbershop|drycleaner|esthetique|hair salon|laundrette|lau'
     'ndromat|lavanderia|marionnaud|parfumerie|peluqueria|perfumeria|profumeria|tintoreria|toiletries)'),
    ('Personal care (2)', 'Personal Care', 'expense', 1650, 'regex',
     '\\b(?:waescherei|waschsalon|barbearia|cosmetics|dry clean|lavomatic|perfumery|reinigung|superdrug'
     '|wascherei|barberia|coiffeur|coiffure|estetica|grooming|hairstyl|kampaamo|kapsalon|kosmetik|krui'
     'dvat|manicure|pedicure|pressing|rossmann|solarium|stomerij|wasserij|barbers|day spa|friseur|fryz'
     'jer|haircut|laverie|massage|parturi|rituals|sephora|tanning|barber|beaute|beauty|frisor|kapper|l'
     'aundr|nocibe|primor|waxing|nails|salon)'),
    ('Education and childcare (1)', 'Education', 'expense', 1660, 'regex',
     '\\b(?:tasse universitarie|frais de scolarite|studiengebuhr|kindergarten|kinderopvang|universiteit'
     '|collegegeld|masterclass|pluralsight|school fees|universidad|universitat|asilo nido|child care|s'
     'killshare|universita|universite|university|childcare|guarderia|matricula|nachhilfe|preschool|aca'
     'demie|akademie|coursera|day care|learning|textbook|tutoring|academy|colegio|college|daycare|escu'
     'ela|nursery|schools|student|tuition|creche|cursus|school|schule|scuola|chegg|curso|ecole|tutor)'),
    ('Education and childcare (2)', 'Education', 'expense', 1670, 'regex',
     '\\b(?:udemy)|\\b(?:exam|kita|edx)\\b'),
    ('Entertainment (1)', 'Entertainment', 'expense', 1680, 'regex',
     '\\b(?:francaise des jeux|national lottery|postcode loterij|barnes \\& noble|fnac spectacles|paris '
     'sportifs|sporting event|hollywoodbets|mega millions|staatsloterij|ster\\-kinekor|swimming pool|am'
     'azon video|buchhandlung|country club|euromillions|kletterhalle|show tickets|steampowered|ticketm'
     'aster|william hill|ausstellung|country clu|escape room|kirjakauppa|live nation|lottomatica|paddy'
     ' power|planetarium|playstation|safari park|scratchcard|see tickets|sportwetten|waterstones)'),
    ('Entertainment (2)', 'Entertainment', 'expense', 1690, 'regex',
     '\\b(?:boekhandel|bouldering|disneyland|draftkings|epic games|eventbrite|exhibition|fairground|ksi'
     'egarnia|night club|pokerstars|schwimmbad|theme park|ticketswap|trampoline|water park|amusement|b'
     'iglietti|book shop|bookmaker|bookstore|cineworld|hallenbad|ladbrokes|laser tag|librairie|mini go'
     'lf|nightclub|paintball|powerball|scommesse|six flags|ticketone|waterpark|apuestas|aquarium|books'
     'hop|cinemark|climbing|concerts|dice\\.fm|entradas|festival|ice rink|lasertag|libreria|lotteria)'),
    ('Entertainment (3)', 'Entertainment', 'expense', 1700, 'regex',
     '\\b(?:lotterie|nintendo|nu metro|seatgeek|sporting|wettburo|betting|bowling|cinemas|concert|event'
     'im|fanduel|freibad|funpark|go kart|karaoke|karting|konzert|loteria|loterie|loterij|lottery|pisci'
     'na|piscine|stadium|stubhub|theater|theatre|tickets|zwembad|arcade|bet365|betway|casino|cinema|ev'
     'ents|gaming|gokart|kirmes|movies|museum|oddset|teatro|thalia|theatr|tipico|arena|bingo|books|eve'
     'nt|games|lotto|movie|musee|museo|music|odeon|pathe|regal|sisal|steam|vinyl)|\\b(?:bwin|cine)\\b'),
    ('Entertainment (4)', 'Entertainment', 'expense', 1710, 'regex',
     '\\b(?:golf|kino|snai|xbox|amc|fdj|pmu|ugc|vue|zoo)\\b'),
    ('Gifts and donations (1)', 'Gifts & Donations', 'expense', 1720, 'regex',
     '\\b(?:medecins sans frontieres|doctors without borders|save the children|1\\-800\\-flowers|salvatio'
     'n army|croix\\-rouge|funky pigeon|croce rossa|fundraising|kickstarter|non\\-profit|rotes kreuz|cha'
     'ritable|fondazione|foundation|fundraiser|greenpeace|interflora|justgiving|cruz roja|donations|do'
     'nazione|fondation|fundacion|nonprofit|red cross|stichting|donation|donativo|geschenk|gofundme|ha'
     'llmark|stiftung|amnesty|cadeaux|charity|donatie|fleurop|florist|flowers|iglesia|moonpig|spenden)'),
    ('Gifts and donations (2)', 'Gifts & Donations', 'expense', 1730, 'regex',
     '\\b(?:cadeau|chiesa|church|donate|eglise|kirche|regali|regalo|spende|unicef|gifts|oxfam|tithe|zak'
     'at)|\\b(?:gift|kerk|msf|ngo|wwf)\\b'),
    ('Shopping (1)', 'Shopping', 'expense', 1740, 'regex',
     '\\b(?:peek \\& cloppenburg|woolworths clothing|amazon marketplace|galeries lafayette|marks and spe'
     'ncer|notebooksbilliger|department store|home improvement|maisons du monde|marks \\& spencer|peek '
     'cloppenburg|urban outfitters|amazon mktplace|banana republic|el corte ingles|online purchase|ame'
     'rican eagle|discount store|dollar general|harbor freight|haushaltswaren|nursery garden|sostrene '
     'grene|tractor supply|abbigliamento|canadian tire|electro depot|family dollar|garden center)'),
    ('Shopping (2)', 'Shopping', 'expense', 1750, 'regex',
     '\\b(?:garden centre|general store|grand magasin|harvey norman|jack \\& jones|kleinanzeigen|massimo'
     ' dutti|pccomponentes|pull and bear|quincaillerie|sports direct|the warehouse|variety store|ace h'
     "ardware|construction|flying tiger|gartencenter|hudson's bay|leroy merlin|micro center|mr bricola"
     'ge|office depot|pets at home|river island|schreibwaren|stradivarius|walmart\\.com|abercrombie|ama'
     'zon\\.com|apple store|brico depot|bricocenter|bricomarche|clas ohlson|costco\\.com|dollar tree)'),
    ('Shopping (3)', 'Shopping', 'expense', 1760, 'regex',
     '\\b(?:electrician|electronics|foot locker|game stores|gioielleria|hobby lobby|intimissimi|marktpl'
     'aats|media markt|microcenter|officeworks|online shop|ross stores|tabaccheria|tobacconist|toolsta'
     'tion|tuincentrum|aliexpress|apple\\.com|b\\&h photo|bekleidung|bijouterie|bricodepot|calzedonia|ca'
     'rtoleria|chaussures|contractor|elektronik|elgiganten|ferramenta|ferreteria|five below|fnac darty'
     '|footlocker|forever 21|hobbycraft|home depot|jardinerie|john lewis|la redoute|mediamarkt)'),
    ('Shopping (4)', 'Shopping', 'expense', 1770, 'regex',
     '\\b(?:mediaworld|musicstore|new yorker|onlineshop|pep stores|plant shop|pound shop|pull\\&bear|smo'
     'ke shop|stationery|tabakwaren|timberland|true value|we fashion|ackermans|boulanger|bouwmarkt|bri'
     'colage|bricorama|cashbuild|castorama|cdiscount|conforama|cyberport|decathlon|deichmann|dollarama'
     '|dressmann|drogueria|fressnapf|furniture|gardening|hollister|houseware|intratuin|jb hi\\-fi|jd sp'
     'orts|leboncoin|lululemon|marshalls|newsagent|nordstrom|obi markt|papeleria|papeterie|pet store)'),
    ('Shopping (5)', 'Shopping', 'expense', 1780, 'regex',
     '\\b(?:poundland|power\\.no|praktiker|printemps|stationer|tabacaria|the range|the works|toy store|t'
     'oys r us|truworths|vero moda|vetements|warenhaus|wish\\.com|baumarkt|bed bath|benetton|best buy|b'
     'ol\\.com|boutique|bricoman|builders|bunnings|clothing|coolblue|desigual|euronics|euroshop|foschin'
     'i|gamestop|handyman|hardware|homebase|homeware|hornbach|jcpenney|kaufhaus|la halle|michaels|mitr'
     'e 10|mr price|new look|old navy|pc world|petsmart|pflanzen|plumbing|poshmark|reichelt|schoenen)'),
    ('Shopping (6)', 'Shopping', 'expense', 1790, 'regex',
     '\\b(?:screwfix|shopping|skechers|tabacchi|takealot|wallapop|westwing|zigarren|alibaba|allegro|app'
     'arel|bauhaus|bershka|bestbuy|biltema|camaieu|dillard|e\\-shop|estanco|fashion|formido|galeria|gum'
     'tree|hagebau|hellweg|j\\.crew|jb hifi|joyeria|kappahl|kleding|lefties|matalan|menards|mercari|meu'
     'bles|muebles|pandora|paypal |plumber|primark|roofing|schmuck|shopify|smokers|staples|tezenis|tho'
     'mann|tj maxx|tk maxx|tobacco|unieuro|wayfair|webshop|welkoop|winners|xxxlutz|zalando|zapatos)'),
    ('Shopping (7)', 'Shopping', 'expense', 1800, 'regex',
     "\\b(?:zooplus|adidas|amazon|cigars|clarks|currys|dunelm|edgars|expert|h/ware|home24|karwei|kohl's"
     "|leiner|levi's|lindex|lowe's|macy's|meubel|mobili|newegg|outlet|plants|promod|saturn|scarpe|schu"
     'he|sinsay|smyths|snipes|stores|target|tjmaxx|uniqlo|vinted|vivero|weldom|wickes|worten|zeeman|ar'
     'gos|big w|brico|celio|cigar|cubus|darty|depop|gamma|gortz|jcrew|jewel|joann|kiabi|kiosk|kmart|ko'
     'hls|levis|lowes|macys|makro|mobel|oysho|petco|rusta|sears|shein|shoes|tabac|tabak|wibra|wilko)'),
    ('Shopping (8)', 'Shopping', 'expense', 1810, 'regex',
     '\\b(?:action|presse|store|amzn|asos|b\\&m|b\\&q|c\\&a|ebay|etsy|fnac|gemo|h\\&m|hema|hubo|ikea|jula|j'
     'ysk|kika|lego|m\\&s|mall|nike|otto|ropa|shoe|shop|tedi|temu|toom|toys|vape|zara|diy|gap|kik|mrp|o'
     'bi|ovs|pep)\\b'),
    ('Fees (generic)', 'Fees', 'expense', 1820, 'regex',
     '\\b(?:charges|charge|frais|fees|fee)\\b|\\b(?:commission|intereses|interessi|provision|gebuhren|int'
     'erest|interets|entgelt|gebuehr|penalty|gebuhr|kosten|spesen|zinsen|rente)'),
    ('Transfers (generic) (1)', 'Transfers', None, 1830, 'regex',
     '\\b(?:immediate payment|payment received|instant payment|money received|overschrijving|standing o'
     'rder|bank transfer|received from|transferencia|wire transfer|ach transfer|dauerauftrag|transferw'
     'ise|ueberweisung|app payment|overboeking|square cash|uberweisung|overforing|overforsel|payment t'
     'o|send money|sent money|tilisiirto|mobilepay|transfers|wise\\.com|bonifico|cash app|satispay|tran'
     'sfer|vir sepa|virement|fnb app|przelew|revolut|mb way|paylib|pmt to|tikkie|bizum|lydia|mbway)'),
    ('Transfers (generic) (2)', 'Transfers', None, 1840, 'regex',
     '\\b(?:swish|twint|venmo|vipps|zelle)|\\b(?:transf|blik|wire|xfer|tfr|trf|vir)\\b'),
    ('Deposits', 'Other Income', 'income', 1850, 'regex',
     '\\b(?:cheque deposit|mobile deposit|check deposit|depot especes|einzahlung|insattning|versamento|'
     'versement|storting|deposit|ingreso)'),
    ('Card purchase at an unknown merchant (guess) (1)', 'Shopping', 'expense', 9000, 'regex',
     '\\b(?:pos)(?![a-z])|\\b(?:zakup przy uzyciu karty|pagamento com cartao|debit card purchase|purchas'
     'e authorized|compra con tarjeta|mastercard zahlung|paiement par carte|compra com cartao|ec\\-kart'
     'enzahlung|card transaction|pagamento cartao|pago con tarjeta|transakcja karta|carta di debito|ko'
     'rttransaksjon|pagamento carta|pos transaction|acquisto carta|betaalautomaat|carte bancaire|compr'
     'a tarjeta|debit purchase|paiement carte|platnosc karta|card purchase|compra cartao)'),
    ('Card purchase at an unknown merchant (guess) (2)', 'Shopping', 'expense', 9010, 'regex',
     '\\b(?:facture carte|karteneinsatz|kartenzahlung|pagamento pos|point of sale|visa purchase|acquist'
     'o pos|card payment|kartenumsatz|kortbetaling|pago tarjeta|pagobancomat|pin betaling|pos purchase'
     '|visa zahlung|achat carte|compra tarj|contactless|korttimaksu|paiement cb|pinautomaat|pinbetalin'
     'g|pos\\-umsatz|samsung pay|check card|debit card|debitkarte|google pay|korttiosto|visa debit|appl'
     'e pay|betaalpas|checkcard|ec\\-karte|pos debit|purchases|achat cb|card txn|ec karte|girocard)'),
    ('Card purchase at an unknown merchant (guess) (3)', 'Shopping', 'expense', 9020, 'regex',
     '\\b(?:purchase|card no|compras|dankort|eft pos|kortkop|maestro|eftpos|varekj)|\\b(?:compra|carte|c'
     'ard|bea|cb)\\b'),
    ('Direct debit to an unknown payee (guess) (1)', 'Other', 'expense', 9030, 'regex',
     '\\b(?:electronic withdrawal|pre\\-authorized debit|preauthorized payment|automatic withdrawal|prea'
     'uthorized debit|polecenie zaplaty|sepa\\-lastschrift|addebito diretto|basislastschrift|betalingss'
     'ervice|sepa lastschrift|pre\\-auth debit|ach withdrawal|debito direto|domiciliacion|domiciliering'
     '|magtape debit|addebito sdd|bill payment|direct debit|debit order|lastschrift|prelevement|avtale'
     'giro|suoramaksu|ach debit|debicheck|autogiro|incasso|adeudo|recibo|naedo)|\\b(?:prlv|rid|sdd)\\b'),
    ('Direct debit to an unknown payee (guess) (2)', 'Other', 'expense', 9040, 'regex',
     '\\b(?:dd)\\b'),
)
