"""Finding person names in free text (Russian and English), offline.

Three sources of evidence, combined per text:

1. **Morphology of Russian words** (``pymorphy3`` with the OpenCorpora dictionary): a word
   whose dictionary readings mark it as a first name (*Name*), surname (*Surn*) or patronymic
   (*Patr*), in any case, inflection or word order: «Иванов Пётр Сергеевич», «иван петров»,
   «с Анной Смирновой».
2. **Name lists for Latin script** (the first- and last-name lists of ``Faker``'s European
   locales, plus transliterated Russian names), with a list of common English words that are
   also names ("Will", "May", "Bill") treated as names only next to another name or after a cue.
3. **Natasha's neural NER** (``slovnet`` news model with ``navec`` embeddings, shipped inside
   the ``natasha`` wheel) for Russian text: catches names no dictionary knows, by context. Its
   person spans are kept only when a word in them is a known name, or a cue precedes them, so
   wine names such as «Шато Марго» are not taken for people.

Cues ("меня зовут", "с уважением,", "Hello", "Kind regards,", "Mr") mark the next capitalised
words as a name. Names from the user's own tables (``known_names``) are always names.
"""

from __future__ import annotations

import importlib
import importlib.util
import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path

__all__ = ["NAME_TOKEN", "name_spans", "name_spans_many", "KnownNames"]

NAME_TOKEN = "[name]"

_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
_CYR = re.compile(r"[а-яё]", re.IGNORECASE)
_CYR_UPPER = re.compile(r"[А-ЯЁ]")

# Words after which the next capitalised word(s) are a person's name.
_CUES = [
    r"меня\s+зовут", r"зовут", r"с\s+уважением,?", r"уважением,", r"здравствуйте,?", r"добрый\s+(?:день|вечер),?",
    r"доброе\s+утро,?", r"привет,?", r"уважаем(?:ый|ая|ые),?", r"дорог(?:ой|ая),?", r"господин", r"госпожа",
    r"г-н", r"г-жа", r"оператор(?:у|а|ом)?", r"менеджер(?:у|а|ом)?", r"консультант(?:у|а|ом)?", r"курьер(?:у|а|ом)?",
    r"сотрудни(?:к|ку|ка|ком|ца|це|цей)", r"продав(?:ец|цу|ца|щица|щице|щицей)", r"это", r"спасибо,",
    r"благодар(?:ю|им),?",
    r"my\s+name\s+is", r"name\s+is", r"i\s+am", r"i'm", r"this\s+is", r"(?:kind|best|warm)\s+regards,?",
    r"regards,?", r"sincerely,?", r"cheers,", r"thanks,", r"thank\s+you,", r"hello,?", r"hi,?", r"hey,?", r"dear",
    r"thanks\s+to", r"spoke\s+(?:with|to)", r"talked\s+(?:with|to)", r"speak\s+(?:with|to)", r"ask\s+for",
    r"mr\.?", r"mrs\.?", r"ms\.?", r"miss", r"dr\.?", r"agent", r"operator", r"courier", r"manager",
]
_STRONG_CUE = re.compile(r"(?:^|(?<=[\s,.!?;:«\"(]))(?:меня\s+зовут|с\s+уважением,?|my\s+name\s+is|"
                         r"(?:kind|best|warm)\s+regards,?|regards,?|sincerely,?)\s*$", re.IGNORECASE)
_CUE = re.compile(r"(?:^|(?<=[\s,.!?;:«\"(]))(?:" + "|".join(_CUES) + r")\s*$", re.IGNORECASE)

