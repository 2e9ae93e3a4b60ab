"""Token features for the learned quotation model, shared by training and inference.

Both stages see the same features computed the same way, so what the model learned on the training data
applies unchanged at run time. Features are plain strings (python-crfsuite's cheapest input), computed in a
few linear passes over a document's tokens.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..document import Document, Quotation, Token
from .lexicon import (
    CLAUSE_BOUNDARIES,
    CUE_LEMMAS,
    FIRST_PERSON_FORMS,
    FIRST_PERSON_PRONOUNS,
    GERMAN_MARKS,
    GUILLEMETS,
    QUOTE_MARKS,
    REPORTED_LEMMAS,
    SOURCE_NOUNS,
    SOURCE_PREPOSITIONS,
    SUBORDINATORS,
    pair_quote_marks,
    particle_lemma,
)

#: window (in sentences) around a quotation in which its speaker, cue, frame and addressee are looked for.
ROLE_CONTEXT_SENTENCES = 1


def _bucket(r: float | None) -> str:
    """A coarse strength, so the model cannot memorise training counts."""
    if r is None:
        return ""
    return "hi" if r >= 0.5 else "mid" if r >= 0.2 else "lo" if r >= 0.05 else ""


def _ratios(hits: Counter[str], totals: Counter[str], min_count: int) -> dict[str, float]:
    """hits/(total+1) for lemmas seen at least min_count times as hits (add-one keeps rare words modest)."""
    return {lemma: round(n / (totals[lemma] + 1), 3) for lemma, n in hits.items() if n >= min_count}


@dataclass
class CueLexicon:
    """Learned word lists: how often a lemma was (part of) a cue or a speaker in the training data.

    Learned rather than hand-listed so that rare verbs the annotators marked ("monieren") count, and
    merged with the hand-written CUE_LEMMAS so verbs never seen in training still count. `medium` is the
    usual medium of what a cue lemma introduces.
    """

    ratio: dict[str, float] = field(default_factory=dict)
    speaker: dict[str, float] = field(default_factory=dict)
    medium: dict[str, str] = field(default_factory=dict)

    def strength(self, lemma: str) -> str:
        """Cue strength: 'hi', 'mid', 'lo', 'lex' (hand-listed, unseen in training) or ''."""
        r = self.ratio.get(lemma)
        if r is None:
            return "lex" if lemma in CUE_LEMMAS else ""
        return _bucket(r)

    def to_json(self) -> dict[str, dict[str, Any]]:
        return {"ratio": self.ratio, "speaker": self.speaker, "medium": self.medium}

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> CueLexicon:
        return cls(**{k: obj.get(k, {}) for k in ("ratio", "speaker", "medium")})

    @classmethod
    def learn(
        cls, cues: Iterable[tuple[str, str]], speakers: Counter[str], all_lemmas: Counter[str], min_count: int = 2
    ) -> CueLexicon:
        """From (lemma, medium) pairs of gold cue tokens, speaker lemma counts and corpus lemma counts."""
        as_cue: Counter[str] = Counter()
        media: dict[str, Counter[str]] = {}
        for lemma, medium in cues:
            as_cue[lemma] += 1
            media.setdefault(lemma, Counter())[medium] += 1
        ratio = _ratios(as_cue, all_lemmas, min_count)
        usual = {lemma: c.most_common(1)[0][0] for lemma, c in media.items() if lemma in ratio}
        return cls(
            ratio=ratio,
            speaker=_ratios(speakers, all_lemmas, min_count),
            medium=usual,
        )


def cue_lemma(token: Token, sentence: list[Token]) -> str:
    """The lemma a cue is known by: separable verbs joined with their particle ("räumte … ein" → einräumen)."""
    return particle_lemma(token, sentence) if "FIN" in token.pos else token.lemma


def shape(text: str) -> str:
    if text in QUOTE_MARKS:
        return "Q"
    if text.isdigit():
        return "d"
    if not text[:1].isalnum():
        return "p"
    if text.isupper() and len(text) > 1:
        return "XX"
    return "Xx" if text[:1].isupper() else "x"


@dataclass
class DocView:
    """Per-token facts computed once per document and reused by both stages."""

    lemmas: list[str]
    cue: list[str]
    speaker: list[str]
    depth: list[int]
    mark: list[str]
    para_start: list[bool]
    sentences: list[list[int]]
    rules: list[Quotation]
    rule_quote: list[str]
    #: token ids inside the rules' top-level quotations, by quotation type
    rule_tokens: dict[str, set[int]]
    #: per token, the positions in `rules` of the rule quotations whose quote covers it
    rules_at: list[list[int]]


def quote_labels(doc: Document, quotations: list[Quotation]) -> list[str]:
    """Stage-1 labels of top-level quotations: B-type starts one, I-type continues, C-type resumes it after a gap."""
    labels = ["O"] * len(doc.tokens)
    for q in sorted((q for q in quotations if not q.nested_in), key=lambda q: q.start):
        ids = [i for i in doc.token_ids(q.quote) if labels[i] == "O"]
        for k, i in enumerate(ids):
            tag = "I" if k and ids[k - 1] == i - 1 else "C" if k else "B"
            labels[i] = f"{tag}-{q.type}"
    return labels


def rule_quotations(doc: Document) -> list[Quotation]:
    """What the hand-written rules find: the model learns when to trust them (stacking)."""
    from .rules import extract

    return extract(Document(text=doc.text, tokens=doc.tokens, sentences=doc.sentences)).quotations


def quote_mark_state(doc: Document) -> tuple[list[int], list[str]]:
    """Per token: how many paired quotation marks enclose it, and whether it opens ('open') or closes one."""
    starts = doc.token_bounds()[0]
    depth = [0] * len(doc.tokens)
    mark = [""] * len(doc.tokens)
    for start, end in pair_quote_marks(doc.text):
        first = bisect_left(starts, start)
        last = bisect_left(starts, end)
        if first >= len(doc.tokens):
            continue
        mark[first] = "open"
        if last - 1 > first:
            mark[last - 1] = "close"
        for i in range(first, last):
            depth[i] += 1
    return depth, mark


def view(doc: Document, lexicon: CueLexicon) -> DocView:
    """Lemmas (particle verbs joined), cue strengths, quote-mark state and paragraph starts."""
    sentences = [[t.i for t in sent] for sent in doc.sentence_tokens()]
    lemmas = [""] * len(doc.tokens)
    for sent in doc.sentence_tokens():
        for t in sent:
            lemmas[t.i] = cue_lemma(t, sent) if "FIN" in t.pos else (t.lemma or t.text)
    cue = [lexicon.strength(lemma) for lemma in lemmas]
    depth, mark = quote_mark_state(doc)
    para_start = [i == 0 or "\n" in doc.text[doc.tokens[i - 1].end : t.start] for i, t in enumerate(doc.tokens)]
    speaker = [_bucket(lexicon.speaker.get(lemma)) for lemma in lemmas]
    rules = rule_quotations(doc)
    rule_tokens: dict[str, set[int]] = {}
    rules_at: list[list[int]] = [[] for _ in doc.tokens]
    for n, r in enumerate(rules):
        ids = doc.token_ids(r.quote)
        for i in ids:
            rules_at[i].append(n)
        if not r.nested_in:
            rule_tokens.setdefault(r.type, set()).update(ids)
    return DocView(
        lemmas,
        cue,
        speaker,
        depth,
        mark,
        para_start,
        sentences,
        rules,
        quote_labels(doc, rules),
        rule_tokens,
        rules_at,
    )


def evidence(doc: Document, v: DocView, ids: list[int]) -> set[str]:
    """What a stretch of tokens (sentence or clause) offers as evidence of a quotation."""
    out = set()
    for i in ids:
        t = doc.tokens[i]
        c = v.cue[i]
        if c in ("hi", "mid", "lex") and (t.pos.startswith("V") or t.pos in ("APPR", "APPO", "NN", "ADV")):
            out.add("cue" + t.pos[:1])
        if t.mood == "konj1":
            out.add("k1")
        elif t.mood == "konj2":
            out.add("k2")
        elif t.mood == "ind":
            out.add("ind")
        if t.lemma in ("sollen", "müssen", "wollen") and "FIN" in t.pos:
            out.add("modal=" + t.lemma)
        if t.text in (":", "?"):
            out.add(t.text)
        if v.mark[i]:
            out.add("mark")
        if t.text.lower() in SOURCE_PREPOSITIONS or t.text in SOURCE_NOUNS:
            out.add("src")
        if t.pos.startswith("VV") and v.lemmas[i] in REPORTED_LEMMAS:
            out.add("rep")
        if t.pos in ("PPER", "PPOSAT") and t.text.lower() in FIRST_PERSON_FORMS:
            out.add("1st")
    if ids and doc.tokens[ids[0]].text.lower() in SUBORDINATORS:
        out.add("sub=" + doc.tokens[ids[0]].text.lower())
    return out


def sentence_summary(doc: Document, v: DocView, ids: list[int]) -> list[str]:
    """Sentence-wide evidence, plus where the sentence sits among quote marks and paragraphs."""
    out = evidence(doc, v, ids)
    out.update("sv=" + v.lemmas[i] for i in ids if doc.tokens[i].pos.startswith("VV"))
    if ids and v.mark[ids[0]] == "open":
        out.add("opens")
    if ids and v.depth[ids[-1]] and v.depth[ids[0]]:
        out.add("allq")
    if ids and v.para_start[ids[0]]:
        out.add("parastart")
    return sorted(out)


def clauses(doc: Document, ids: list[int]) -> list[list[int]]:
    """A sentence cut at commas, colons, dashes and brackets: a rough stand-in for clauses."""
    out: list[list[int]] = [[]]
    for i in ids:
        if doc.tokens[i].text in CLAUSE_BOUNDARIES and out[-1]:
            out.append([])
        out[-1].append(i)
    return out


def token_base(doc: Document, v: DocView) -> list[list[str]]:
    """Features of each token on its own (used directly and as neighbour features)."""
    out = []
    for t in doc.tokens:
        # guillemets are rare in the training data: the model sees them as the „…“ they stand for
        low = GERMAN_MARKS[v.mark[t.i] or "close"] if t.text in GUILLEMETS else t.text.lower()
        feats = [
            "w=" + low,
            "l=" + v.lemmas[t.i],
            "p=" + t.pos,
            "sh=" + shape(t.text),
            "suf=" + low[-3:],
        ]
        if t.mood:
            feats.append("m=" + t.mood)
        if v.cue[t.i]:
            feats.append("cue=" + v.cue[t.i])
            feats.append("cuep=" + v.cue[t.i] + t.pos[:2])
        if v.mark[t.i]:
            feats.append("mk=" + v.mark[t.i])
        feats.append("dq=%d" % min(v.depth[t.i], 2))
        feats.append("rq=" + v.rule_quote[t.i])
        out.append(feats)
    return out


def _neighbours(base: list[list[str]], i: int, offset: int, keep: tuple[str, ...]) -> list[str]:
    j = i + offset
    if j < 0:
        return ["%+d:BOD" % offset]
    if j >= len(base):
        return ["%+d:EOD" % offset]
    prefix = "%+d:" % offset
    return [prefix + f for f in base[j] if f.startswith(keep)]


#: which base features of the tokens at each offset a stage-1 token sees.
QUOTE_NEIGHBOURS = {
    -2: ("p=", "mk="),
    -1: ("w=", "p=", "mk=", "l=", "rq="),
    1: ("w=", "p=", "mk=", "l=", "rq="),
    2: ("p=", "mk="),
}


def neighbour_table(base: list[list[str]], offsets: dict[int, tuple[str, ...]]) -> list[list[str]]:
    """Every token's neighbour features for a whole document at once, each token filtered once per prefix set."""
    kept = {keep: [[f for f in feats if f.startswith(keep)] for feats in base] for keep in set(offsets.values())}
    out: list[list[str]] = [[] for _ in base]
    for offset, keep in offsets.items():
        prefix = "%+d:" % offset
        edge = [prefix + ("BOD" if offset < 0 else "EOD")]
        for i, feats in enumerate(out):
            j = i + offset
            feats += [prefix + f for f in kept[keep][j]] if 0 <= j < len(base) else edge
    return out


