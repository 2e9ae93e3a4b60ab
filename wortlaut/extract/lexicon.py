"""German quotation lexicon: cue verbs with their medium, source prepositions, quote marks and how they pair.

Shared by the rule extractor and the learned model (as features), so both agree on what a cue is.
Lemmas are HanTa lemmas; separable particle verbs are listed joined ("einräumen") and matched from
"räumte ... ein" by `particle_lemma`.
"""

from __future__ import annotations

from ..document import Token

# The dataset marks thought verbs as speech-or-thought ("ST"): a hope or a belief is reported because it was voiced.
SPEECH, THOUGHT, WRITING, SPEECH_OR_WRITING = "Speech", "ST", "Writing", "SW"

#: cue verb lemma → medium of what it reports.
CUE_LEMMAS: dict[str, str] = {
    # speech
    **dict.fromkeys(
        [
            "sagen",
            "erklären",
            "betonen",
            "seufzen",
            "monieren",
            "einräumen",
            "äußern",
            "sprechen",
            "meinen",
            "fügen",
            "hinzufügen",
            "ergänzen",
            "antworten",
            "entgegnen",
            "erwidern",
            "behaupten",
            "versichern",
            "bekräftigen",
            "unterstreichen",
            "hervorheben",
            "erläutern",
            "ausführen",
            "erzählen",
            "ankündigen",
            "verkünden",
            "bekannt",
            "angeben",
            "bestätigen",
            "dementieren",
            "bestreiten",
            "zugeben",
            "gestehen",
            "einwenden",
            "einwerfen",
            "warnen",
            "mahnen",
            "fordern",
            "verlangen",
            "kritisieren",
            "beklagen",
            "klagen",
            "bemängeln",
            "beanstanden",
            "loben",
            "begrüßen",
            "bedauern",
            "zurückweisen",
            "vorwerfen",
            "unterstellen",
            "beschuldigen",
            "drohen",
            "androhen",
            "versprechen",
            "zusagen",
            "appellieren",
            "aufrufen",
            "auffordern",
            "bitten",
            "empfehlen",
            "raten",
            "vorschlagen",
            "anregen",
            "verteidigen",
            "rechtfertigen",
            "begründen",
            "insistieren",
            "beharren",
            "hinweisen",
            "verweisen",
            "feststellen",
            "konstatieren",
            "klarstellen",
            "präzisieren",
            "zitieren",
            "rufen",
            "schreien",
            "skandieren",
            "flüstern",
            "murmeln",
            "jubeln",
            "scherzen",
            "spotten",
            "lästern",
            "schimpfen",
            "nennen",
            "bezeichnen",
            "kommentieren",
            "resümieren",
            "bilanzieren",
            "folgern",
            "schließen",
            "zugestehen",
            "beteuern",
            "bekennen",
            "bejahen",
            "verneinen",
            "ablehnen",
            "verurteilen",
            "drängen",
            "pochen",
            "plädieren",
            "werben",
            "prophezeien",
            "vorhersagen",
            "prognostizieren",
            "informieren",
            "verlauten",
            "lauten",
            "heißen",
            "entscheiden",
            "beschließen",
            "vorsehen",
            "vereinbaren",
            "argumentieren",
            "urteilen",
            "bemerken",
            "anmerken",
            "kontern",
            "zusichern",
            "wiederholen",
            "signalisieren",
            "verdeutlichen",
            "darlegen",
            "verraten",
            "eingestehen",
            "offenbaren",
            "anführen",
            "vortragen",
            "beschreiben",
            "schildern",
            "bekunden",
            "erinnern",
            "mutmaßen",
            "klären",
            "beziffern",
            "einstufen",
            "aussprechen",
            "werten",
        ],
        SPEECH,
    ),
    # thought
    **dict.fromkeys(
        [
            "denken",
            "glauben",
            "hoffen",
            "befürchten",
            "fürchten",
            "vermuten",
            "annehmen",
            "ausgehen",
            "überzeugen",
            "zweifeln",
            "bezweifeln",
            "erwarten",
            "schätzen",
            "finden",
            "wissen",
            "ahnen",
            "träumen",
            "überlegen",
            "wünschen",
            "sorgen",
            "spekulieren",
            "planen",
            "beabsichtigen",
        ],
        THOUGHT,
    ),
    # writing
    **dict.fromkeys(["schreiben", "twittern", "posten", "veröffentlichen", "notieren", "formulieren"], WRITING),
    # speech or writing: "berichtete", "teilte mit" report either
    **dict.fromkeys(["berichten", "mitteilen", "melden", "bekanntgeben"], SPEECH_OR_WRITING),
}

