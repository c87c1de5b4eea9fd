"""Seed the global default categorization rules (data only).

Revision ID: 0002
Revises: 0001

The rule list is frozen HERE, as it was when this migration shipped: a migration must
do the same thing on every database whenever it runs, so it does not read the
application's current default set (budgetwise/services/default_rules.py). Changes to
the default set ship as new data migrations (0004_default_rules_v2.py brings the rules
seeded here to the next version). The rules are stored as global rules (user_id NULL,
origin 'default') so admins can manage them.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def rules_table() -> sa.TableClause:
    return sa.table(
        "rules",
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


def upgrade() -> None:
    bind = op.get_bind()
    categories = {
        name: cid
        for cid, name in bind.execute(
            sa.text("SELECT id, name FROM categories WHERE user_id IS NULL")
        )
    }
    now = datetime.datetime.now(datetime.UTC).replace(tzinfo=None)
    rows = [
        {
            "user_id": None, "category_id": categories[category], "name": name, "priority": priority,
            "match_type": match_type, "pattern": pattern, "min_amount_minor": None, "max_amount_minor": None,
            "kind": kind, "account": None, "origin": "default", "is_active": True,
            "created_at": now, "updated_at": now,
        }
        for name, category, kind, priority, match_type, pattern in SEEDED_RULES
        if category in categories  # a default category an admin removed is skipped
    ]
    if rows:
        op.bulk_insert(rules_table(), rows)


def downgrade() -> None:
    op.execute(sa.text("DELETE FROM rules WHERE user_id IS NULL AND origin = 'default'"))


# The default rule set this migration has always seeded (budgetwise/services/default_rules.py
# as of commit eaaa745). Never edit: ship a new data migration instead.
SEEDED_RULES: tuple[tuple[str, str, str | None, int, str, str], ...] = (
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
    ('Cash withdrawals', 'Other', 'expense', 1120, 'regex',
     '\\b(?:atm|dab|gaa)\\b|\\b(?:disposicion efectivo|cash withdrawal|cash advance|cash machine|geldauto'
     'maat|kontantuttag|levantamento|prelevamento|geldautomat|kateisnosto|retrait dab|auszahlung|geldo'
     'pname|multibanco|withdrawal|cashpoint|kontanter|reintegro|atm cash|bancomat|bankomat|cash wdl|mi'
     'nibank|prelievo|bargeld|retrait|wyplata|cajero|opname|uttag)'),
    ('Taxes (1)', 'Taxes', 'expense', 1130, 'regex',
     '\\b(?:aeat|dvla|hmrc|sars|skat|f24|ibi|imu|irs|tax)\\b|\\b(?:gemeentelijke belasting|agenzia delle '
     "entrate|revenue commissioners|agencia tributaria|taxe d'habitation|agenzia entrate|belastingdien"
     'st|rates and taxes|revenue service|urzad skarbowy|franchise tax|taxe fonciere|tresor public|prop'
     'erty tax|skatteetaten|skatteverket|verohallinto|council tax|grundsteuer|kfz\\-steuer|tax payment|'
     'us treasury|vehicle tax|belasting|finanzamt|irs treas|state tax|hacienda|impots|steuer|dgfip)'),
    ('Taxes (2)', 'Taxes', 'expense', 1140, 'regex',
     '\\b(?:impot|skatt|taxes)'),
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
     'asse|if skadeforsakring|lansforsakringar|centraal beheer|dak\\-gesundheit|hastings direct|mutua m'
     'adrilena|liberty mutual|cosmos direkt|linea directa|travelers ins|ag insurance|krankenkasse|lemo'
     'nade ins|signal iduna|ubezpieczeni|direct line|farmers ins|huk\\-coburg|progressive|reale mutua|d'
     'ialdirect|forsakring|forsikring|gjensidige|huk coburg|interpolis|king price|life cover)'),
    ('Insurance (2)', 'Insurance', 'expense', 1180, 'regex',
     '\\b(?:nationwide|old mutual|outsurance|prudential|state farm|cattolica|churchill|discovery|unipol'
     'sai|allstate|esurance|generali|groupama|momentum|mutuelle|root ins|vakuutus|adeslas|admiral|alli'
     'anz|folksam|hollard|insurer|metlife|sanitas|achmea|barmer|debeka|ethias|mapfre|matmut|sanlam|san'
     'tam|seguro|unipol|aegon|aflac|aviva|geico|macif|miway|warta|lv=)|\\b(?:bupa|devk|ergo|fbto|maaf|m'
     'aif|ohra|r\\+v|tryg|usaa|aok|aon|axa|gmf|mma|pzu)\\b'),
    ('Phone and internet (1)', 'Utilities', 'expense', 1190, 'regex',
     '\\b(?:telecommunication|bouygues telecom|cricket wireless|visible wireless|prepaid airtime|rogers'
     ' wireless|telecom italia|frontier comm|sky broadband|three\\.co\\.uk|virgin mobile|boost mobile|ch'
     'arter comm|free telecom|mobile phone|sunrise comm|tesco mobile|three mobile|virgin media|bell ca'
     'nada|centurylink|data bundle|free mobile|mint mobile|mobile bill|rogers comm|salt mobile|sunrise'
     ' upc|tim s\\.p\\.a|a1 telekom|digi mobil|ee limited|metro by t|red by sfr|sky mobile|telefonica)'),
    ('Phone and internet (2)', 'Utilities', 'expense', 1200, 'regex',
     '\\b(?:broadband|elisa oyj|google fi|hutchison|shaw comm|t\\-mobile|telephone|att bill|bt group|cel'
     'lular|congstar|cox comm|giffgaff|internet|masmovil|movistar|plus gsm|proximus|spark nz|spectrum|'
     'swisscom|talktalk|three uk|vodafone|wind tre|wireless|airtime|comcast|dna oyj|fastweb|freebox|fr'
     'eenet|jazztel|magenta|optimum|plusnet|telecom|telekom|telenet|telenor|telstra|tmobile|verizon|vo'
     'dacom|vzwrlss|windtre|xfinity|cell c|eircom|meteor|sprint|telkom|fiber|fibre|iliad|koodo|lumen)'),
    ('Phone and internet (3)', 'Utilities', 'expense', 1210, 'regex',
     '\\b(?:odido|optus|phone|tele2|telia|telus|yoigo|ziggo)|\\b(?:recharge|orange|at\\&t|1\\&1|fido|rain|'
     'sosh|wifi|eir|isp|kpn|mtn|sfr|bt|ee|o2)\\b'),
    ('Energy and water (1)', 'Utilities', 'expense', 1220, 'regex',
     '\\b(?:prepaid electricity|consumers energy|gas and electric|united utilities|waste management|can'
     'al de isabel|gas \\& electric|power and light|yorkshire water|budget energie|octopus energy|power'
     ' \\& light|scottish power|southern water|anglian water|gasversorgung|georgia power|national grid|'
     'power company|water charges|water company|water utility|elektrizitat|municipality|severn trent|t'
     'hames water|british gas|duke energy|electricite|electricity|gas company|greenchoice|natural gas)'),
    ('Energy and water (2)', 'Utilities', 'expense', 1230, 'regex',
     '\\b(?:welsh water|con edison|electrabel|eversource|stadtwerke|vattenfall|wasserwerk|water bill|ib'
     'erdrola|municipal|utilities|vandebron|abwasser|dominion|electric|gas bill|power co|suez eau|wate'
     'rnet|city of|energia|energie|entergy|garbage|holaluz|luminus|naturgy|utility|ameren|edison|endes'
     'a|energy|essent|evides|fortum|sewage|veolia|vitens|acqua|comed|coned|eneco|engie|eskom|pepco|sew'
     'er|strom|trash)|\\b(?:e\\.on|pg\\&e|water|acea|agua|bulb|enbw|enel|hera|iren|luce|peco|pseg|xcel)\\b'),
    ('Energy and water (3)', 'Utilities', 'expense', 1240, 'regex',
     '\\b(?:a2a|dte|edf|eon|fpl|gaz|luz|ovo|pge|rwe|sse)\\b'),
    ('Streaming and software subscriptions (1)', 'Subscriptions', 'expense', 1250, 'regex',
     '\\b(?:playstation network|kindle unlimited|linkedin premium|playstation plus|prime membership|app'
     'le\\.com bill|apple\\.com/bill|nintendo online|washington post|youtube premium|google storage|new '
     'york times|paramount plus|youtubepremium|apple\\.com/bi|microsoft 365|prenumeration|youtube music'
     '|amazon prime|subscription|abbonamento|apple music|crunchyroll|disney plus|medium\\.com|multichoi'
     'ce|paramount\\+|prime video|sky digital|suscripcion|abonnement|amzn prime|assinatura|canal plus)'),
    ('Streaming and software subscriptions (2)', 'Subscriptions', 'expense', 1260, 'regex',
     '\\b(?:disneyplus|expressvpn|google one|office 365|1password|apple one|calm\\.com|economist|game pa'
     'ss|headspace|sirius xm|videoland|xbox live|apple tv|blinkist|bookbeat|disney\\+|duolingo|lastpass'
     '|le monde|max\\.com|onlyfans|siriusxm|sling tv|storytel|substack|zoom\\.us|audible|britbox|canal\\+'
     '|chatgpt|dropbox|el pais|molotov|napster|netflix|nordvpn|nytimes|pandora|patreon|peacock|showmax'
     '|spiegel|spotify|viaplay|deezer|github|icloud|itunes|notion|now tv|openai|scribd|sky tv|sky uk)'),
    ('Streaming and software subscriptions (3)', 'Subscriptions', 'expense', 1270, 'regex',
     '\\b(?:twitch|adobe|canva|philo|qobuz|rtl\\+|slack|tidal)|\\b(?:dazn|dstv|fubo|hulu|joyn|msft|abo|hb'
     'o|psn)\\b'),
    ('Gym and memberships', 'Subscriptions', 'expense', 1280, 'regex',
     '\\b(?:fitx|gym)\\b|\\b(?:24 hour fitness|anytime fitness|nuffield health|crunch fitness|planet fitn'
     'ess|salle de sport|fitnessstudio|the gym group|virgin active|orangetheory|urban sports|david llo'
     'yd|sportschool|basic\\-fit|clever fit|la fitness|membership|planet gym|basic fit|classpass|crossf'
     'it|gimnasio|palestra|equinox|fitness|peloton|puregym|strava|mcfit)'),
    ('Food delivery', 'Dining', 'expense', 1290, 'regex',
     '\\b(?:skipthedishes|takeaway\\.com|thuisbezorgd|uber \\*eats|lieferando|deliveroo|foodpanda|mr d fo'
     'od|postmates|uber eats|doordash|just eat|mrd food|seamless|ubereats|foodora|grubhub|justeat|menu'
     'log|caviar|swiggy|zomato|glovo)|\\b(?:wolt)\\b'),
    ('Restaurants, cafes and bars (1)', 'Dining', 'expense', 1300, 'regex',
     '\\b(?:cheesecake factory|frankie \\& benny|jack in the box|texas roadhouse|chicken licken|cracker '
     'barrel|firehouse subs|chick\\-fil\\-a|noodles \\& co|panda express|pizza express|pret a manger|roma'
     "n's pizza|bar \\& grill|bottle store|buffalo wild|costa coffee|delicatessen|krispy kreme|mugg \\& "
     'bean|ocean basket|olive garden|pizzaexpress|raising cane|restauration|romans pizza|vida e caffe|'
     'bottle shop|boulangerie|burger king|dairy queen|hungry lion|jersey mike|pasticceria|red lobster)'),
    ('Restaurants, cafes and bars (2)', 'Dining', 'expense', 1310, 'regex',
     '\\b(?:restaurante|restaurants|seattle cof|shake shack|sonic drive|steak house|tim hortons|whatabu'
     'rger|biergarten|bootlegger|bubble tea|caffe nero|dutch bros|food court|food truck|in\\-n\\-out|jim'
     'my john|konditorei|panetteria|pastelaria|pasteleria|patisserie|restaurant|ristorante|smokehouse|'
     'steakhouse|sweetgreen|take\\-away|tim horton|baeckerei|bodeguita|bojangles|brasserie|breakfast|ca'
     'feteria|chickfila|debonairs|fishaways|five guys|gelateria|ice cream|juice bar|mcdonalds)'),
    ('Restaurants, cafes and bars (3)', 'Dining', 'expense', 1320, 'regex',
     '\\b(?:panaderia|papa john|piekarnia|pizza hut|snack bar|starbucks|taco bell|take away|trattoria|w'
     'irtshaus|applebee|backerei|bakeries|bakkerij|barbecue|brauhaus|catering|chipotle|cocktail|creper'
     "ie|culver's|eisdiele|espresso|gasthaus|mcdonald|pizzaria|pizzeria|smoothie|takeaway|taqueria|tra"
     "iteur|wagamama|wine bar|wingstop|brewery|brewing|brewpub|burgers|canteen|cantina|chili's|culvers"
     "|denny's|dishoom|dominos|eiscafe|gasthof|kantine|kitchen|leivomo|nordsee|osteria|outback)"),
    ('Restaurants, cafes and bars (4)', 'Dining', 'expense', 1330, 'regex',
     "\\b(?:popeyes|taproom|taverna|vapiano|wendy's|arby's|bageri|bakery|baskin|bistro|brunch|burger|ch"
     'ilis|coffee|dennys|dining|dinner|domino|dunkin|eatery|galito|gelato|greggs|imbiss|kaffee|kneipe|'
     "koffie|liquor|nandos|noodle|panera|peet's|prezzo|steers|subway|tavern|wasabi|wendys|arbys|bagel|"
     'cafes|caffe|diner|doner|grill|kebab|lunch|mensa|nando|peets|pizza|qdoba|ramen|sushi|tapas|wimpy|'
     'zaxby|zizzi)|\\b(?:resto|boba|cafe|deli|ihop|itsu|spur|thai|bar|bbq|kfc|mcd|pho|pub)\\b'),
    ('Fuel (1)', 'Transport', 'expense', 1340, 'regex',
     '\\b(?:mobil|agip|aral|arco|avia|esso|fuel|galp|okq8|wawa|eni|omv|st1|bp|q8)\\b|\\b(?:tesla supercha'
     'rger|station\\-service|filling station|service station|station service|marathon petro|bensinstasj'
     "on|love's travel|petro\\-canada|pioneer petro|station total|totalenergies|pilot travel|stacja pal"
     'iw|supercharger|total access|chargepoint|combustivel|ev charging|gas station|ip italiana|petroca'
     'nada|phillips 66|puma energy|tankstation|carburante|carburants|exxonmobil|gasolinera|irving oil)'),
    ('Fuel (2)', 'Transport', 'expense', 1350, 'regex',
     '\\b(?:murphy usa|polttoaine|tankstelle|benzinaio|carburant|drivstoff|kwik trip|circle k|flying j|'
     "gasoline|gulf oil|kwiktrip|quiktrip|racetrac|speedway|ultramar|benzina|casey's|chevron|go mart|b"
     'ensin|benzin|caltex|caseys|conoco|diesel|gomart|ionity|lukoil|paliwo|petrol|repsol|sheetz|sunoco'
     '|tamoil|tanken|texaco|valero|ampol|cepsa|citgo|engen|exxon|husky|neste|orlen|preem|sasol|shell)'),
    ('Public transport and taxis (1)', 'Transport', 'expense', 1360, 'regex',
     '\\b(?:train|aprr|bahn|bart|gett|grab|lime|lyft|maut|mbta|mivb|myki|nmbs|opal|rail|ratp|sncb|sncf|'
     'stib|taxi|toll|tram|uber|bus|bvg|cab|cff|dsb|gvb|hsl|htm|hvv|kvb|mta|mvg|obb|pkp|ret|rmv|sbb|tcl'
     '|tfl|tmb|vbb|voi|vvs|sj|vy)\\b|\\b(?:transport for london|national express|vinci autoroutes|metro '
     'de madrid|db fernverkehr|deutsche bahn|metropolitano|ov\\-chipkaart|wiener linien|charlie card|me'
     'tro ticket|addison lee|db vertrieb|atm milano|autostrade|bird rides|emt madrid|trenitalia)'),
    ('Public transport and taxis (2)', 'Transport', 'expense', 1370, 'regex',
     '\\b(?:autopista|bolt ride|citi bike|flixtrain|greyhound|metrocard|ns reizen|rejsekort|telepeage|t'
     'rainline|uber trip|bolt\\.eu|caltrain|dartford|e\\-zpass|free now|gautrain|ns groep|ola cabs|rea v'
     'aya|smartrip|bip\\&go|clipper|de lijn|e\\-toll|fastrak|flixbus|freenow|megabus|railway|sunpass|tra'
     'nsit|amtrak|bicing|cabify|carris|ezpass|myciti|mytaxi|navigo|oyster|presto|trains|ventra|etoll|f'
     'erry|italo|ouigo|ovpay|peage|renfe|ruter|sanef|septa|taxis|tolls|velib|wmata)'),
    ('Parking and car (1)', 'Transport', 'expense', 1380, 'regex',
     "\\b(?:vehicle registration|autowerkstatt|o'reilly auto|stationnement|advance auto|aparcamiento|au"
     'tolavaggio|interparking|park \\& ride|pay by phone|waschstrasse|auto repair|autoservice|car servi'
     'ce|lavage auto|waschanlage|autolavado|car repair|jiffy lube|parcheggio|parkgebuhr|parkmobile|par'
     'kschein|paybyphone|napa auto|parkering|valvoline|werkstatt|autozone|car park|car wash|cartrack|e'
     'asypark|halfords|kwik fit|mechanic|mot test|parkeren|parkhaus|pep boys|spothero|carwash|parking)'),
    ('Parking and car (2)', 'Transport', 'expense', 1390, 'regex',
     '\\b(?:q\\-park|tracker|indigo|parken|parkin|reifen|ringgo|apcoa|dekra|qpark|tires|tyres)|\\b(?:gara'
     'ge|pneu|saba|tire|tyre|atu|dmv|ncp|tuv)\\b'),
    ('Travel (1)', 'Travel', 'expense', 1400, 'regex',
     '\\b(?:singapore airlines|american airlines|austrian airlines|location voiture|turkish airlines|br'
     'itish airways|enterprise rent|united airlines|virgin atlantic|alquiler coche|noleggio auto|norwe'
     'gian air|qatar airways|american air|best western|booking\\.com|frontier air|national car|rent\\-a\\'
     '-car|guest house|holiday inn|hotels\\.com|ita airways|premier inn|aer lingus|aeropuerto|air canad'
     'a|air france|alaska air|budget car|campground|car rental|guesthouse|lastminute|luchthaven)'),
    ('Travel (2)', 'Travel', 'expense', 1410, 'regex',
     '\\b(?:rent a car|skyscanner|spirit air|swiss intl|travelodge|aeroporto|delta air|duty free|eurowi'
     'ngs|flughafen|flysafair|lufthansa|mietwagen|motel one|reiseburo|southwest|transavia|aeroport|air'
     'lines|alitalia|campsite|emirates|europcar|eurostar|holidays|marriott|radisson|sheraton|vacation|'
     'wizz air|airline|airlink|airport|airways|camping|easyjet|edreams|expedia|finnair|holiday|jetblue'
     '|mercure|novotel|ryanair|tap air|trivago|voyages|vueling|westjet|wizzair|airbnb|cathay|condor)'),
    ('Travel (3)', 'Travel', 'expense', 1420, 'regex',
     '\\b(?:cruise|etihad|hilton|hostel|hotels|iberia|kulula|qantas|reisen|resort|thalys|travel|viaggi|'
     'viajes|voyage|westin|accor|agoda|alamo|hertz|hotel|hyatt|kayak|lodge|motel|opodo|viaje)|\\b(?:avi'
     's|b\\&b|ibis|jet2|sixt|vrbo|inn|klm|sas|tui)\\b'),
    ('Supermarkets and groceries (1)', 'Groceries', 'expense', 1430, 'regex',
     '\\b(?:real canadian superstore|dirk van den broek|boxer superstore|dia supermercado|plus supermar'
     "kt|save\\-on\\-foods|bj's wholesale|grocery outlet|k\\-supermarket|smart \\& final|wm supercenter|fr"
     'esh produce|harris teeter|iceland foods|k\\-citymarket|market basket|piggly wiggly|supermercados|'
     'albert heijn|alimentacion|alimentation|fresh market|fruit \\& veg|hipermercado|leader price|leben'
     'smittel|pam panorama|save\\-a\\-lot|stop \\& shop|supermercado|supermercato|weis markets)'),
    ('Supermarkets and groceries (2)', 'Groceries', 'expense', 1440, 'regex',
     '\\b(?:bio company|co\\-op food|food 4 less|food basics|food lovers|freshdirect|giant eagle|grand f'
     'rais|greengrocer|hypermarche|hypermarket|ica kvantum|intermarche|ipermercato|jewel\\-osco|md disc'
     'ount|penny markt|supermarche|supermarked|supermarket|whole foods|winn\\-dixie|albertsons|alimenta'
     'ri|carniceria|continente|costcutter|fishmonger|food lover|food store|fred meyer|giant food|jewel'
     " osco|macelleria|pak'n'save|pick n pay|pingo doce|reformhaus|sam's club|save a lot|supermarkt)"),
    ('Supermarkets and groceries (3)', 'Groceries', 'expense', 1450, 'regex',
     '\\b(?:superstore|trader joe|winn dixie|woolworths|ahorramas|biedronka|bio markt|boucherie|carrefo'
     'ur|countdown|dekamarkt|esselunga|farmfoods|food hall|food lion|food mart|groceries|hoogvliet|ins'
     'tacart|interspar|k\\-market|marktkauf|mercadona|metro inc|metzgerei|minipreco|morrisons|naturalia'
     '|new world|no frills|rema 1000|s\\-market|sainsbury|sams club|stokrotka|superspar|supervalu|syste'
     'me u|wal\\-mart|99 ranch|alnatura|bunnpris|butchery|checkers|delhaize|ekoplaza|epicerie|eurospar)'),
    ('Supermarkets and groceries (4)', 'Groceries', 'expense', 1460, 'regex',
     '\\b(?:eurospin|foodland|foodmart|franprix|hipercor|ica maxi|ica nara|kaufland|kwikspar|monoprix|n'
     'aturasi|nofrills|ok foods|paknsave|picknpay|shoprite|slagerij|waitrose|wholefds|alcampo|biocoop|'
     'bonpreu|budgens|butcher|caprabo|colruyt|freshco|grocery|h\\-e\\-b|hy\\-vee|hyper u|leclerc|loblaws|'
     'markets|produce|provigo|safeway|sprouts|super u|walmart|wegmans|auchan|bennet|booths|centra|co\\-'
     'op|condis|consum|costco|denner|despar|dunnes|eroski|famila|foetex|globus|grocer|h mart|hemkop)'),
    ('Supermarkets and groceries (5)', 'Groceries', 'expense', 1470, 'regex',
     '\\b(?:ingles|kroger|londis|meijer|merkur|migros|picard|picnic|prisma|publix|ralphs|sobeys|tigros|'
     'willys|bilka|billa|coles|conad|denns|edeka|fotex|froiz|gadis|hofer|hyvee|jumbo|meats|netto|ocado'
     '|tegut|tesco|usave|vomar|winco|zabka|pnp)|\\b(?:mercado|mercato|marche|market|norma|penny|aldi|as'
     'da|coop|cora|crai|dino|iper|kiwi|lidl|maxi|meat|meny|nisa|rema|rewe|spar|unes|volg|vons|flm|g20|'
     'heb|ica|iga)\\b'),
    ('Pharmacy and health care (1)', 'Health', 'expense', 1480, 'regex',
     '\\b(?:quest diagnostics|life healthcare|lloyds pharmacy|vision express|kinesitherap|krankenhaus|o'
     'ptometrist|urgent care|veterinaire|arztpraxis|dierenarts|fisioterap|gesundheit|gezondheid|health'
     'care|laboratory|mediclinic|specsavers|tandlakare|ziekenhuis|dis\\-chem|drugstore|orthodont|pharma'
     'cie|psychiatr|psycholog|therapist|veterinar|walgreens|apotheke|apteekki|clinique|dentista|dentis'
     'te|farmacia|fielmann|hospital|huisarts|klinikum|optician|opticien|ospedale|pathcare|pharmacy)'),
    ('Pharmacy and health care (2)', 'Health', 'expense', 1490, 'regex',
     '\\b(?:rite aid|tandarts|tierarzt|zahnarzt|chemist|clinica|dentist|dischem|eyewear|hopital|kliniek'
     '|labcorp|medecin|medical|medizin|netcare|optiker|therapy|ampath|apotek|apteka|clicks|clinic|dent'
     'al|doctor|health|kaiser|klinik|lakare|lancet|medico|optica|ottica|pharma|physio|salute|boots|sal'
     'ud|sante)|\\b(?:arzt|cvs|vet)\\b'),
    ('Personal care (1)', 'Personal Care', 'expense', 1500, 'regex',
     '\\b(?:etos|hair|lush|nail|ulta|spa|dm)\\b|\\b(?:parfumerie douglas|muller drogerie|douglas parfum|t'
     'he body shop|dm\\-drogerie|parrucchiere|dm drogerie|hairdresser|yves rocher|barbershop|drycleaner'
     '|laundromat|lavanderia|marionnaud|peluqueria|tintoreria|toiletries|waescherei|cosmetics|dry clea'
     'n|reinigung|superdrug|wascherei|coiffeur|coiffure|estetica|kapsalon|kosmetik|kruidvat|manicure|p'
     'edicure|pressing|rossmann|stomerij|wasserij|barbers|day spa|friseur|haircut|massage|sephora)'),
    ('Personal care (2)', 'Personal Care', 'expense', 1510, 'regex',
     '\\b(?:barber|beaute|beauty|frisor|kapper|laundr|nocibe|primor|waxing|nails|salon)'),
    ('Education and childcare (1)', 'Education', 'expense', 1520, 'regex',
     '\\b(?:tasse universitarie|frais de scolarite|studiengebuhr|kindergarten|kinderopvang|universiteit'
     '|collegegeld|masterclass|pluralsight|school fees|universidad|universitat|asilo nido|child care|s'
     'killshare|universita|universite|university|childcare|guarderia|matricula|nachhilfe|preschool|aca'
     'demie|akademie|coursera|day care|learning|textbook|tutoring|academy|colegio|college|daycare|escu'
     'ela|nursery|schools|student|tuition|creche|cursus|school|schule|scuola|chegg|curso|ecole|tutor)'),
    ('Education and childcare (2)', 'Education', 'expense', 1530, 'regex',
     '\\b(?:udemy)|\\b(?:exam|kita|edx)\\b'),
    ('Entertainment (1)', 'Entertainment', 'expense', 1540, 'regex',
     '\\b(?:national lottery|barnes \\& noble|fnac spectacles|sporting event|hollywoodbets|ster\\-kinekor'
     '|amazon video|country club|euromillions|show tickets|steampowered|ticketmaster|william hill|coun'
     'try clu|escape room|live nation|paddy power|playstation|waterstones|disneyland|draftkings|epic g'
     'ames|eventbrite|night club|pokerstars|theme park|ticketswap|bookstore|cineworld|ladbrokes|mini g'
     'olf|nightclub|powerball|six flags|aquarium|cinemark|concerts|festival|lotteria|nintendo)'),
    ('Entertainment (2)', 'Entertainment', 'expense', 1550, 'regex',
     '\\b(?:nu metro|seatgeek|sporting|betting|bowling|cinemas|concert|eventim|fanduel|karaoke|konzert|'
     'loteria|loterie|lottery|stadium|stubhub|theater|theatre|tickets|arcade|bet365|betway|casino|cine'
     'ma|events|gaming|movies|museum|teatro|thalia|theatr|arena|books|event|games|lotto|movie|musee|mu'
     'seo|music|odeon|pathe|regal|steam|vinyl)|\\b(?:bwin|cine|golf|kino|xbox|amc|ugc|vue|zoo)\\b'),
    ('Gifts and donations (1)', 'Gifts & Donations', 'expense', 1560, 'regex',
     '\\b(?:medecins sans frontieres|doctors without borders|save the children|1\\-800\\-flowers|salvatio'
     'n army|croix\\-rouge|funky pigeon|croce rossa|fundraising|kickstarter|non\\-profit|rotes kreuz|cha'
     'ritable|fondazione|foundation|fundraiser|greenpeace|interflora|justgiving|cruz roja|donations|do'
     'nazione|fondation|fundacion|nonprofit|red cross|stichting|donation|donativo|geschenk|gofundme|ha'
     'llmark|stiftung|amnesty|cadeaux|charity|donatie|fleurop|florist|flowers|iglesia|moonpig|spenden)'),
    ('Gifts and donations (2)', 'Gifts & Donations', 'expense', 1570, 'regex',
     '\\b(?:cadeau|chiesa|church|donate|eglise|kirche|regali|regalo|spende|unicef|gifts|oxfam|tithe|zak'
     'at)|\\b(?:gift|kerk|msf|ngo|wwf)\\b'),
    ('Shopping (1)', 'Shopping', 'expense', 1580, 'regex',
     '\\b(?:amazon marketplace|galeries lafayette|marks and spencer|department store|home improvement|m'
     'arks \\& spencer|amazon mktplace|el corte ingles|online purchase|dollar general|nursery garden|so'
     'strene grene|abbigliamento|canadian tire|family dollar|garden center|garden centre|grand magasin'
     '|harvey norman|pccomponentes|sports direct|the warehouse|construction|flying tiger|gartencenter|'
     "hudson's bay|leroy merlin|micro center|office depot|pets at home|walmart\\.com|amazon\\.com)"),
    ('Shopping (2)', 'Shopping', 'expense', 1590, 'regex',
     '\\b(?:apple store|bricomarche|clas ohlson|costco\\.com|dollar tree|electrician|electronics|foot lo'
     'cker|game stores|gioielleria|hobby lobby|media markt|microcenter|officeworks|ross stores|aliexpr'
     'ess|apple\\.com|b\\&h photo|bekleidung|bijouterie|chaussures|contractor|elektronik|elgiganten|ferr'
     'amenta|ferreteria|five below|footlocker|home depot|jardinerie|john lewis|la redoute|mediamarkt|m'
     'ediaworld|pep stores|smoke shop|ackermans|boulanger|bouwmarkt|bricolage|cashbuild|castorama)'),
    ('Shopping (3)', 'Shopping', 'expense', 1600, 'regex',
     '\\b(?:cdiscount|decathlon|fressnapf|furniture|jb hi\\-fi|jd sports|marshalls|nordstrom|pet store|p'
     'oundland|power\\.no|printemps|the range|toy store|toys r us|vetements|wish\\.com|baumarkt|bed bath'
     '|best buy|bol\\.com|boutique|builders|bunnings|clothing|coolblue|euronics|gamestop|handyman|hardw'
     'are|homebase|hornbach|jcpenney|kaufhaus|michaels|mitre 10|mr price|old navy|pc world|petsmart|pl'
     'umbing|schoenen|screwfix|shopping|takealot|alibaba|apparel|bauhaus|bestbuy|biltema|dillard)'),
    ('Shopping (4)', 'Shopping', 'expense', 1610, 'regex',
     '\\b(?:fashion|galeria|jb hifi|joyeria|kleding|menards|meubles|muebles|paypal |plumber|primark|roo'
     'fing|schmuck|smokers|staples|tj maxx|tk maxx|tobacco|unieuro|wayfair|winners|zalando|zapatos|zoo'
     "plus|adidas|amazon|currys|dunelm|edgars|expert|h/ware|karwei|kohl's|lowe's|macy's|meubel|mobili|"
     'newegg|outlet|saturn|scarpe|schuhe|smyths|stores|target|tjmaxx|uniqlo|vivero|wickes|worten|argos'
     '|big w|brico|darty|gamma|jewel|joann|kiosk|kmart|kohls|lowes|macys|makro|mobel|petco|sears)'),
    ('Shopping (5)', 'Shopping', 'expense', 1620, 'regex',
     '\\b(?:shein|shoes|tabac|tabak|wilko)|\\b(?:action|store|amzn|asos|b\\&m|b\\&q|ebay|etsy|fnac|h\\&m|he'
     'ma|ikea|jula|lego|m\\&s|mall|nike|otto|ropa|shoe|shop|tedi|temu|toom|toys|vape|zara|diy|gap|kik|m'
     'rp|obi|pep)\\b'),
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