def quote_features(doc: Document, v: DocView, base: list[list[str]]) -> list[list[str]]:
    """Stage 1 features: a token, its neighbours, its sentence and the sentences around it.

    The sequence is the whole document, so the CRF can carry an open quotation across sentence and
    paragraph boundaries (multi-paragraph quotes, Konjunktiv continuations).
    """
    neighbours = neighbour_table(base, QUOTE_NEIGHBOURS)
    summaries = [sentence_summary(doc, v, ids) for ids in v.sentences]
    out: list[list[str]] = []
    for s, ids in enumerate(v.sentences):
        here = ["s:" + f for f in summaries[s]]
        before = ["s-1:" + f for f in summaries[s - 1] if not f.startswith("sv=")] if s > 0 else ["s-1:none"]
        after = (
            ["s+1:" + f for f in summaries[s + 1] if not f.startswith("sv=")]
            if s + 1 < len(summaries)
            else ["s+1:none"]
        )
        parts = clauses(doc, ids)
        clause_evidence = [sorted(evidence(doc, v, c)) for c in parts]
        cue_clause = next((n for n, e in enumerate(clause_evidence) if "cueV" in e), None)
        scue = sentence_cue(doc, v, parts[cue_clause]) if cue_clause is not None else ""
        k = 0
        for n, clause in enumerate(parts):
            ctx = ["c:" + f for f in clause_evidence[n]]
            ctx += ["c-1:" + f for f in clause_evidence[n - 1]] if n else ["c-1:none"]
            ctx += ["c+1:" + f for f in clause_evidence[n + 1]] if n + 1 < len(parts) else ["c+1:none"]
            ctx += clause_relation(doc, v, clause, n, cue_clause, clause_evidence[n], scue)
            for j, i in enumerate(clause):
                feats = ["bias", *base[i], *here, *before, *after, *ctx, *neighbours[i]]
                if k == 0:
                    feats.append("sstart")
                    if v.para_start[i]:
                        feats.append("pstart")
                if k == len(ids) - 1:
                    feats.append("send")
                if j == 0:
                    feats.append("cstart")
                feats.append("pos=%s" % ("0" if k == 0 else "1" if k < 3 else "m"))
                out.append(feats)
                k += 1
    return out