# English words that are also first names: names only next to another name or after a cue.
_EN_COMMON_EXTRA = """will may mark bill rose grace hope joy art frank guy summer june april august jack pat sue rob
don ray dawn faith chase miles hunter rich cliff glen dean drew penny ruby amber crystal holly ivy iris lily
daisy jasmine olive pearl sky river stone brook wade bob nick sally max victor angel early young white black
brown green gray grey king long little hill wood field price cash law love best new good sunny star page
bud buck carol christian clay colt destiny eve faith forest gene harley heath hero honey jay jean jewel
kay lane lee lou lucky major mason page paris penny porter rich ridge rocky sage scott sharon shell skip
stacy sterling storm tad taylor terry trinity troy val van violet warren wes will winter york dallas
austin houston phoenix london florence sydney georgia virginia carolina jordan china india asia
the and for not you all any can her was one our out day get has him his how man now old see two way who
boy did its let put say she too use dear hello thanks thank regards kind service shop store order wine
cheese delivery staff price quality great nice fine very just also still only even much more most well
bordeaux chablis rioja merlot pinot noir blanc cabernet sauvignon chardonnay riesling shiraz malbec
prosecco champagne porto chianti brie camembert gouda cheddar parmesan mozzarella terroir chateau domaine
reserve grand cru vintage brut rose margaux medoc pomerol sancerre barolo barbaresco tokaji cava
sherry madeira marsala beaujolais bourgogne burgundy alsace tuscany toscana napa""".split()

# Surnames that name methods in statistics and analytics: in report text they are not people.
_EPONYMS = """holm bonferroni sidak šidák wilson wald agresti coull clopper cohen fleiss pearson spearman kendall
fisher mann whitney kruskal wallis benjamini hochberg yekutieli tukey dunn welch student gini lorenz mcnemar stuart
maxwell bowker jenks kaplan meier cox poisson gauss gaussian bayes bayesian markov dirichlet pareto weibull newton
raphson hessian fader hardie schmittlein morrison cramer cramér shapiro wilk kolmogorov smirnov levene bartlett
likert reichheld kano shapley huber theil hodges lehmann efron horvitz deming hosmer lemeshow nagelkerke mcfadden
akaike schwarz kish calinski harabasz davies bouldin rand hubert arabie fellegi sunter jaro winkler levenshtein
damerau jaccard ochiai newcombe bernoulli binomial laplace euler cauchy chebyshev jensen huffman voronoi ward
lloyd elkan hartigan wong kmeans""".split()

_TRANSLIT = dict(zip(
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
    ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r", "s", "t",
     "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya"],
))
_TRANSLIT_ALT = {"й": "i", "х": "h", "ё": "yo", "ю": "iu", "я": "ia", "ц": "c", "ь": "", "ы": "i",
                 "е": "ye", "кс": "x"}


def _translit_variants(word: str) -> set[str]:
    base = "".join(_TRANSLIT.get(ch, ch) for ch in word)
    out = {base}
    for src, dst in _TRANSLIT_ALT.items():
        if src in word:
            out.add("".join(dst if ch == src else _TRANSLIT.get(ch, ch) for ch in word) if len(src) == 1
                    else base.replace("ks", dst))
    if base.endswith("iy") or base.endswith("yy"):
        out.add(base[:-2] + "y")
    return {w for w in out if w}


@lru_cache(maxsize=1)
def _morph():
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang="ru")


@lru_cache(maxsize=1)
def _latin_lists() -> tuple[frozenset, frozenset, frozenset]:
    """Lower-cased Latin first names, last names and common English words."""
    first: set[str] = set()
    last: set[str] = set()
    for loc in ("en_US", "en_GB", "en_IE", "en_CA", "en_AU", "de_DE", "fr_FR", "it_IT", "es_ES", "nl_NL",
                "pl_PL", "cs_CZ", "sv_SE", "da_DK", "no_NO", "fi_FI", "pt_PT", "hu_HU", "ro_RO", "tr_TR"):
        try:
            prov = importlib.import_module(f"faker.providers.person.{loc}").Provider
        except ImportError:  # a locale missing from an older Faker
            continue
        for attr in ("first_names", "first_names_male", "first_names_female"):
            first.update(n.lower() for n in getattr(prov, attr, ()) if _is_word(n))
        for attr in ("last_names", "last_names_male", "last_names_female"):
            last.update(n.lower() for n in getattr(prov, attr, ()) if _is_word(n))
    ru = importlib.import_module("faker.providers.person.ru_RU").Provider
    for attr in ("first_names_male", "first_names_female"):
        for n in getattr(ru, attr, ()):
            first.update(_translit_variants(n.lower()))
    for attr in ("last_names_male", "last_names_female", "middle_names_male", "middle_names_female"):
        for n in getattr(ru, attr, ()):
            last.update(_translit_variants(n.lower()))
    from faker.providers.lorem.en_US import Provider as Lorem

    common = {w.lower() for w in Lorem.word_list} | set(_EN_COMMON_EXTRA) | set(_EPONYMS)
    return frozenset(first), frozenset(last), frozenset(common)


