"""Word lists the speaker resolver needs: roles, organisation/medium/state words, countries, parties.

Kept apart from the resolver's logic so the lists can grow without touching it. All keys are lower case;
compound nouns are matched by suffix (Außenamtssprecherin ends in "sprecherin"), so a list holds stems.
"""
from __future__ import annotations

# Role nouns (masculine stems): a compound ending in one of these names a person by function.
# The feminine form is the stem + "in" (Sprecherin) and is recognised by the resolver.
ROLE_STEMS = (
    "präsident", "kanzler", "sprecher", "minister", "generalsekretär", "sekretär", "vorsitzender", "vorsitzende",
    "chef", "leiter", "direktor", "anwalt", "anwält", "richter", "bürgermeister", "abgeordneter", "abgeordnete",
    "senator", "botschafter", "gouverneur", "premier", "premierminister", "ministerpräsident", "trainer",
    "experte", "korrespondent", "reporter", "redakteur", "journalist", "professor", "kommandant", "general",
    "oberst", "admiral", "bischof", "papst", "könig", "königin", "prinz", "prinzessin", "manager",
    "geschäftsführer", "mitarbeiter", "vertreter", "funktionär", "polizist", "kommissar", "beamter", "beamte",
    "diplomat", "analyst", "wissenschaftler", "forscher", "arzt", "ärzt", "autor", "schauspieler", "sänger",
    "mitglied", "kandidat", "gründer", "inhaber", "berater", "beauftragter", "beauftragte", "kollege",
    "kritiker", "befürworter", "gegner", "ermittler", "staatsanwalt", "staatsanwält", "verteidiger",
    "kläger", "angeklagter", "angeklagte", "zeuge", "augenzeuge", "opfer", "sprecherin", "kapitän",
    "spieler", "bundestrainer", "nationaltrainer", "vizepräsident", "vize", "stellvertreter", "unternehmer",
    "aktivist", "ökonom", "volkswirt", "historiker", "politiker", "politologe", "soziologe", "ingenieur",
    "pilot", "offizier", "soldat", "bewohner", "einwohner", "bauer", "landwirt", "farmer", "arbeiter",
    "anführer", "führer", "regisseur", "künstler", "musiker", "schriftsteller", "dichter", "philosoph",
    "theologe", "pfarrer", "rabbiner", "imam", "scheich", "emir", "kaiser", "herzog", "fürst", "graf",
    "staatssekretär", "staatschef", "regierungschef", "parteichef", "fraktionschef", "außenamtssprecher",
    "mediziner", "virologe", "epidemiologe", "psychologe", "jurist", "ökologe", "biologe", "physiker",
    "chemiker", "astronom", "meteorologe", "geologe", "sprecherinnen", "moderator", "kommentator",
    "herausgeber", "verleger", "intendant", "koordinator", "organisator", "veranstalter", "betreiber",
    "eigentümer", "besitzer", "präses", "ratsvorsitzender", "dekan", "rektor", "lehrer", "schüler",
    "student", "gewerkschafter", "lobbyist", "händler", "banker", "investor", "aktionär",
    "mandant", "mandantin", "vorstand", "angestellte", "angestellter", "jährige", "jähriger", "anwältin", "ärztin", "beamtin", "chefin", "kollegin",
)

# Role synonyms that a later definite description may use for an earlier, more specific role.
ROLE_SYNONYMS = {
    "staatschef": ("präsident", "staatschef", "staatsoberhaupt", "könig"),
    "regierungschef": ("kanzler", "premier", "premierminister", "ministerpräsident", "regierungschef"),
    "chef": ("chef", "vorsitzender", "vorsitzende", "leiter", "präsident", "direktor", "geschäftsführer"),
    "vorsitzende": ("vorsitzende", "vorsitzender", "chef", "präsident"),
    "vorsitzender": ("vorsitzende", "vorsitzender", "chef", "präsident"),
    "premier": ("premier", "premierminister", "ministerpräsident", "regierungschef"),
}