def sentence_cue(doc: Document, v: DocView, clause: list[int]) -> str:
    """Lemma of the strongest cue verb in a clause."""
    rank = {"hi": 0, "mid": 1, "lex": 2}
    verbs = [i for i in clause if doc.tokens[i].pos.startswith("V") and v.cue[i] in rank]
    return v.lemmas[min(verbs, key=lambda i: rank[v.cue[i]])] if verbs else ""


def clause_relation(
    doc: Document, v: DocView, clause: list[int], n: int, cue_clause: int | None, evidence_here: list[str], scue: str
) -> list[str]:
    """Where a clause sits relative to the sentence's cue clause, conjoined with how the clause begins.

    A CRF does not combine features by itself; "the clause right after the cue clause starts with a
    Konjunktiv verb" is the evidence for an indirect quote, so the conjunctions are spelled out.
    """
    if cue_clause is None:
        rel = "none"
    else:
        d = n - cue_clause
        rel = "here" if d == 0 else "a%d" % min(d, 3) if d > 0 else "b%d" % min(-d, 3)
    first = doc.tokens[clause[0]]
    start = clause[1] if first.text in CLAUSE_BOUNDARIES and len(clause) > 1 else clause[0]
    head = doc.tokens[start]
    out = ["cr=" + rel, "cr|fp=%s|%s" % (rel, head.pos), "cr|fw=%s|%s" % (rel, head.text.lower())]
    out += ["cr|%s|%s" % (rel, e) for e in evidence_here if e in ("k1", "k2", "ind", "src", "mark")]
    if scue:
        out += ["scue=" + scue, "cr|scue=%s|%s" % (rel, scue)]
    return out