#: cues that summarise a speech act with an object instead of a clause ("wies die Forderung zurück").
REPORTED_LEMMAS: frozenset[str] = frozenset(
    [
        "zurückweisen",
        "verteidigen",
        "drängen",
        "kritisieren",
        "fordern",
        "verlangen",
        "begrüßen",
        "vorwerfen",
        "bezeichnen",
        "nennen",
        "warnen",
        "loben",
        "bedauern",
        "beklagen",
        "bemängeln",
        "dementieren",
        "bestreiten",
        "ankündigen",
        "appellieren",
        "aufrufen",
        "pochen",
        "plädieren",
        "werben",
        "bestätigen",
        "verkünden",
        "sprechen",
        "berichten",
        "verweisen",
        "hinweisen",
        "beziffern",
        "einstufen",
        "aussprechen",
        "werten",
    ]
)

#: verbs that reject or deny: what follows them is someone else's claim, not the denier's ("wies Berichte
#: zurück, wonach …", "dementierte, dass …").
DENIAL_LEMMAS: frozenset[str] = frozenset(
    ["zurückweisen", "ablehnen", "dementieren", "bestreiten", "widersprechen", "verneinen"]
)
#: nouns naming a claim, report or proposal: with a complement clause they are its source ("den Vorschlag des
#: Ministers ab, die Steuern zu senken").
CONTENT_NOUNS: frozenset[str] = frozenset(
    [
        "Bericht",
        "Pressebericht",
        "Medienbericht",
        "Pressemeldung",
        "Meldung",
        "Vorwurf",
        "Anschuldigung",
        "Beschuldigung",
        "Darstellung",
        "Vorschlag",
        "Forderung",
        "Behauptung",
        "Gerücht",
        "Spekulation",
        "Vermutung",
        "Verdacht",
        "Aussage",
        "Äußerung",
        "Angabe",
        "Einschätzung",
        "Kritik",
        "Appell",
        "Ansinnen",
        "Version",
        "These",
        "Annahme",
    ]
)

#: nouns that name what a quoted title or name stands for ("der Film „…“", "die Zeitung „…“"): such quote marks
#: mark a name, not a quotation.
TITLE_NOUNS: frozenset[str] = frozenset(
    [
        "Film",
        "Kinofilm",
        "Dokumentarfilm",
        "Song",
        "Lied",
        "Single",
        "Album",
        "Titel",
        "Buch",
        "Roman",
        "Theaterstück",
        "Stück",
        "Oper",
        "Musical",
        "Serie",
        "Sendung",
        "Show",
        "Zeitung",
        "Tageszeitung",
        "Wochenzeitung",
        "Zeitschrift",
        "Magazin",
        "Nachrichtenmagazin",
        "Blatt",
        "Sender",
        "Fernsehsender",
        "Radiosender",
        "Website",
        "Webseite",
        "Portal",
        "Name",
        "Spitzname",
        "Motto",
        "Slogan",
        "Festival",
        "Veranstaltung",
        "Fest",
        "Konferenz",
        "Kongress",
        "Messe",
        "Aktion",
        "Kampagne",
        "Operation",
        "Projekt",
        "Programm",
        "Initiative",
        "Bündnis",
        "Verein",
        "Organisation",
        "Gruppe",
        "Band",
        "Partei",
        "Firma",
        "Unternehmen",
        "Marke",
        "Schiff",
        "Preis",
        "Ausstellung",
        "Studie",
        "Bericht",
    ]
)

#: cue verbs that only count as cues with a clause or quote complement (too common otherwise).
CLAUSE_ONLY_LEMMAS: frozenset[str] = frozenset(
    [
        "wissen",
        "finden",
        "schätzen",
        "erwarten",
        "sorgen",
        "überlegen",
        "schließen",
        "folgern",
        "entscheiden",
        "beschließen",
        "planen",
        "beabsichtigen",
        "vorsehen",
        "vereinbaren",
        "spekulieren",
        "informieren",
        "heißen",
        "lauten",
        "überzeugen",
    ]
)