# Feminine role nouns that are not stem + "in".
FEMININE_ROLES = ("anwältin", "ärztin", "beamtin", "kollegin", "frau", "königin", "prinzessin", "mandantin")

# Nouns whose compounds are organisations (suffix match).
ORGANISATION_SUFFIXES = (
    "partei", "polizei", "staatsanwaltschaft", "gericht", "gerichtshof", "verband", "verbände", "verein",
    "gewerkschaft", "bank", "konzern", "unternehmen", "firma", "gruppe", "stiftung", "institut", "universität",
    "kommission", "bundestag", "parlament", "kongress", "senat", "armee", "militär", "streitkräfte",
    "feuerwehr", "organisation", "union", "kirche", "club", "klub", "gesellschaft", "behörde", "bündnis",
    "allianz", "fraktion", "opposition", "koalition", "bewegung", "initiative", "netzwerk", "kammer",
    "zentrale", "rat", "ausschuss", "komitee", "hochschule", "schule", "klinik", "krankenhaus", "museum",
    "theater", "orchester", "mannschaft", "team", "akademie", "agentur", "werk", "werke", "bahn", "post", "behörden",
    "börse", "versicherung", "kasse", "genossenschaft", "ag", "gmbh", "verwaltung", "stadtreinigung",
    "staatsanwälte", "sonderkommission", "kriminalpolizei", "marine", "luftwaffe", "geheimdienst", "dienst",
    "plattenfirma", "fluggesellschaft", "airline", "airlines", "holding", "label", "sekretariat", "forum",
    "vereinigung", "gemeinschaft", "sicherheitsrat", "aufsichtsrat", "betriebsrat", "stadtrat", "gemeinderat",
    "europarat", "menschenrechtsrat", "ethikrat", "ministerrat", "sachverständigenrat", "zentralrat", "arbeitskreis", "umwelthilfe", "verfassungsschutz", "bundeswehr", "nationen", "führung", "bundesamt", "ämter",
)

# Organisation words in other languages (Human Rights Watch, Amnesty International, ...).
ORGANISATION_WORDS = (
    "watch", "international", "association", "organization", "organisation", "authority", "party", "group",
    "inc", "inc.", "corp", "corp.", "ltd", "ltd.", "company", "foundation", "institute", "council", "committee",
    "agency", "university", "bank", "airlines", "motors", "corporation", "union", "league", "federation",
    "fund", "network", "alliance", "movement", "front", "army", "congress", "commission", "greenpeace",
    "amnesty", "unicef", "unesco", "nato", "uno", "un", "eu", "opec", "who", "imf", "iwf", "wto", "icann",
    "nasa", "esa", "fifa", "uefa", "ioc", "dfb", "adac", "bundeswehr", "interpol", "europol", "taliban",
    "hamas", "hisbollah", "fatah", "al-kaida", "sony", "siemens", "airbus", "eads", "google", "apple",
    "microsoft", "facebook", "meta", "amazon", "volkswagen", "vw", "bmw", "daimler", "telekom", "lufthansa",
    "bayer", "basf", "rwe", "eon", "e.on", "vattenfall", "gazprom", "rosneft",
)

# Organs of a state or government (suffix match); their quotations speak for a state.
STATE_SUFFIXES = (
    "regierung", "ministerium", "ministerien", "außenamt", "kanzleramt", "präsidialamt", "kreml",
    "staatskanzlei", "weißes haus", "weißen hauses", "pentagon", "élysée", "elysee", "bundesrat",
    "auswärtiges amt", "auswärtigen amt", "außenministerium", "verteidigungsministerium", "senatsverwaltung",
    "landesregierung", "staatsregierung", "administration", "regime", "junta", "staat", "staaten",
    "downing street", "kabinett",
)