def role_window(doc: Document, v: DocView, quote_ids: list[int], context: int = ROLE_CONTEXT_SENTENCES) -> list[int]:
    """Token ids of the sentences holding a quotation plus `context` sentences either side, in text order.

    Gathered from the view's sentences rather than by a pass over the document, so a window costs its own
    length and a long article is not read once per quotation.
    """
    sents = [doc.tokens[i].sent for i in quote_ids]
    first, last = max(0, min(sents) - context), max(sents) + context
    return sorted(i for ids in v.sentences[first : last + 1] for i in ids)


def _distance_bucket(d: int) -> str:
    return str(d) if d <= 3 else "4-6" if d <= 6 else "7-12" if d <= 12 else "far"


def matching_rule(doc: Document, v: DocView, quote_ids: set[int]) -> Quotation | None:
    """The rules' quotation sharing most quote tokens with this one (the earliest of equals), if any.

    Only the rules found at the quotation's own tokens are counted, so the cost does not grow with the
    number of quotations in the article.
    """
    overlaps: Counter[int] = Counter(n for i in quote_ids for n in v.rules_at[i])
    if not overlaps:
        return None
    most = max(overlaps.values())
    return v.rules[min(n for n, overlap in overlaps.items() if overlap == most)]


def rule_roles(doc: Document, rule: Quotation | None) -> dict[int, str]:
    """Token id → role letters the rules gave it for the matching quotation."""
    letters: dict[int, str] = {}
    if rule is not None:
        for letter, part in (("S", "speaker"), ("C", "cue"), ("F", "frame"), ("A", "addressee")):
            for i in doc.token_ids(rule.part(part)):
                letters[i] = letters.get(i, "") + letter
    return letters