def _is_word(text: str) -> bool:
    return bool(_WORD.fullmatch(text))


@lru_cache(maxsize=200_000)
def _ru_class(word: str) -> tuple[float, float, float, float]:
    """(name, surname, patronymic, place) reading weights of a lower-case Cyrillic word."""
    morph = _morph()
    if not morph.word_is_known(word):
        # an unknown word: only a patronymic ending is trusted («ааронович», «рашитовна»)
        return (0.0, 0.0, 1.0, 0.0) if _PATR_END.search(word) else (0.0, 0.0, 0.0, 0.0)
    name = surn = patr = geo = 0.0
    for p in morph.parse(word):
        tag = p.tag
        if "Name" in tag:
            name += p.score
        if "Surn" in tag:
            surn += p.score
        if "Patr" in tag:
            patr += p.score
        if "Geox" in tag or "Orgn" in tag or "Trad" in tag:
            geo += p.score
    return name, surn, patr, geo


_PATR_END = re.compile(r"(?:ович|евич|ьич|ична|овна|евна|инична)(?:а|у|ем|е|ой|ы|ею)?$")
_SURN_END = re.compile(r"(?:(?:ов|ев|ёв|ин|ын)(?:а|у|ым|ой|е|ою)?|(?:ск|цк)(?:ий|ая|ого|ой|ому|ую|им)|енко|ян|янц|дзе|"
                       r"швили|ук|юк|их|ых)$")
_FUNCTION_POS = {"PREP", "CONJ", "PRCL", "INTJ", "VERB", "INFN", "GRND", "PRTF", "PRTS", "ADVB", "NPRO", "PRED",
                 "COMP", "NUMR", "ADJS"}


@lru_cache(maxsize=100_000)
def _surname_like(word: str) -> bool:
    """A Cyrillic word that can be the surname beside a first name or patronymic («мясников», «зимина»)."""
    low = word.lower()
    if not _CYR.search(low):
        return False
    name, surn, patr, geo = _ru_class(low)
    if surn > 0:
        return True
    if not _SURN_END.search(low):
        return False
    morph = _morph()
    return not morph.word_is_known(low) or morph.parse(low)[0].tag.POS not in _FUNCTION_POS - {"ADJS"}


@lru_cache(maxsize=100_000)
def _first_like(word: str) -> bool:
    """A Cyrillic word that can be the first name before a patronymic (not a verb, preposition, ...)."""
    low = word.lower()
    if not _CYR.search(low):
        return False
    morph = _morph()
    if not morph.word_is_known(low):
        return True
    return _ru_class(low)[0] > 0 or morph.parse(low)[0].tag.POS not in _FUNCTION_POS | {"NOUN", "ADJF"}


@lru_cache(maxsize=50_000)
def _ru_lemmas(word: str) -> frozenset:
    morph = _morph()
    return frozenset(p.normal_form for p in morph.parse(word) if {"Name", "Surn", "Patr"} & p.tag.grammemes)


