"""Whether an event happened, is planned, or is denied, read from the verbs that govern it."""
from __future__ import annotations

from .lexicon import Lexicon
from .text import fold

NOT_NEGATION_AFTER = frozenset({"seulement", "uniquement", "que", "moins", "même"})


def _denying(token, lexicon: Lexicon) -> bool:
    return fold(token.lemma_) in lexicon.negation or fold(token.text) in lexicon.negation


def _denial_denied(token) -> bool:
    """"n'a pas exclu une rencontre": the denying word is itself denied."""
    words = {fold(c.text) for c in token.children}
    return bool(words & {"ne", "n'"} and words & {"pas", "jamais", "plus"})


def _denial_undone(token) -> bool:
    """A denying word denied ("n'a pas exclu") or turned round ("loin de boycotter le
    sommet, il s'y est rendu")."""
    if _denial_denied(token):
        return True
    doc = token.doc
    return token.i >= 2 and fold(doc[token.i - 1].text) in ("de", "d'") \
        and fold(doc[token.i - 2].text) == "loin"


def _counterfactual(token) -> bool:
    """"aurait dû se rendre", "aurait pu venir": what should or could have happened,
    and did not."""
    return fold(token.lemma_) in ("devoir", "pouvoir") and any(
        c.dep_ == "aux:tense" and "Cnd" in c.morph.get("Mood") for c in token.children)


def _negated_here(token, lexicon: Lexicon) -> bool:
    """ne ... pas/aucun/jamais on this word, or a denying word such as "séchant"."""
    if _denying(token, lexicon):
        return not _denial_undone(token)
    if _counterfactual(token):
        return True
    children = list(token.children)
    if token.pos_ == "NOUN" and any(
            c.dep_ in ("amod", "acl") and (fold(c.lemma_) in lexicon.negation
                                           or fold(c.text) in lexicon.negation)
            for c in children):
        return True     # "un déplacement annulé", "sa visite reportée"
    words = {fold(c.text) for c in children}
    if "aucun" in words or "aucune" in words:
        return True
    has_ne = bool(words & {"ne", "n'"})
    if has_ne and any(fold(d.text) in ("aucun", "aucune", "nul", "nulle")
                      for c in children for d in c.children if d.dep_ == "det"):
        return True
    for child in children:
        word = fold(child.text)
        if word in lexicon.negators and word not in ("aucun", "aucune"):
            following = child.nbor(1) if child.i + 1 < len(child.doc) else None
            if following is not None and fold(following.text) in NOT_NEGATION_AFTER \
                    and word == "pas" and fold(following.text) != "même" \
                    and following.dep_ != "mark":
                continue    # "pas que", "pas seulement": not only (but "pas que" + clause denies)
            if has_ne or word in ("jamais", "pas"):
                return True
    return False


def finite(token) -> bool:
    if "Fin" in token.morph.get("VerbForm"):
        return True
    return any("Fin" in c.morph.get("VerbForm") for c in token.children
               if c.dep_.startswith("aux") or c.dep_ == "cop")


FUTURE_ENDINGS = ("ront", "rons", "rez", "rai", "ras", "ra", "raient", "rait", "rais")


def future_form(token, lexicon: Lexicon) -> bool:
    """Simple future or conditional from the word itself, for when the tagger misses it:
    a regular verb is its infinitive plus the ending ("visitera"), an irregular one a
    known stem ("recevra", "ira")."""
    if token.pos_ not in ("VERB", "AUX"):
        return False
    word = fold(token.text)
    if not word.endswith(FUTURE_ENDINGS):
        return False
    lemma = fold(token.lemma_)
    for ending in FUTURE_ENDINGS:
        if word.endswith(ending) and len(word) > len(ending):
            stem = word[: -len(ending)] + "r"
            base = lemma[:-1] if lemma.endswith("re") else lemma
            if stem == base or stem[:-1] in lexicon.future_stems or stem in lexicon.future_stems \
                    or any(stem.endswith(s) and len(s) > 2 for s in lexicon.future_stems):
                return True
    return False


def _future_or_conditional(morph) -> bool:
    return "Fut" in morph.get("Tense") or "Cnd" in morph.get("Mood")


def _planned_here(token, lexicon: Lexicon) -> bool:
    lemma = fold(token.lemma_)
    if lemma == "devoir" and any(c.dep_ == "aux:tense" and "Ind" in c.morph.get("Mood")
                                 for c in token.children):
        return False    # "a dû écourter sa visite": it happened
    if lemma in lexicon.planned or fold(token.text) in lexicon.planned:
        return True
    if _denying(token, lexicon) and _denial_denied(token):
        return True     # "n'a pas exclu une rencontre": possible, not done
    if "Sub" in token.morph.get("Mood") and "Pres" in token.morph.get("Tense") \
            and not any(c.dep_ == "aux:tense" for c in token.children):
        return True     # "peu probable qu'il se rende en Russie": not (yet) done
    if token.pos_ == "NOUN" and any(
            c.dep_ in ("acl", "amod") and (fold(c.lemma_) in lexicon.planned
                                           or fold(c.text) in lexicon.planned)
            for c in token.children):
        return True     # "un sommet prévu demain", "sa visite programmée en mai"
    # the auxiliaries, and the copula of a predicate ("seront présents", "sera présente")
    forms = [token] + [c for c in token.children if c.dep_.startswith("aux") or c.dep_ == "cop"]
    if any(_future_or_conditional(f.morph) for f in forms):
        return True
    if any(future_form(f, lexicon) for f in forms):
        return True
    # periphrastic future: "va effectuer", "vont se rendre"
    if lemma == "aller" and "Pres" in token.morph.get("Tense") and any(
            c.dep_ in ("xcomp", "ccomp") and "Inf" in c.morph.get("VerbForm")
            for c in token.children):
        return True
    if "Inf" in token.morph.get("VerbForm") and fold(token.head.lemma_) == "aller" \
            and "Pres" in token.head.morph.get("Tense"):
        return True
    return False