# Media: names, and nouns whose compounds are media (Wochenzeitung, Fernsehsender, Nachrichtenagentur).
MEDIUM_SUFFIXES = (
    "zeitung", "magazin", "agentur", "nachrichtenagentur", "sender", "fernsehsender", "rundfunk", "radio",
    "blatt", "zeitschrift", "journal", "portal", "nachrichtenportal", "website", "webseite", "blog",
    "fernsehen", "presse", "medien", "medium", "tageszeitung", "wochenzeitung", "boulevardzeitung",
    "nachrichtensender", "nachrichtenmagazin", "onlineportal", "fernsehkanal", "kanal", "tv", "rundschau",
    "kurier", "anzeiger",
)
MEDIUM_NAMES = (
    "spiegel", "der spiegel", "dpa", "afp", "ap", "reuters", "ddp", "epd", "kna", "sid", "apa", "ansa",
    "efe", "bbc", "bbc news", "cnn", "ard", "zdf", "n-tv", "ntv", "n24", "rtl", "sat.1", "tagesschau",
    "tagesthemen", "bild", "bild-zeitung", "welt", "die welt", "faz", "sz", "taz", "focus", "stern", "zeit",
    "die zeit", "handelsblatt", "guardian", "le monde", "le figaro", "new york times", "the new york times",
    "washington post", "the washington post", "los angeles times", "wall street journal", "financial times",
    "times", "the times", "el país", "el pais", "corriere della sera", "la repubblica", "interfax",
    "itar-tass", "tass", "ria nowosti", "ria novosti", "xinhua", "al-dschasira", "al jazeera", "al-jazeera",
    "al-arabija", "fox news", "abc", "cbs", "nbc", "msnbc", "sky news", "euronews", "deutsche welle", "dw",
    "mdr", "ndr", "wdr", "swr", "br", "hr", "rbb", "orf", "srf", "süddeutsche zeitung", "frankfurter allgemeine",
    "frankfurter rundschau", "neues deutschland", "junge welt", "wikinews", "wikipedia", "bernama",
    "le canard enchaîné", "the jakarta post", "news.bbc.co.uk", "icelandreview.com", "yonhap", "kyodo",
    "asahi shimbun", "prawda", "iswestija", "kommersant", "bloomberg", "associated press",
)