class KnownNames:
    """Name words from the user's own tables (customers' and contacts' names).

    Each full name is split into words; a word is kept when it is at least two letters long
    and not a common word (a Russian dictionary word that is not mainly a name, or a common
    English word). Russian words also match in other grammatical cases.

    Examples
    --------
    >>> k = KnownNames(["Петрова Анна", "John Xavierson"])
    >>> "петровой" in k, "xavierson" in k, "вино" in k
    (True, True, False)
    """

    def __init__(self, names: Iterable[str] | None = None):
        self.words: set[str] = set()
        self.lemmas: set[str] = set()
        if names is None:
            return
        _, _, common = _latin_lists()
        for full in names:
            if full is None or not isinstance(full, str):
                continue
            for w in _WORD.findall(unicodedata.normalize("NFKC", full)):
                low = w.lower()
                if len(low) < 2:
                    continue
                if _CYR.search(low):
                    name, surn, patr, geo = _ru_class(low)
                    morph = _morph()
                    if morph.word_is_known(low) and name + surn + patr < 0.3:
                        continue  # a common word that happens to be someone's name ("Роза" → роза)
                    self.words.add(low)
                    self.lemmas.update(_ru_lemmas(low) or {low})
                else:
                    if low in common:
                        continue
                    self.words.add(low)

    def __contains__(self, word: str) -> bool:
        low = word.lower()
        if low in self.words:
            return True
        return bool(self.lemmas) and _CYR.search(low) is not None and bool(_ru_lemmas(low) & self.lemmas)

    def __bool__(self) -> bool:
        return bool(self.words)


# --------------------------------------------------------------------------------------------
# Natasha's NER (loaded once, lazily)
# --------------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _ner():
    spec = importlib.util.find_spec("natasha")
    if spec is None or not spec.submodule_search_locations:
        from cxlab.errors import CXLabError

        raise CXLabError("name redaction needs the 'natasha' package (Russian NER, model inside the wheel)",
                         fix="pip install natasha (it is a dependency of cxlab: reinstall cxlab)")
    root = Path(list(spec.submodule_search_locations)[0]) / "data"
    from navec import Navec
    from slovnet import NER

    ner = NER.load(str(root / "model" / "slovnet_ner_news_v1.tar"), batch_size=64)
    ner.navec(Navec.load(str(root / "emb" / "navec_news_v1_1B_250K_300d_100q.tar")))
    return ner


def _ner_person_spans(texts: Sequence[str]) -> list[list[tuple[int, int]]]:
    if not texts:
        return []
    ner = _ner()
    out = []
    for markup in ner.map(list(texts)):
        out.append([(s.start, s.stop) for s in markup.spans if s.type == "PER"])
    return out


# --------------------------------------------------------------------------------------------
# Token classes and spans
# --------------------------------------------------------------------------------------------
_STRONG, _WEAK, _NONE = 2, 1, 0
_INI = r"[A-ZА-ЯЁ]\.\s?(?:[A-ZА-ЯЁ]\.)?"
_SURNAME_LIKE = r"[A-ZА-ЯЁ][a-zа-яё]+(?:-[A-ZА-ЯЁ][a-zа-яё]+)?"
_INITIALS = re.compile(rf"(?<![\w.]){_SURNAME_LIKE}\s+{_INI}(?!\w)|(?<![\w.]){_INI}\s?{_SURNAME_LIKE}(?!\w)")


def _classify(word: str, known: KnownNames | None) -> tuple[int, str]:
    """(strength, kind) of one word: kind 'first', 'last', 'lastgeo' (also a place), 'patr' or ''."""
    parts = re.split(r"[-'’]", word)
    if len(parts) > 1 and all(parts):  # «Анна-Мария», «Петрова-Водкина», "Jean-Pierre": the best part
        if known and word.lower() in known:
            return _STRONG, "known"
        return max([_classify_one(word, known)] + [_classify_one(p, known) for p in parts if len(p) > 1])
    return _classify_one(word, known)


def _classify_one(word: str, known: KnownNames | None) -> tuple[int, str]:
    low = word.lower()
    if known and low in known:
        return _STRONG, "known"
    if _CYR.search(low):
        name, surn, patr, geo = _ru_class(low)
        if patr >= 0.3:
            return _STRONG, "patr"
        if name >= 0.5 and name >= geo:
            return _STRONG, "first"
        if surn >= 0.5 and surn > geo:
            return _STRONG, "last" if geo == 0 else "lastgeo"
        if name > 0 or surn > 0.15:
            return _WEAK, "first" if name > 0 else "last"
        return _NONE, ""
    first, last, common = _latin_lists()
    if low in common:
        if low in first:
            return _WEAK, "first"
        if low in last:
            return _WEAK, "last"
        return _NONE, ""
    if low in first:
        return _STRONG, "first"
    if low in last:
        return _WEAK, "last"
    return _NONE, ""