#: prepositions that name a source: "laut X", "X zufolge", "nach Angaben von X", "gemäß X".
SOURCE_PREPOSITIONS: frozenset[str] = frozenset({"laut", "gemäß", "zufolge"})
SOURCE_NOUNS: frozenset[str] = frozenset(
    {
        "Angabe",
        "Angaben",
        "Studie",
        "Hochrechnung",
        "Umfrage",
        "Prognose",
        "Analyse",
        "Untersuchung",
        "Zählung",
        "Statistik",
        "Ermittlungen",
        "Recherchen",
        "Einschätzungen",
        "Aussagen",
        "Darstellungen",
        "Schilderungen",
        "Schilderung",
        "Zeugenaussagen",
        "Aussage",
        "Auskunft",
        "Darstellung",
        "Einschätzung",
        "Informationen",
        "Information",
        "Bericht",
        "Berichten",
        "Berichte",
        "Meldung",
        "Meldungen",
        "Schätzung",
        "Schätzungen",
        "Worte",
        "Worten",
        "Ansicht",
        "Meinung",
        "Auffassung",
        "Erkenntnissen",
        "Erkenntnisse",
        "Polizeiangaben",
        "Medienberichten",
        "Medienberichte",
        "Regierungsangaben",
        "Behördenangaben",
        "Augenzeugenberichten",
    }
)
#: speaker nouns that mark written media (for the medium of "laut X").
WRITTEN_SOURCES: frozenset[str] = frozenset(
    {
        "Zeitung",
        "Zeitschrift",
        "Magazin",
        "Blatt",
        "Agentur",
        "Nachrichtenagentur",
        "Bericht",
        "Studie",
        "Mitteilung",
        "Erklärung",
        "Pressemitteilung",
        "Website",
        "Webseite",
        "Brief",
        "Schreiben",
        "Bild",
        "Spiegel",
        "Welt",
        "Reuters",
        "dpa",
        "AFP",
        "AP",
        "Tagesschau",
        "Times",
        "Post",
        "Rundschau",
        "Urteil",
    }
)

#: "Bericht: …", "Video: …": headline labels before a colon, not speakers.
HEADLINE_LABELS: frozenset[str] = frozenset(
    {
        "Medienbericht",
        "Bericht",
        "Update",
        "Video",
        "Foto",
        "Liveblog",
        "Hintergrund",
        "Analyse",
        "Kommentar",
        "Interview",
    }
)

#: punctuation that closes a clause, and a sentence.
CLAUSE_BOUNDARIES: frozenset[str] = frozenset({",", ":", ";", "–", "-", "(", ")"})
SENTENCE_END: frozenset[str] = frozenset({".", "!", "?", "…"})

#: words that open a reported clause ("sagte, dass …"), and question words that do after a speech verb.
COMPLEMENTISERS: frozenset[str] = frozenset({"dass", "daß", "ob", "wonach"})
WH_COMPLEMENTISERS: frozenset[str] = frozenset(
    {"warum", "weshalb", "wie", "wer", "was", "wann", "wo", "welche", "wieso"}
)

# The word sets below feed the learned models, which were trained on exactly these sets: the narrower ones stay
# narrow, as widening them changes the features and needs retraining.
#: the first word of a candidate quote that the scorer notes, and of a clause that the token model notes.
QUOTE_COMPLEMENTISERS: frozenset[str] = COMPLEMENTISERS | {"wie"}
SUBORDINATORS: frozenset[str] = QUOTE_COMPLEMENTISERS | {"weil", "da", "wenn", "falls"}
#: first-person words: pronouns (medium features), with possessives (sentence evidence), all forms (scorer).
FIRST_PERSON_PRONOUNS: frozenset[str] = frozenset({"ich", "wir", "mir", "uns"})
FIRST_PERSON_FORMS: frozenset[str] = FIRST_PERSON_PRONOUNS | {"mein", "unser", "unsere"}
FIRST_PERSON: frozenset[str] = FIRST_PERSON_FORMS | {"meine", "mich"}