# Countries (German names); a capital or seat of government stands for its country's government.
COUNTRIES = (
    "Afghanistan", "Ägypten", "Albanien", "Algerien", "Argentinien", "Armenien", "Aserbaidschan",
    "Äthiopien", "Australien", "Bangladesch", "Belarus", "Belgien", "Bolivien", "Bosnien-Herzegowina",
    "Brasilien", "Bulgarien", "Chile", "China", "Dänemark", "Deutschland", "Ecuador", "Estland", "Finnland",
    "Frankreich", "Georgien", "Griechenland", "Großbritannien", "Indien", "Indonesien", "Irak", "Iran",
    "Irland", "Island", "Israel", "Italien", "Japan", "Jemen", "Jordanien", "Kambodscha", "Kamerun",
    "Kanada", "Kasachstan", "Katar", "Kenia", "Kolumbien", "Kongo", "Kosovo", "Kroatien", "Kuba", "Kuwait",
    "Lettland", "Libanon", "Libyen", "Litauen", "Luxemburg", "Malaysia", "Mali", "Marokko", "Mexiko",
    "Moldau", "Mongolei", "Montenegro", "Myanmar", "Nepal", "Neuseeland", "Niederlande", "Nigeria",
    "Nordkorea", "Nordmazedonien", "Norwegen", "Österreich", "Osttimor", "Pakistan", "Palästina", "Peru",
    "Philippinen", "Polen", "Portugal", "Ruanda", "Rumänien", "Russland", "Saudi-Arabien", "Schweden",
    "Schweiz", "Senegal", "Serbien", "Simbabwe", "Singapur", "Slowakei", "Slowenien", "Somalia", "Spanien",
    "Sri Lanka", "Südafrika", "Sudan", "Südkorea", "Syrien", "Taiwan", "Thailand", "Tschechien", "Tunesien",
    "Türkei", "Uganda", "Ukraine", "Ungarn", "Uruguay", "USA", "Usbekistan", "Venezuela", "Vietnam",
    "Weißrussland", "Zypern", "Ecuador", "Paraguay", "Guyana", "Suriname", "Haiti", "Jamaika", "Panama",
    "Honduras", "Guatemala", "Nicaragua", "El Salvador", "Costa Rica", "Dominikanische Republik", "Laos", "Bhutan",
    "Turkmenistan", "Tadschikistan", "Kirgistan", "Oman", "Bahrain", "Ghana", "Tansania", "Sambia", "Angola",
    "Mosambik", "Namibia", "Botswana", "Madagaskar", "Tschad", "Niger", "Eritrea", "Dschibuti", "Südsudan", "Vereinigte Staaten", "Vereinigten Staaten", "Vatikan", "Taiwan", "Tibet",
)
CAPITALS = {
    "moskau": "Russland", "kreml": "Russland", "washington": "USA", "peking": "China", "beijing": "China",
    "berlin": "Deutschland", "paris": "Frankreich", "london": "Großbritannien", "kiew": "Ukraine",
    "kyjiw": "Ukraine", "teheran": "Iran", "ankara": "Türkei", "jerusalem": "Israel", "damaskus": "Syrien",
    "tokio": "Japan", "seoul": "Südkorea", "pjöngjang": "Nordkorea", "neu-delhi": "Indien",
    "islamabad": "Pakistan", "kabul": "Afghanistan", "bagdad": "Irak", "kairo": "Ägypten", "riad": "Saudi-Arabien",
    "warschau": "Polen", "rom": "Italien", "madrid": "Spanien", "wien": "Österreich", "bern": "Schweiz",
    "minsk": "Belarus", "tiflis": "Georgien", "caracas": "Venezuela", "havanna": "Kuba", "athen": "Griechenland",
    "budapest": "Ungarn", "prag": "Tschechien", "stockholm": "Schweden", "oslo": "Norwegen",
    "kopenhagen": "Dänemark", "helsinki": "Finnland", "den haag": "Niederlande", "lissabon": "Portugal",
    "ottawa": "Kanada", "canberra": "Australien", "beirut": "Libanon", "tripolis": "Libyen",
    "taipeh": "Taiwan", "hanoi": "Vietnam", "bangkok": "Thailand", "jakarta": "Indonesien",
    "nairobi": "Kenia", "kampala": "Uganda", "harare": "Simbabwe", "pretoria": "Südafrika", "abuja": "Nigeria",
    "reykjavík": "Island", "reykjavik": "Island", "bukarest": "Rumänien", "sofia": "Bulgarien",
    "belgrad": "Serbien", "zagreb": "Kroatien", "vilnius": "Litauen", "riga": "Lettland", "tallinn": "Estland",
    "eriwan": "Armenien", "baku": "Aserbaidschan", "astana": "Kasachstan", "mexiko-stadt": "Mexiko",
    "brasília": "Brasilien", "buenos aires": "Argentinien", "bogotá": "Kolumbien", "lima": "Peru",
}