def _is_cap(word: str) -> bool:
    return word[:1].isupper()


def _sentence_start(text: str, start: int) -> bool:
    before = text[:start].rstrip(" \t«\"'(")
    return not before or before[-1] in ".!?\n:;—-"


def _cue_before(text: str, start: int) -> bool:
    return bool(_CUE.search(text[max(0, start - 40):start]))


_PLACE_WORD = re.compile(r"(?:^|[\s(«\"])(?:город[аеуом]?|г\.?|гор\.|сел[оауе]|пос[её]л(?:ок|ке|ка)|пос\.|"
                         r"деревн[яеиюй]|"
                         r"станци[яиею]|ст\.|улиц[аеуы]|ул\.|проспект[аеу]?|пр-т|пр\.|переул(?:ок|ке|ка)|пер\.|"
                         r"площад[ьи]|пл\.|бульвар[аеу]?|б-р|шоссе|набережн(?:ая|ой)|наб\.|мыс[аеу]?|район[аеу]?|"
                         r"област[ьи]|кра[йяе]|метро|м\.|city|town|village|street|st\.|avenue|ave\.?|road|rd\.|"
                         r"lane|square|station)\s*$", re.IGNORECASE)
_PLACE_PREP = re.compile(r"(?:^|[\s(«\"])(?:в|во|из|изо|до|под|подо|через|около|возле|у|на|по|in|to|from|at|near|"
                         r"via)\s*$", re.IGNORECASE)


def _place_before(text: str, start: int, word: str) -> bool:
    """The word follows "город", "улица", "street"..., or a preposition while it can also be a place."""
    before = text[max(0, start - 20):start]
    if _PLACE_WORD.search(before):
        return True
    if _PLACE_PREP.search(before) and _CYR.search(word):
        return _ru_class(word.lower())[3] > 0
    return False


def _only_space_between(text: str, a: int, b: int) -> bool:
    gap = text[a:b]
    return len(gap) <= 3 and gap.strip() in ("", "-")


def name_spans(text: str, *, known: KnownNames | None = None, ner_spans=None) -> list[tuple[int, int]]:
    """Character spans of the person names found in one text (merged, sorted).

    Parameters
    ----------
    text
        One text.
    known
        Names from the user's own tables (:class:`KnownNames`).
    ner_spans
        Person spans from Natasha's NER for this text (computed when ``None`` and the text has
        Cyrillic capitals; pass ``[]`` to skip the NER).

    Examples
    --------
    >>> t = "Меня зовут Иванов Пётр Сергеевич, звонил иван петров"
    >>> [t[a:b] for a, b in name_spans(t)]
    ['Иванов Пётр Сергеевич', 'иван петров']
    """
    words = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)
             if not (m.start() > 0 and text[m.start() - 1].isdigit())
             and not (m.end() < len(text) and text[m.end()].isdigit())]  # "Paca93…" is a code, not a word
    if not words:
        return []
    if ner_spans is None:
        ner_spans = _ner_person_spans([text])[0] if _CYR_UPPER.search(text) else []
    cls = [_classify(w, known) for _, _, w in words]
    spans = _run_spans(text, words, cls)
    spans += _cue_spans(text, words, cls)
    # initials next to a capitalised word: «Иванову И.И.», «И. И. Иванов», "J.R. Smith"
    for m in _INITIALS.finditer(text):
        word = max(_WORD.findall(m.group()), key=len)
        if len(word) > 1 and (_classify(word, known)[0] != _NONE or _unknown_word(word)):
            spans.append((m.start(), m.end()))  # not "P.S. Thanks" or «Т.е. Доставка»
    # Natasha's person spans that contain a name-like word or follow a cue
    for s, e in ner_spans:
        inside = [k for k, (ws, we, _) in enumerate(words) if ws >= s and we <= e]
        if inside and _place_before(text, words[inside[0]][0], words[inside[0]][2]):
            continue
        if any(cls[k][0] != _NONE and cls[k][1] != "lastgeo" for k in inside) or _cue_before(text, s):
            spans.append((s, e))
    # "Walker, Hannah": a surname before a comma and a first name
    for n, (s, e) in enumerate(spans):
        m = re.search(r"([^\W\d_]+),\s*$", text[max(0, s - 40):s])
        if m and _is_cap(m.group(1)):
            w = m.group(1)
            strength, kind = _classify(w, known)
            if kind in ("last", "lastgeo", "first") or (strength == _NONE and _unknown_word(w)):
                spans[n] = (s - len(m.group(0)), e)
    return _merge(spans, text)


