"""The interface's words in German (the default) and English, and dates in each language's format.

The article texts stay as they are; only what the interface itself says is translated. A template gets a
`Messages` for the reader's language as `t`: `t("nav.search")`, `t.count("n.quotations", 3)`, `t.date(iso)`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

LANGUAGES = ("de", "en")
DEFAULT_LANGUAGE = "de"
COOKIE = "lang"

MONTHS = {
    "de": ("Jan.", "Feb.", "März", "Apr.", "Mai", "Juni", "Juli", "Aug.", "Sep.", "Okt.", "Nov.", "Dez."),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}
LONG_MONTHS = {
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
}

# The same example sentences serve both languages: the quotations the tool finds are German.
TYPE_EXAMPLES = {
    "Direct": "„Wir bauen die Brücke bis zum Sommer“, sagte die Bürgermeisterin.",
    "Indirect": "Die Bürgermeisterin sagte, die Brücke werde bis zum Sommer gebaut.",
    "FreeIndirect": "Der Bauunternehmer soll die Kosten um ein Drittel zu niedrig angesetzt haben.",
    "IndirectFreeIndirect": "Die Bürgermeisterin sagte, die Brücke werde gebaut. Das Geld sei längst bewilligt.",
    "Reported": "Die Bürgermeisterin äußerte sich am Montag ausführlich zu den Baukosten.",
}
MEDIUM_EXAMPLES = {
    "Speech": "„Wir machen weiter“, rief der Trainer in der Kabine.",
    "Thought": "Die Kapitänin hoffte, das Wetter werde halten.",
    "Writing": "Der Verband schrieb in einer Mitteilung, das Spiel werde wiederholt.",
    "SW": "Der Minister erklärte im Interview und in einem Brief an die Fraktion, er trete zurück.",
    "ST": "Sie sagte, sie glaube selbst nicht mehr an einen Sieg.",
    "TW": "Er schrieb, er habe lange gezweifelt, ob das richtig sei.",
    "none": "Laut Polizei wurde niemand verletzt.",
}

MESSAGES: dict[str, dict[str, str]] = {
    "de": {
        "site.tagline": "Wer hat was gesagt, zu wem, wie und wann",
        "nav.articles": "Artikel",
        "nav.search": "Suche",
        "nav.speakers": "Sprecher",
        "nav.network": "Netzwerk",
        "nav.overview": "Überblick",
        "nav.help": "Hilfe",
        "nav.api": "API",
        "nav.other_language": "English",
        "quick.placeholder": "Zitate durchsuchen …",
        "quick.label": "Zitate durchsuchen",
        "part.quote": "Zitat",
        "part.speaker": "Sprecher",
        "part.cue": "Redeeinleitung",
        "part.frame": "Rahmen",
        "part.addressee": "Adressat",
        "part.nested": "Zitat im Zitat",
        "part.help.quote": "Was gesagt, gedacht oder geschrieben wurde.",
        "part.help.speaker": "Wer es geäußert hat: eine Person, ein Pronomen, eine Organisation.",
        "part.help.cue": "Die Wörter, die das Zitat anzeigen: sagte, laut, zufolge, so …",
        "part.help.frame": "Der Satzteil, der eine indirekte Rede einleitet, samt Redeeinleitung.",
        "part.help.addressee": "An wen es gerichtet war.",
        "type.Direct": "Direkt",
        "type.Indirect": "Indirekt",
        "type.FreeIndirect": "Frei indirekt",
        "type.IndirectFreeIndirect": "Indirekt fortgesetzt",
        "type.Reported": "Berichtet",
        "type.help.Direct": "Direkte Rede: die Worte selbst, meist in Anführungszeichen.",
        "type.help.Indirect": (
            "Indirekte Rede: eine Redeeinleitung („sagte, …“) mit einem Nebensatz, meist im Konjunktiv."
        ),
        "type.help.FreeIndirect": "Frei indirekte Rede: ohne Redeeinleitung, oft mit „soll“ oder „müsse“.",
        "type.help.IndirectFreeIndirect": (
            "Fortgesetzte indirekte Rede: Konjunktiv I, der ein vorheriges Zitat ohne neue Redeeinleitung fortführt."
        ),
        "type.help.Reported": "Redebericht: nur dass gesprochen wurde und worüber, nicht was genau.",
        "medium.Speech": "Gesprochen",
        "medium.Thought": "Gedacht",
        "medium.Writing": "Geschrieben",
        "medium.SW": "Gesprochen und geschrieben",
        "medium.ST": "Gesprochen und gedacht",
        "medium.TW": "Gedacht und geschrieben",
        "medium.none": "Keines",
        "medium.help.Speech": "Mündlich geäußert: gesagt, gerufen, erklärt.",
        "medium.help.Thought": "Gedacht, geglaubt, gehofft, befürchtet: nicht ausgesprochen.",
        "medium.help.Writing": "Schriftlich: geschrieben, mitgeteilt, veröffentlicht.",
        "medium.help.SW": "Mündlich und schriftlich zugleich, oder nicht zu unterscheiden.",
        "medium.help.ST": "Ausgesprochene Gedanken oder Überzeugungen.",
        "medium.help.TW": "Aufgeschriebene Gedanken oder Überzeugungen.",
        "medium.help.none": "Kein Sprechakt erkennbar, etwa bei „laut …“ oder „zufolge“.",
        "home.title": "Artikel",
        "home.stats": "{articles} Artikel, {quotations} Zitate, {entities} Sprecher im Bestand.",
        "home.most_quoted": "Am häufigsten zitiert",
        "home.empty": "Noch keine Artikel. Den Bestand füllt:",
        "n.quotations.one": "{n} Zitat",
        "n.quotations.other": "{n} Zitate",
        "article.original": "Original",
        "article.legend": "Legende",
        "article.hint": "Markierte Stelle oder Zeile unten antippen, um das Zitat zu sehen.",
        "article.details": "Zitat",
        "article.close": "Schließen",
        "article.nothing": "Nichts ausgewählt.",
        "article.speaker": "Sprecher",
        "article.unresolved": "nicht zugeordnet",
        "article.as": "als „{mention}“",
        "article.type": "Typ",
        "article.medium": "Medium",
        "article.cue": "Redeeinleitung",
        "article.addressee": "Adressat",
        "article.nesting": "Verschachtelung",
        "article.inside": "im Zitat von {name}",
        "article.contains": "enthält das Zitat von {name}",
        "article.top_level": "oberste Ebene",
        "article.confidence": "Konfidenz",
        "article.all": "Alle Zitate",
        "article.none": "In diesem Artikel wurden keine Zitate gefunden.",
        "article.quote": "Zitat",
        "search.title": "Zitate suchen",
        "search.text": "Text",
        "search.text_placeholder": "Wörter, „eine Phrase“, Präfix*",
        "search.speaker": "Sprecher",
        "search.speaker_placeholder": "Name oder Alias",
        "search.type": "Typ",
        "search.medium": "Medium",
        "search.any": "alle",
        "search.since": "Von",
        "search.until": "Bis",
        "search.source": "Quelle",
        "search.entity": "Sprecher-ID",
        "search.submit": "Suchen",
        "search.found.one": "{n} Zitat gefunden",
        "search.found.other": "{n} Zitate gefunden",
        "search.no_quote": "(kein Zitattext)",
        "search.unknown_speaker": "unbekannter Sprecher",
        "pager.label": "Seiten",
        "pager.prev": "← zurück",
        "pager.next": "weiter →",
        "pager.position": "Seite {number} von {pages}",
        "speakers.title": "Sprecher",
        "speakers.filter": "Name enthält",
        "speakers.submit": "Filtern",
        "speakers.speaker": "Sprecher",
        "speakers.kind": "Art",
        "speakers.quotations": "Zitate",
        "speakers.none": "Keine Sprecher.",
        "speaker.search_within": "darin suchen",
        "speaker.json": "JSON",
        "speaker.timeline": "Zitate im Zeitverlauf",
        "speaker.timeline_label": "Zitate je Zeitraum",
        "speaker.undated": "Keine datierten Zitate.",
        "speaker.types": "Typen",
        "speaker.media": "Medien",
        "speaker.addresses": "Spricht zu",
        "speaker.no_addressee": "Kein Adressat genannt.",
        "speaker.aliases": "Aliasse",
        "speaker.descriptors": "Beschreibungen",
        "speaker.none": "Keine.",
        "speaker.quotations": "Zitate",
        "network.title": "Wer zitiert, adressiert und berichtet wen",
        "network.edges": "Kanten",
        "network.all": "alle",
        "network.edge.quotes": "zitiert (verschachtelt)",
        "network.edge.addresses": "spricht zu",
        "network.edge.reports": "berichtet (Quelle → Sprecher)",
        "network.min_weight": "Mindestens (Zitate)",
        "network.submit": "Zeigen",
        "network.speaker": "Sprecher",
        "network.source": "Quelle",
        "network.addressee": "Adressat",
        "network.quotes_key": "zitiert (im Zitat wiedergegeben)",
        "network.hint": "Knoten ziehen, mit dem Mausrad zoomen, Sprecher anklicken zum Öffnen.",
        "network.graph": "Netzwerkgraph",
        "network.loading": "Wird geladen …",
        "help.title": "Hilfe: Zitattypen und Medien",
        "help.intro": (
            "wortlaut findet Zitate in deutschen Nachrichten und bestimmt für jedes den Typ (wie wiedergegeben wird) "
            "und das Medium (auf welchem Weg es geäußert wurde). Die Beispiele sind erfunden."
        ),
        "help.types": "Typen",
        "help.media": "Medien",
        "help.parts": "Teile eines Zitats",
        "help.example": "Beispiel",
        "error.400": "Ungültige Anfrage",
        "error.404": "Nicht gefunden",
        "error.405": "Methode nicht erlaubt",
        "error.422": "Ungültige Parameter",
        "error.500": "Interner Fehler",
        "error.other": "Fehler",
        "error.no_article": "Kein Artikel mit der ID „{id}“.",
        "error.no_speaker": "Kein Sprecher mit der ID „{id}“.",
        "error.past_last": "Seite {page} liegt hinter der letzten Seite ({pages}).",
        "error.internal": "Auf dem Server ist ein Fehler aufgetreten.",
    },
    "en": {
        "site.tagline": "Who said what, to whom, how and when",
        "nav.articles": "Articles",
        "nav.search": "Search",
        "nav.speakers": "Speakers",
        "nav.network": "Network",
        "nav.overview": "Overview",
        "nav.help": "Help",
        "nav.api": "API",
        "nav.other_language": "Deutsch",
        "quick.placeholder": "Search quotations…",
        "quick.label": "Search quotations",
        "part.quote": "Quote",
        "part.speaker": "Speaker",
        "part.cue": "Cue",
        "part.frame": "Frame",
        "part.addressee": "Addressee",
        "part.nested": "Quote inside a quote",
        "part.help.quote": "What was said, thought or written.",
        "part.help.speaker": "Who expressed it: a person, a pronoun, an organisation.",
        "part.help.cue": "The words that mark the quotation: sagte, laut, zufolge, so …",
        "part.help.frame": "The clause that introduces indirect speech, cue included.",
        "part.help.addressee": "To whom it was addressed.",
        "type.Direct": "Direct",
        "type.Indirect": "Indirect",
        "type.FreeIndirect": "Free indirect",
        "type.IndirectFreeIndirect": "Continued indirect",
        "type.Reported": "Reported",
        "type.help.Direct": "Direct speech: the words themselves, usually in quotation marks.",
        "type.help.Indirect": "Indirect speech: a cue („sagte, …“) with a clause, usually in the subjunctive.",
        "type.help.FreeIndirect": "Free indirect speech: no cue, often with „soll“ or „müsse“.",
        "type.help.IndirectFreeIndirect": (
            "Continued indirect speech: subjunctive I carrying on an earlier quotation without a new cue."
        ),
        "type.help.Reported": "Reported speech act: only that something was said and about what, not the words.",
        "medium.Speech": "Speech",
        "medium.Thought": "Thought",
        "medium.Writing": "Writing",
        "medium.SW": "Speech and writing",
        "medium.ST": "Speech and thought",
        "medium.TW": "Thought and writing",
        "medium.none": "None",
        "medium.help.Speech": "Said aloud: said, called out, declared.",
        "medium.help.Thought": "Thought, believed, hoped, feared: not spoken.",
        "medium.help.Writing": "In writing: wrote, announced in a statement, published.",
        "medium.help.SW": "Spoken and written at once, or impossible to tell apart.",
        "medium.help.ST": "Thoughts or beliefs that were spoken.",
        "medium.help.TW": "Thoughts or beliefs that were written down.",
        "medium.help.none": "No act of speaking to be seen, as with „laut …“ or „zufolge“.",
        "home.title": "Articles",
        "home.stats": "{articles} articles, {quotations} quotations, {entities} speakers in the store.",
        "home.most_quoted": "Most quoted",
        "home.empty": "No articles yet. To fill the store, run:",
        "n.quotations.one": "{n} quotation",
        "n.quotations.other": "{n} quotations",
        "article.original": "original",
        "article.legend": "Legend",
        "article.hint": "Tap a highlighted passage, or a row below, to see its quotation.",
        "article.details": "Quotation",
        "article.close": "Close",
        "article.nothing": "Nothing selected.",
        "article.speaker": "Speaker",
        "article.unresolved": "unresolved",
        "article.as": "as “{mention}”",
        "article.type": "Type",
        "article.medium": "Medium",
        "article.cue": "Cue",
        "article.addressee": "Addressee",
        "article.nesting": "Nesting",
        "article.inside": "inside {name}’s quotation",
        "article.contains": "contains {name}’s quotation",
        "article.top_level": "top level",
        "article.confidence": "Confidence",
        "article.all": "All quotations",
        "article.none": "No quotations found in this article.",
        "article.quote": "Quote",
        "search.title": "Search quotations",
        "search.text": "Text",
        "search.text_placeholder": "words, “a phrase”, prefix*",
        "search.speaker": "Speaker",
        "search.speaker_placeholder": "name or alias",
        "search.type": "Type",
        "search.medium": "Medium",
        "search.any": "any",
        "search.since": "From",
        "search.until": "Until",
        "search.source": "Source",
        "search.entity": "Speaker id",
        "search.submit": "Search",
        "search.found.one": "{n} quotation found",
        "search.found.other": "{n} quotations found",
        "search.no_quote": "(no quote text)",
        "search.unknown_speaker": "unknown speaker",
        "pager.label": "Pages",
        "pager.prev": "← previous",
        "pager.next": "next →",
        "pager.position": "page {number} of {pages}",
        "speakers.title": "Speakers",
        "speakers.filter": "Name contains",
        "speakers.submit": "Filter",
        "speakers.speaker": "Speaker",
        "speakers.kind": "Kind",
        "speakers.quotations": "Quotations",
        "speakers.none": "No speakers.",
        "speaker.search_within": "search within",
        "speaker.json": "JSON",
        "speaker.timeline": "Quotations over time",
        "speaker.timeline_label": "Quotations per period",
        "speaker.undated": "No dated quotations.",
        "speaker.types": "Types",
        "speaker.media": "Media",
        "speaker.addresses": "Addresses",
        "speaker.no_addressee": "No addressee named.",
        "speaker.aliases": "Aliases",
        "speaker.descriptors": "Descriptors",
        "speaker.none": "None.",
        "speaker.quotations": "Quotations",
        "network.title": "Who quotes, addresses and reports whom",
        "network.edges": "Edges",
        "network.all": "all",
        "network.edge.quotes": "quotes (nesting)",
        "network.edge.addresses": "addresses",
        "network.edge.reports": "reports (source → speaker)",
        "network.min_weight": "At least (quotations)",
        "network.submit": "Show",
        "network.speaker": "speaker",
        "network.source": "source",
        "network.addressee": "addressee",
        "network.quotes_key": "quotes (reported inside their quotation)",
        "network.hint": "Drag nodes, scroll to zoom, click a speaker to open it.",
        "network.graph": "Network graph",
        "network.loading": "Loading…",
        "help.title": "Help: quotation types and media",
        "help.intro": (
            "wortlaut finds quotations in German news and gives each a type (how it is rendered) and a medium "
            "(how it was expressed). The examples are made up."
        ),
        "help.types": "Types",
        "help.media": "Media",
        "help.parts": "Parts of a quotation",
        "help.example": "Example",
        "error.400": "Bad request",
        "error.404": "Not found",
        "error.405": "Method not allowed",
        "error.422": "Invalid parameters",
        "error.500": "Internal error",
        "error.other": "Error",
        "error.no_article": "No article with id “{id}”.",
        "error.no_speaker": "No speaker with id “{id}”.",
        "error.past_last": "Page {page} is past the last page ({pages}).",
        "error.internal": "Something went wrong on the server.",
    },
}


def language(requested: str | None, remembered: str | None) -> str:
    """The `?lang=` parameter wins, then the cookie, then German."""
    for choice in (requested, remembered):
        if choice in LANGUAGES:
            return choice
    return DEFAULT_LANGUAGE


@dataclass(frozen=True)
class Messages:
    """The catalogue of one language, callable from templates."""

    lang: str

    def __call__(self, key: str, **values: object) -> str:
        text = MESSAGES[self.lang][key]
        return text.format(**values) if values else text

    def count(self, key: str, n: int) -> str:
        """`key.one` for exactly one, `key.other` otherwise (German and English agree on that rule)."""
        return self(f"{key}.{'one' if n == 1 else 'other'}", n=n)

    def date(self, value: str | None) -> str:
        """An ISO date as 17.05.2024 or 17 May 2024; YYYY-MM as 05.2024 or May 2024; anything else unchanged."""
        if not value:
            return ""
        try:
            day = date.fromisoformat(value[:10])
        except ValueError:
            return self.month(value)
        if self.lang == "de":
            return f"{day.day:02d}.{day.month:02d}.{day.year}"
        return f"{day.day} {LONG_MONTHS['en'][day.month - 1]} {day.year}"

    def month(self, value: str) -> str:
        """A timeline key (YYYY-MM) as `Mai 2024` / `May 2024`; a year or anything else stays as it is."""
        if len(value) == 7 and value[4] == "-" and value[:4].isdigit() and value[5:].isdigit():
            number = int(value[5:])
            if 1 <= number <= 12:
                return f"{MONTHS[self.lang][number - 1]} {value[:4]}"
        return value