#: to whom it was said: "gegenüber X", "vor Journalisten", "sagte ihm".
ADDRESSEE_PREPOSITIONS: frozenset[str] = frozenset({"gegenüber", "vor"})
DATIVE_PRONOUNS: frozenset[str] = frozenset({"ihm", "ihr", "ihnen", "mir", "uns"})
ADDRESSEE_NOUNS: frozenset[str] = frozenset(
    {
        "Reportern",
        "Medienvertretern",
        "Journalistinnen",
        "Delegierten",
        "Mitgliedern",
        "Journalisten",
        "Presse",
        "Zeitung",
        "Medien",
        "Abgeordneten",
        "Parlament",
    }
)

# Quote marks: each opener with the closers that end it.
QUOTE_PAIRS: dict[str, str] = {
    "„": '“”"',
    "»": "«“",
    "«": "»",
    "‚": "‘’",
    "›": "‹",
    "‹": "›",
    "“": "”",
    '"': '"',
}
QUOTE_MARKS = frozenset('„“”"»«‚‘’›‹')
#: guillemets are rare in the training data: the model sees them as the „…“ they stand for.
GUILLEMETS = frozenset("»«›‹")
GERMAN_MARKS = {"open": "„", "close": "“"}


def is_quote_open(token: Token | str) -> bool:
    """A mark that can open a quotation (ambiguous marks such as '"' count)."""
    text = token if isinstance(token, str) else token.text
    return text in QUOTE_PAIRS


def is_quote_close(token: Token | str) -> bool:
    text = token if isinstance(token, str) else token.text
    return any(text in closers for closers in QUOTE_PAIRS.values())


def is_quote_mark(token: Token | str) -> bool:
    text = token if isinstance(token, str) else token.text
    return text in QUOTE_MARKS


def _opens_here(text: str, i: int) -> bool:
    """An ambiguous mark opens when followed by a word character and not preceded by one."""
    after = text[i + 1] if i + 1 < len(text) else " "
    before = text[i - 1] if i > 0 else " "
    return not after.isspace() and (before.isspace() or before in "([{/–-" or before in QUOTE_MARKS)


def _paragraph_continues(text: str, end: int, opener: str) -> int | None:
    """Offset of the opener that resumes a quotation after a paragraph break, else None."""
    j = end
    while j < len(text) and text[j].isspace():
        j += 1
    return j if j < len(text) and text[j] == opener else None


def pair_quote_marks(text: str) -> list[tuple[int, int]]:
    """(start, end) character ranges of quotations, marks included, innermost and outermost alike.

    Handles „…“, „…”, "…", »…«, «…», ‚…‘ and nesting. A quotation left open at a paragraph end continues when the
    next paragraph starts with the same opening mark (the German convention for multi-paragraph quotes); such
    a quotation is returned as one range covering all its paragraphs.
    """
    pairs: list[tuple[int, int]] = []
    stack: list[tuple[str, int]] = []
    i = 0
    while i < len(text):
        c = text[i]
        if c == "\n" and stack:
            resume = _paragraph_continues(text, i, stack[-1][0])
            if resume is None:
                stack.clear()
            else:
                i = resume + 1
                continue
        elif c in QUOTE_MARKS:
            if (
                stack
                and c in QUOTE_PAIRS[stack[-1][0]]
                and not (c == '"' and _opens_here(text, i) and stack[-1][0] != '"')
            ):
                _, start = stack.pop()
                pairs.append((start, i + 1))
            elif c in QUOTE_PAIRS and (c not in '"“«‚' or _opens_here(text, i)):
                stack.append((c, i))
        i += 1
    return sorted(pairs)


def detached_particle(verb: Token, sentence: list[Token]) -> Token | None:
    """The separated particle of a finite verb in the same clause ("räumte … ein" → "ein")."""
    if "FIN" not in verb.pos:
        return None
    for token in sentence:
        if token.i <= verb.i:
            continue
        if token.pos == "PTKVZ":
            return token
        if token.text in {".", "!", "?", ":", ";"}:
            return None
    return None


def particle_lemma(verb: Token, sentence: list[Token]) -> str:
    """Lemma of a separable verb joined with its detached particle ("räumte … ein" → "einräumen")."""
    particle = detached_particle(verb, sentence)
    return particle.text.lower() + verb.lemma if particle else verb.lemma