def role_features(
    doc: Document, v: DocView, base: list[list[str]], window: list[int], quote_ids: set[int], qtype: str
) -> list[list[str]]:
    """Stage 2 features: each window token relative to the quotation (inside, left, right, how far)."""
    rule = rule_roles(doc, matching_rule(doc, v, quote_ids))
    q_first, q_last = min(quote_ids), max(quote_ids)
    q_sents = {doc.tokens[i].sent for i in (q_first, q_last)}
    cues = [i for i in window if v.cue[i] in ("hi", "mid", "lex") and i not in quote_ids]
    first_verb = next((i for i in sorted(quote_ids) if "FIN" in doc.tokens[i].pos), q_last)
    out = []
    for i in window:
        t = doc.tokens[i]
        if i in quote_ids:
            rel, dist = "in", 0
        elif q_first < i < q_last:
            rel, dist = "gap", 0
        elif i < q_first:
            rel, dist = "L", q_first - i
        else:
            rel, dist = "R", i - q_last
        same = "same" if min(q_sents) <= t.sent <= max(q_sents) else "other"
        feats = ["bias", *base[i], "rel=" + rel, "rs=%s%s" % (rel, same), "d=" + rel + _distance_bucket(dist)]
        feats += ["T=" + qtype, "Trel=%s%s" % (qtype, rel), "Tp=%s%s%s" % (qtype, rel, t.pos)]
        feats.append("relp=%s%s" % (rel, t.pos))
        if v.cue[i]:
            feats.append("relcue=%s%s%s" % (rel, same, v.cue[i]))
        if v.speaker[i]:
            feats += ["spk=" + v.speaker[i], "relspk=%s%s%s" % (rel, same, v.speaker[i])]
        feats.append("rr=" + rule.get(i, "O"))
        if rel == "in":
            # the subject before the quotation's first finite verb is where a Reported quote names its speaker
            head = "pre" if i < first_verb else "verb" if i == first_verb else "post"
            feats += [
                "din=" + _distance_bucket(i - q_first),
                "inhead=%s%s" % (qtype, head),
                "inheadp=%s%s" % (head, t.pos),
            ]
        near = [c for c in cues if doc.tokens[c].sent == t.sent]
        if near:
            c = min(near, key=lambda c: abs(c - i))
            feats.append("tocue=%s%s" % ("-" if c < i else "+" if c > i else "0", _distance_bucket(abs(c - i))))
        for off in (-1, 1):
            feats += _neighbours(base, i, off, ("w=", "p=", "cue="))
        out.append(feats)
    return out


def medium_features(doc: Document, v: DocView, qtype: str, parts: dict[str, list[int]]) -> list[str]:
    """One quotation's evidence for its medium: its cue words, its speaker's words, its type, the rules' guess."""
    rule = matching_rule(doc, v, set(parts["quote"]))
    feats = ["bias", "T=" + qtype, "rmed=" + (rule.medium if rule else "-")]
    feats += ["cue=" + v.lemmas[i] for i in parts["cue"]]
    feats += ["frame=" + v.lemmas[i] for i in parts["frame"] if doc.tokens[i].pos[:1] in "VN"]
    speaker = [i for i in parts["speaker"] if doc.tokens[i].pos in ("NN", "NE", "PPER", "PIS")]
    feats += ["spk=" + v.lemmas[i] for i in speaker]
    if speaker:
        feats += ["spkhead=" + v.lemmas[speaker[-1]], "spkpos=" + doc.tokens[speaker[-1]].pos]
    else:
        feats.append("nospeaker")
    first_person = any(doc.tokens[i].text.lower() in FIRST_PERSON_PRONOUNS for i in parts["quote"])
    feats.append("1st=%s" % first_person)
    return feats