def status(token, lexicon: Lexicon, sentence_future: bool = False) -> str:
    """occurred, planned or negated for the event word `token`.

    Walks up from the event word to the first finite verb: denial anywhere on the
    way wins, then any planning word, future or conditional; a present tense with
    a future time word ("part demain") is planned too.
    """
    node = token
    planned = False
    for _ in range(10):
        if node.ent_type_ == "PER" and node.pos_ in ("VERB", "AUX"):   # a name tagged as a verb
            if node.head.i == node.i:
                break
            node = node.head
            continue
        if _negated_here(node, lexicon):
            return "negated"
        if _planned_here(node, lexicon):
            planned = True
        if node.pos_ in ("VERB", "AUX") and finite(node):
            if fold(node.lemma_) in lexicon.reporting and node.i != token.i:
                break
            if fold(node.lemma_) in ("aller", "devoir") or (node.dep_ == "xcomp" and not any(
                    c.dep_ == "aux:tense" for c in node.children)):
                pass        # (a verb with its own auxiliary is a clause, whatever it hangs on)
            else:
                # "ne suggérait pas que X pourrait venir": a report that denies the clause
                saying = node.head if node.dep_ == "ccomp" else None
                if saying is not None and fold(saying.lemma_) in lexicon.reporting \
                        and _negated_here(saying, lexicon):
                    return "negated"
                break
        if node.head.i == node.i:
            break
        if any(c.dep_ == "cop" for c in node.children) and any(
                c.dep_ in ("nsubj", "nsubj:pass") for c in node.children) \
                and node.dep_ not in ("ccomp", "xcomp", "csubj"):
            break   # "X est absent, Y sera présent": a copular clause with its own subject
        if node.dep_.startswith("nmod") and node.head.pos_ in ("NOUN", "PROPN") \
                and node.head.dep_ in ("nsubj", "nsubj:pass"):
            break   # "une déclaration sur le voyage ne disait pas ...": the verb is said of
            #         the declaration, not of the trip it is about
        node = node.head
    if planned:
        return "planned"
    if sentence_future and not _past(node, lexicon) and not _ongoing(node):
        # "part demain": a present with a future time word is planned; "s'est rendu à
        # Djibouti, en attendant sa prochaine visite": a past tense is not, nor is what is
        # going on since a time said ("effectue depuis mardi une visite")
        return "planned"
    return "occurred"


def _ongoing(verb) -> bool:
    """"effectue depuis mardi une visite": a present going on since a time."""
    return any(fold(g.text) == "depuis" for c in verb.children for g in c.children
               if g.dep_ == "case")


def _past(verb, lexicon: Lexicon) -> bool:
    """A compound past ("s'est rendu", "avait rencontré", "est arrivé") or a simple past or
    imperfect. The parser often reads the "être" of a compound past as a passive
    auxiliary: it is a past when the verb is one conjugated with "être" or pronominal,
    and "est reçu demain" stays a present passive."""
    tense = verb.morph.get("Tense")
    if "Past" in tense and "Part" in verb.morph.get("VerbForm"):
        children = list(verb.children)
        if any(c.dep_ == "aux:tense" for c in children):
            return True
        if fold(verb.lemma_) in lexicon.etre_verbs and not any(
                c.dep_.startswith("aux") for c in children):
            return True     # "X, arrivé la veille à Y, ...": a bare participle of motion
        if any(c.dep_ == "aux:pass" for c in children) and (
                fold(verb.lemma_) in lexicon.etre_verbs
                or any(c.dep_.startswith("expl") or fold(c.text) in ("se", "s'")
                       for c in children)):
            return True
        return False
    if "Fin" in verb.morph.get("VerbForm"):
        return "Past" in tense or "Imp" in tense
    # "s'est envolé" tagged as an infinitive: only a participle takes avoir or être
    if any(c.dep_ == "aux:tense" and fold(c.lemma_) in ("avoir", "etre") for c in verb.children):
        return True
    # "était à Moscou", "était présent": the tense is the copula's
    return any(c.dep_ == "cop" and "Fin" in c.morph.get("VerbForm")
               and ("Past" in c.morph.get("Tense") or "Imp" in c.morph.get("Tense"))
               for c in verb.children)