def _run_spans(text: str, words: list[tuple[int, int, str]], cls: list[tuple]) -> list[tuple[int, int]]:
    """Spans of runs of adjacent name-like words (and of lone words that are names in their place)."""
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(words):
        if cls[i][0] == _NONE:
            i += 1
            continue
        j = i
        while j + 1 < len(words) and cls[j + 1][0] != _NONE and _only_space_between(text, words[j][1],
                                                                                    words[j + 1][0]):
            j += 1
        run = range(i, j + 1)
        strong = [k for k in run if cls[k][0] == _STRONG]
        kinds = {cls[k][1] for k in run}
        caps = all(_is_cap(words[k][2]) for k in run)
        take = False
        if len(run) >= 2 and strong and (kinds & {"first", "patr", "known"} or caps):
            take = True
        elif len(run) >= 2 and caps and (kinds & {"first"}) and (kinds & {"last", "lastgeo"}):
            take = True  # "Will Smith": a common-word first name next to a surname
        elif len(run) == 1 and not _place_before(text, words[i][0], words[i][2]):
            take = _lone_name(text, words, cls, i)
        if take and _CYR.search(words[i][2]) and kinds & {"first", "patr", "known"}:
            adj_left = i > 0 and _only_space_between(text, words[i - 1][1], words[i][0])
            prev_cap = adj_left and _is_cap(words[i - 1][2]) and not _sentence_start(text, words[i - 1][0])
            if cls[i][1] == "patr" and adj_left and (_first_like(words[i - 1][2]) or prev_cap):
                i -= 1  # «всемил адамович»: the word before a patronymic is the first name
                adj_left = i > 0 and _only_space_between(text, words[i - 1][1], words[i][0])
            if adj_left and _surname_like(words[i - 1][2]):
                i -= 1  # «мясников Виталий Захарьевич»
            elif j + 1 < len(words) and _only_space_between(text, words[j][1], words[j + 1][0]) \
                    and _surname_like(words[j + 1][2]):
                j += 1  # «Виталий Захарьевич Мясников»
        if take:
            # a capitalised unknown word right after a first name is its surname ("John Xavierson")
            if j + 1 < len(words) and _is_cap(words[j + 1][2]) and cls[j][1] in ("first", "known") \
                    and _only_space_between(text, words[j][1], words[j + 1][0]) \
                    and _unknown_word(words[j + 1][2]):
                j += 1
            spans.append((words[i][0], words[j][1]))
        i = j + 1
    return spans


def _lone_name(text: str, words: list[tuple[int, int, str]], cls: list[tuple], i: int) -> bool:
    """Whether a name-like word standing alone is a name here."""
    strength, kind = cls[i]
    word = words[i][2]
    latin = not _CYR.search(word)
    if word.isupper() and len(word) > 1 and kind != "known":
        return False  # a lone word in capitals is an acronym ("ARI", "NPS"), not a name
    if strength == _STRONG and kind in ("first", "patr", "known"):
        # common words that are also names ("Will", «роман») are weak, not strong; a lone Latin
        # first name in lower case ("edit", "curt") is a word more often than a name
        return not (latin and kind == "first" and not _is_cap(word))
    if strength == _STRONG and kind == "last" and _is_cap(word) and not _sentence_start(text, words[i][0]):
        return True
    if strength == _WEAK and kind == "first" and _CYR.search(word) and _is_cap(word) \
            and not _sentence_start(text, words[i][0]) and not (i > 0 and _is_cap(words[i - 1][2])
                     and not _sentence_start(text, words[i - 1][0])):
        return True  # «Спасибо Роман за помощь»: a capital letter mid-sentence makes «роман» a name
    return False