# Country adjectives (stem before the inflection) → country; "der ukrainische Präsident" → Ukraine.
COUNTRY_ADJECTIVES = {
    "ukrainisch": "Ukraine", "russisch": "Russland", "deutsch": "Deutschland", "amerikanisch": "USA",
    "us-amerikanisch": "USA", "französisch": "Frankreich", "britisch": "Großbritannien", "englisch": "Großbritannien",
    "chinesisch": "China", "italienisch": "Italien", "spanisch": "Spanien", "polnisch": "Polen",
    "türkisch": "Türkei", "iranisch": "Iran", "irakisch": "Irak", "israelisch": "Israel",
    "palästinensisch": "Palästina", "syrisch": "Syrien", "libanesisch": "Libanon", "ägyptisch": "Ägypten",
    "japanisch": "Japan", "venezolanisch": "Venezuela", "niederländisch": "Niederlande", "belgisch": "Belgien",
    "österreichisch": "Österreich", "schweizerisch": "Schweiz", "schweizer": "Schweiz", "griechisch": "Griechenland",
    "ungarisch": "Ungarn", "tschechisch": "Tschechien", "schwedisch": "Schweden", "norwegisch": "Norwegen",
    "dänisch": "Dänemark", "finnisch": "Finnland", "isländisch": "Island", "indisch": "Indien",
    "pakistanisch": "Pakistan", "afghanisch": "Afghanistan", "nordkoreanisch": "Nordkorea",
    "südkoreanisch": "Südkorea", "kanadisch": "Kanada", "mexikanisch": "Mexiko", "brasilianisch": "Brasilien",
    "argentinisch": "Argentinien", "kubanisch": "Kuba", "saudisch": "Saudi-Arabien", "südafrikanisch": "Südafrika",
    "nigerianisch": "Nigeria", "kenianisch": "Kenia", "ugandisch": "Uganda", "australisch": "Australien",
    "neuseeländisch": "Neuseeland", "thailändisch": "Thailand", "indonesisch": "Indonesien",
    "malaysisch": "Malaysia", "philippinisch": "Philippinen", "vietnamesisch": "Vietnam", "belarussisch": "Belarus",
    "weißrussisch": "Belarus", "georgisch": "Georgien", "serbisch": "Serbien", "kroatisch": "Kroatien",
    "bosnisch": "Bosnien-Herzegowina", "kosovarisch": "Kosovo", "albanisch": "Albanien", "rumänisch": "Rumänien",
    "bulgarisch": "Bulgarien", "portugiesisch": "Portugal", "irisch": "Irland", "libysch": "Libyen",
    "tunesisch": "Tunesien", "marokkanisch": "Marokko", "algerisch": "Algerien", "kolumbianisch": "Kolumbien",
    "chilenisch": "Chile", "peruanisch": "Peru", "bolivianisch": "Bolivien", "simbabwisch": "Simbabwe",
    "jemenitisch": "Jemen", "jordanisch": "Jordanien", "katarisch": "Katar", "kasachisch": "Kasachstan",
    "litauisch": "Litauen", "lettisch": "Lettland", "estnisch": "Estland", "slowakisch": "Slowakei",
    "slowenisch": "Slowenien", "zyprisch": "Zypern", "osttimoresisch": "Osttimor", "mongolisch": "Mongolei",
    "ecuadorianisch": "Ecuador", "uruguayisch": "Uruguay", "paraguayisch": "Paraguay", "europäisch": "EU", "bayerisch": "Bayern", "sächsisch": "Sachsen", "hessisch": "Hessen",
    "nordrhein-westfälisch": "Nordrhein-Westfalen", "niedersächsisch": "Niedersachsen",
    "baden-württembergisch": "Baden-Württemberg", "thüringisch": "Thüringen", "brandenburgisch": "Brandenburg",
}

# Political parties, kept as a descriptor when written after a name: "Kristina Schröder (CDU)".
PARTIES = (
    "cdu", "csu", "spd", "fdp", "grüne", "grünen", "linke", "linken", "die linke", "afd", "bsw", "pds", "npd",
    "ödp", "piraten", "piratenpartei", "freie wähler", "cdu/csu", "bündnis 90/die grünen", "wasg", "dkp",
    "övp", "spö", "fpö", "svp", "sp", "republikaner", "demokraten", "labour", "tories", "mdc", "anc", "kpö",
)

# Nouns that carry what someone said rather than who said it: "Angaben der Polizei" → die Polizei.
CARRIER_NOUNS = (
    "angaben", "angabe", "aussagen", "aussage", "bericht", "berichten", "berichte", "berichts", "erklärung",
    "mitteilung", "pressemitteilung", "presseerklärung", "studie", "papier", "positionspapier", "memorandum",
    "informationen", "information", "meldung", "meldungen", "stellungnahme", "einschätzung", "ansicht",
    "auffassung", "meinung", "vorwürfe", "vorwurf", "versprechen", "tenor", "dokument", "geheimdokument",
    "beschluss", "appell", "untersuchungen", "untersuchung", "zeugenaussagen", "darstellung", "schätzung",
    "schätzungen", "worte", "worten", "äußerungen", "äußerung", "vorstellungen", "vorstellung", "urteil",
    "brief", "schreiben", "interview", "rede", "ansprache", "mitteilungen", "polizeiangaben", "sicht",
    "überzeugung", "einschätzungen", "prognose", "prognosen", "umfrage", "analyse", "gutachten", "website",
    "homepage", "webseite", "twitter", "tweet", "blog", "sprecherangaben", "regierungsangaben",
    "behördenangaben", "medienberichten", "medienberichte", "korrespondentenberichten", "zeugen",
)