def _cue_spans(text: str, words: list[tuple[int, int, str]], cls: list[tuple]) -> list[tuple[int, int]]:
    """After a cue («меня зовут», "my name is"), the next one to three capitalised (or name-like) words."""
    spans = []
    for k, (s, e, w) in enumerate(words):
        if not (_is_cap(w) or cls[k][0] != _NONE) or not _cue_before(text, s):
            continue
        if not _is_cap(w) and cls[k][0] != _STRONG:
            continue
        if _is_cap(w) and cls[k][0] == _NONE and not _unknown_word(w) \
                and not _STRONG_CUE.search(text[max(0, s - 40):s]):
            continue  # "Hello Team", «Здравствуйте, Уважаемый»: a capitalised ordinary word
        end = e
        m = k
        while m + 1 < len(words) and m + 1 - k < 3 and _only_space_between(text, words[m][1], words[m + 1][0]) \
                and (_is_cap(words[m + 1][2]) and (cls[m + 1][0] != _NONE or _unknown_word(words[m + 1][2]))):
            m += 1
            end = words[m][1]
        spans.append((s, end))
    return spans


@lru_cache(maxsize=100_000)
def _unknown_word(word: str) -> bool:
    """A capitalised word no dictionary knows (a likely foreign surname), not a common word."""
    low = word.lower()
    if _CYR.search(low):
        return not _morph().word_is_known(low)
    first, last, common = _latin_lists()
    return low not in common and len(low) >= 2


def _merge(spans: list[tuple[int, int]], text: str) -> list[tuple[int, int]]:
    spans = sorted(spans)
    out: list[tuple[int, int]] = []
    for s, e in spans:
        if out and (s <= out[-1][1] or _only_space_between(text, out[-1][1], s)):
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


_CAP_CYR_WORD = re.compile(r"(?<![\w])[А-ЯЁ][а-яё]+(?:-[А-ЯЁа-яё][а-яё]+)*")


def _needs_ner(text: str, known: KnownNames | None) -> bool:
    """Whether the NER can add anything: a capitalised Russian word that the dictionary does not know
    or knows only weakly as a name (the rules already decide about all other words)."""
    for m in _CAP_CYR_WORD.finditer(text):
        if m.start() > 0 and text[m.start() - 1] in "«\"“„'":
            continue  # a quoted name is a brand or a product («Терруар»), not a person
        word = m.group()
        if _unknown_word(word) or _classify(word, known)[0] == _WEAK:
            return True
    return False


def name_spans_many(texts: Sequence[str], *, known: KnownNames | None = None, ner: bool = True
                    ) -> list[list[tuple[int, int]]]:
    """:func:`name_spans` for many texts, running the NER in batches, only over the Russian texts where
    it can add a name (a capitalised word no dictionary knows, or knows only weakly as a name).

    Examples
    --------
    >>> texts = ["Спасибо Гульнаре Ахметовой", "Great Chardonnay", "kind regards, emma walker"]
    >>> [[t[a:b] for a, b in spans] for t, spans in zip(texts, name_spans_many(texts))]
    [['Гульнаре Ахметовой'], [], ['emma walker']]
    """
    texts = list(texts)
    ner_spans: list = [[] for _ in texts]
    if ner:
        idx = [i for i, t in enumerate(texts) if _needs_ner(t, known)]
        for i, spans in zip(idx, _ner_person_spans([texts[i] for i in idx])):
            ner_spans[i] = spans
    return [name_spans(t, known=known, ner_spans=ns) for t, ns in zip(texts, ner_spans)]