# Words that point back to the source named just before ("den Angaben zufolge", "demnach").
BACK_REFERENCES = ("demnach", "dementsprechend", "danach", "hiernach", "dessen", "deren", "dem", "diesem")

# Vague sources: a speaker that says "it was said" without a name.
ANONYMOUS_HEADS = (
    "beobachter", "experten", "experte", "kreise", "kreisen", "militärkreisen", "regierungskreisen",
    "insider", "quellen", "quelle", "augenzeugen", "augenzeuge", "zeugen", "kritiker", "medien", "berichten",
    "berichte", "gerüchte", "gerüchten", "medienberichten", "medienberichte", "korrespondentenberichten",
    "man", "es", "jemand", "anwohner", "bewohner", "passanten", "teilnehmer", "fans", "nutzer", "analysten",
    "politiker", "politikern", "wissenschaftler", "forscher", "ermittler", "diplomaten", "beamte", "vertreter",
    "sprecher", "sprecherin", "sprecherinnen", "mitarbeiter", "einwohner", "farmer", "bauern", "ärzte",
)

# Two-word institution names whose adjective HanTa tags separately; oblique forms map to the nominative.
PHRASES = {
    "weißen hauses": ("Weißes Haus", "state"), "weißes haus": ("Weißes Haus", "state"),
    "weiße haus": ("Weißes Haus", "state"), "roten kreuzes": ("Rotes Kreuz", "organisation"),
    "rote kreuz": ("Rotes Kreuz", "organisation"), "rotes kreuz": ("Rotes Kreuz", "organisation"),
    "roten kreuz": ("Rotes Kreuz", "organisation"), "vereinten nationen": ("Vereinte Nationen", "organisation"),
    "vereinte nationen": ("Vereinte Nationen", "organisation"), "auswärtige amt": ("Auswärtiges Amt", "state"),
    "auswärtigen amt": ("Auswärtiges Amt", "state"), "auswärtigen amtes": ("Auswärtiges Amt", "state"),
    "auswärtiges amt": ("Auswärtiges Amt", "state"),
}

# Officials who speak for an institution when the article does not name them ("die Richter" → the court).
ROLE_INSTITUTIONS = {"richter": "gericht", "staatsanwalt": "staatsanwaltschaft", "polizist": "polizei",
                     "ermittler": "staatsanwaltschaft", "verteidiger": "verteidigung"}

# Nouns that introduce a named place or thing, not a speaker: "die Dörfer Coca und Cocachimba".
PLACE_NOUNS = {"dorf", "dörfer", "stadt", "städte", "fluss", "region", "provinz", "insel", "ort", "orte", "gemeinde",
               "bundesstaat", "bundesland", "kreis", "landkreis", "bezirk", "stadtteil", "hauptstadt", "see", "berg",
               "schiff", "flughafen", "hotel", "straße", "platz", "viertel", "tal", "küste", "hafen", "stadion",
               "krankenhaus", "gefängnis", "lager", "camp", "vulkan", "wirbelsturm", "hurrikan", "taifun", "sturm",
               "tief", "hoch", "orkan", "film", "buch", "album", "lied", "song", "operation", "mission", "projekt"}

# Continents and regions: places, never speakers.
REGIONS = {"europa", "afrika", "asien", "amerika", "südamerika", "nordamerika", "lateinamerika", "australien",
           "ozeanien", "nahost", "mittelamerika", "skandinavien", "osteuropa", "westeuropa", "arktis", "antarktis"}

# Heads naming a camp for or against the person named after them: never that person.
OPPOSED_HEADS = ("gegner", "befürworter", "kritiker", "anhänger", "unterstützer", "widersacher", "herausforderer")
