"""Verbatim theme coding with editable English and Russian lexicons.

A *lexicon* is a plain JSON file (``cxlab/lexicons/*.json``) mapping each theme to a
list of keywords::

    {"name": "customer_ru", "language": "ru",
     "themes": {"delivery": {"label": "Delivery", "keywords": ["достав*", "курьер*", "в тот же день"]}}}

Keyword forms:

* ``"word"`` matches any word with the same stem (the Snowball stemmer of the
  ``snowballstemmer`` package, English or Russian chosen by the word's alphabet), so
  ``"price"`` matches *prices* and ``"цена"`` matches *цены*, *цену*;
* ``"word*"`` matches words that start with ``word`` (``"достав*"``: *доставка*,
  *доставили*, *доставку*);
* several words match as a phrase, each word by the rules above.

Text is lower-cased, ``ё`` is read as ``е``. A comment can carry several themes. The
coding is transparent and editable, not a black box: load a lexicon with
:func:`load_lexicon`, change its keyword lists, and pass it back.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from cxlab._lazy import lazy_module
from cxlab import stats as cxs
from cxlab.errors import CXLabError

_st = lazy_module("scipy.stats")

__all__ = [
    "DEFAULT_LEXICONS",
    "available_lexicons",
    "load_lexicon",
    "merge_lexicons",
    "tokenize",
    "stem",
    "detect_language",
    "code_themes",
    "theme_lift",
    "example_quotes",
]

DEFAULT_LEXICONS: tuple[str, ...] = ("customer_en", "customer_ru")

_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*", re.UNICODE)
_CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)
_LATIN = re.compile(r"[a-z]", re.IGNORECASE)


# ----------------------------------------------------------------- lexicons
def available_lexicons() -> list[str]:
    """Names of the lexicons shipped with cxlab.

    Examples
    --------
    >>> available_lexicons()
    ['customer_en', 'customer_ru', 'employee', 'tone_en', 'tone_ru']
    """
    folder = resources.files("cxlab") / "lexicons"
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".json"))


def _validate_lexicon(lex, source: str) -> dict:
    if not isinstance(lex, Mapping) or not isinstance(lex.get("themes"), Mapping) or not lex["themes"]:
        raise CXLabError(f"the lexicon {source} has no 'themes' mapping",
                         fix='write it as {"themes": {"theme": {"label": "...", "keywords": ["..."]}}}')
    themes = {}
    for name, spec in lex["themes"].items():
        if isinstance(spec, Sequence) and not isinstance(spec, str):
            spec = {"label": name, "keywords": list(spec)}
        if not isinstance(spec, Mapping) or not isinstance(spec.get("keywords"), Sequence) or isinstance(
                spec.get("keywords"), str):
            raise CXLabError(f"theme {name!r} of the lexicon {source} needs a list of keywords",
                             fix='give it as {"label": "...", "keywords": ["word", "prefix*", "a phrase"]}')
        bad = [k for k in spec["keywords"] if not isinstance(k, str) or not k.strip() or k.strip() == "*"]
        if bad:
            raise CXLabError(f"theme {name!r} of the lexicon {source} has empty or non-text keywords {bad!r}",
                             fix="remove them")
        themes[str(name)] = {"label": str(spec.get("label", name)), "keywords": [k.strip() for k in spec["keywords"]]}
    return {"name": str(lex.get("name", source)), "language": str(lex.get("language", "multi")),
            "description": str(lex.get("description", "")), "themes": themes}


def load_lexicon(name_or_path: str | Path = "customer_ru") -> dict:
    """Load a lexicon: a shipped one by name (see :func:`available_lexicons`) or a JSON file.

    Returns
    -------
    dict
        ``{"name", "language", "description", "themes": {theme: {"label", "keywords"}}}``
        — a fresh copy you may edit.

    Examples
    --------
    >>> lexicon = load_lexicon("customer_en")
    >>> lexicon["language"], sorted(lexicon["themes"])[:4]
    ('en', ['assortment', 'delivery', 'good_value', 'price_too_high'])
    >>> lexicon["themes"]["delivery"]["keywords"][:4]
    ['deliver*', 'courier*', 'shipping', 'shipped']
    """
    name = str(name_or_path)
    path = Path(name)
    if path.suffix == ".json" or path.exists():
        if not path.exists():
            raise CXLabError("lexicon file not found", file=name, fix="check the path")
        try:
            data = json.loads(path.read_text(encoding="utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise CXLabError(f"the lexicon is not valid UTF-8 JSON ({exc})", file=name,
                             fix="save it as UTF-8 JSON") from None
        return _validate_lexicon(data, name)
    if name not in available_lexicons():
        raise CXLabError(f"unknown lexicon {name!r}", fix=f"use one of {', '.join(available_lexicons())} "
                                                           "or a path to a .json file")
    text = (resources.files("cxlab") / "lexicons" / f"{name}.json").read_text(encoding="utf-8")
    return _validate_lexicon(json.loads(text), name)


def merge_lexicons(*lexicons) -> dict:
    """Merge lexicons: themes of the same name pool their keywords (first label wins).

    Examples
    --------
    >>> extra = {"themes": {"parking": {"label": "Parking", "keywords": ["parking", "car park"]}}}
    >>> merged = merge_lexicons(load_lexicon("customer_en"), extra)
    >>> sorted(merged["themes"])[-3:]
    ['staff_advice', 'staff_rudeness', 'waiting']
    >>> merged["themes"]["parking"]["keywords"]
    ['parking', 'car park']
    """
    merged: dict = {"name": "+".join(str(lx.get("name", "?")) for lx in lexicons), "language": "multi",
                    "description": "merged", "themes": {}}
    for lx in lexicons:
        lx = _validate_lexicon(lx, str(lx.get("name", "lexicon")) if isinstance(lx, Mapping) else "lexicon")
        for theme, spec in lx["themes"].items():
            slot = merged["themes"].setdefault(theme, {"label": spec["label"], "keywords": []})
            slot["keywords"] += [k for k in spec["keywords"] if k not in slot["keywords"]]
    return merged


def _resolve_lexicon(lexicon) -> dict:
    if lexicon is None:
        return merge_lexicons(*(load_lexicon(n) for n in DEFAULT_LEXICONS))
    if isinstance(lexicon, (str, Path)):
        return load_lexicon(lexicon)
    if isinstance(lexicon, Mapping):
        if "themes" in lexicon:
            return _validate_lexicon(copy.deepcopy(dict(lexicon)), str(lexicon.get("name", "lexicon")))
        return _validate_lexicon({"themes": dict(lexicon)}, "given")  # {theme: [keywords]}
    if isinstance(lexicon, Sequence):
        return merge_lexicons(*(_resolve_lexicon(x) for x in lexicon))
    raise CXLabError("a lexicon must be a name, a path, a dict or a list of those", fix="e.g. lexicon='customer_ru'")


# ----------------------------------------------------------------- tokens and stems
def tokenize(text: str) -> list[str]:
    """Lower-cased word tokens (letters only, hyphenated words kept), ``ё`` read as ``е``.

    Examples
    --------
    >>> tokenize("Курьер опоздал — ещё и ёлку помяли! Self-checkout was OK")
    ['курьер', 'опоздал', 'еще', 'и', 'елку', 'помяли', 'self-checkout', 'was', 'ok']
    """
    return _WORD.findall(str(text).lower().replace("ё", "е"))


_STEMMERS: dict = {}
_LANGUAGES = {"en": "english", "ru": "russian"}


def _stemmer(language: str):
    if language not in _STEMMERS:
        if language not in _LANGUAGES:
            raise CXLabError(f"unknown language {language!r}", fix="use 'en' or 'ru'")
        import snowballstemmer

        _STEMMERS[language] = snowballstemmer.stemmer(_LANGUAGES[language])
    return _STEMMERS[language]


def stem(word: str, language: str | None = None) -> str:
    """Snowball stem of one word (Porter's English or Russian Snowball algorithm).

    The word is lower-cased and ``ё`` read as ``е``; the language is taken from the
    alphabet when not given (Cyrillic → Russian, otherwise English). The stem is a
    matching key, not a dictionary form: all inflections of one word map to it.

    Examples
    --------
    >>> [stem(w) for w in ("prices", "price", "stopped", "stopping")]
    ['price', 'price', 'stop', 'stop']
    >>> [stem(w) for w in ("доставка", "доставки", "доставку", "Цены", "цену")]
    ['доставк', 'доставк', 'доставк', 'цен', 'цен']
    """
    w = word.lower().replace("ё", "е")
    if language is None:
        language = "ru" if _CYRILLIC.search(w) else "en"
    return _stemmer(language).stemWord(w)


def detect_language(text) -> str | None:
    """``"ru"``, ``"en"`` or ``None`` (no letters), from the share of Cyrillic letters.

    Examples
    --------
    >>> detect_language("Доставка опоздала"), detect_language("Delivery was late"), detect_language("12345")
    ('ru', 'en', None)
    """
    if text is None or (not isinstance(text, str) and pd.isna(text)):
        return None
    cyr = len(_CYRILLIC.findall(text))
    lat = len(_LATIN.findall(text))
    if cyr + lat == 0:
        return None
    return "ru" if cyr >= lat else "en"


@dataclass(frozen=True)
class _Matcher:
    theme: str
    stems: frozenset
    prefixes: tuple
    phrases: tuple  # tuple of tuples of (kind, value)

    def matches(self, tokens: list[str], stems: list[str]) -> bool:
        if self.stems and not self.stems.isdisjoint(stems):
            return True
        if self.prefixes and any(t.startswith(self.prefixes) for t in tokens):
            return True
        for phrase in self.phrases:
            k = len(phrase)
            for i in range(len(tokens) - k + 1):
                if all(_unit_match(unit, tokens[i + j], stems[i + j]) for j, unit in enumerate(phrase)):
                    return True
        return False


def _unit(word: str) -> tuple[str, str]:
    w = word.lower().replace("ё", "е")
    if w.endswith("*"):
        return ("prefix", w[:-1])
    return ("stem", stem(w))


def _unit_match(unit, token, token_stem) -> bool:
    kind, value = unit
    return token.startswith(value) if kind == "prefix" else token_stem == value


def _compile(lexicon: dict) -> list[_Matcher]:
    out = []
    for theme, spec in lexicon["themes"].items():
        stems, prefixes, phrases = set(), [], []
        for kw in spec["keywords"]:
            raw_parts = kw.lower().replace("ё", "е").split()
            if len(raw_parts) > 1:
                phrases.append(tuple(_unit(p) for p in raw_parts))
                continue
            kind, value = _unit(raw_parts[0])
            (prefixes.append(value) if kind == "prefix" else stems.add(value))
        out.append(_Matcher(theme, frozenset(stems), tuple(prefixes), tuple(phrases)))
    return out


# ----------------------------------------------------------------- coding
def code_themes(data, *, text: str = "comment", lexicon=None) -> pd.DataFrame:
    """Tag each comment with the themes whose keywords it contains.

    Parameters
    ----------
    data
        A DataFrame with a text column, or a Series of texts.
    text
        Name of the text column.
    lexicon
        A lexicon name, path, dict (``{"themes": ...}`` or ``{theme: [keywords]}``) or a
        list of those. Default: the English and Russian customer lexicons merged.

    Returns
    -------
    pandas.DataFrame
        Same index as ``data``: ``has_comment`` (a non-blank comment), ``language``
        (``"ru"``/``"en"``/missing), ``n_themes`` and one boolean column per theme.

    Examples
    --------
    >>> code_themes(pd.Series(["Доставка опоздала на три дня", "Great selection of wines"]))[
    ...     ["delivery", "assortment"]].to_numpy().tolist()
    [[True, False], [False, True]]
    """
    if isinstance(data, pd.Series):
        series = data
    else:
        if not isinstance(data, pd.DataFrame) or text not in data.columns:
            raise CXLabError(f"the data has no text column {text!r}", column=text,
                             fix="pass text='<your comment column>' or a Series of texts")
        series = data[text]
    lex = _resolve_lexicon(lexicon)
    matchers = _compile(lex)
    values = series.astype(object)
    present = values.map(lambda v: isinstance(v, str) and v.strip() != "")
    cache: dict[str, tuple] = {}
    for t in pd.unique(values[present]):
        tokens = tokenize(t)
        stems = [stem(tok) for tok in tokens]
        cache[t] = (detect_language(t), tuple(m.matches(tokens, stems) for m in matchers))
    n = len(series)
    flags = np.zeros((n, len(matchers)), dtype=bool)
    lang = np.full(n, None, dtype=object)
    pres = present.to_numpy(dtype=bool)
    vals = values.to_numpy()
    for i in np.flatnonzero(pres):
        lang[i], hits = cache[vals[i]]
        flags[i] = hits
    out = pd.DataFrame({"has_comment": pres, "language": pd.array(lang, dtype="string")}, index=series.index)
    out["n_themes"] = flags.sum(axis=1)
    for j, m in enumerate(matchers):
        out[m.theme] = flags[:, j]
    return out


def _theme_columns(themes: pd.DataFrame) -> list[str]:
    return [c for c in themes.columns if c not in ("has_comment", "language", "n_themes")]


def theme_lift(data: pd.DataFrame, *, text: str = "comment", score: str = "likelihood_to_recommend",
               lexicon=None, themes: pd.DataFrame | None = None, detractor_max: int = 6, promoter_min: int = 9,
               min_base: int = cxs.DEFAULT_MIN_BASE, adjust: str = "holm", alpha: float = 0.05) -> pd.DataFrame:
    """How often each theme is mentioned by detractors, passives and promoters, and its lift.

    Parameters
    ----------
    data
        Survey responses with a comment and a 0–10 score.
    text, score
        Column names.
    lexicon
        As in :func:`code_themes` (ignored when ``themes`` is given).
    themes
        A result of :func:`code_themes` on ``data`` (same index), to avoid coding twice.
    detractor_max, promoter_min
        NPS cut-offs.
    min_base
        No test when fewer detractors or promoters than this left a comment.
    adjust, alpha
        Adjustment of the detractor-versus-promoter p-values across themes (default Holm)
        and the level for ``leans``.

    Returns
    -------
    pandas.DataFrame
        One row per theme: ``theme``, ``label``, ``n_detractors``, ``n_passives``,
        ``n_promoters`` (commenters per class), ``mentions_detractors``,
        ``mentions_passives``, ``mentions_promoters``, ``pct_detractors``,
        ``pct_passives``, ``pct_promoters``, ``pct_all`` (% of commenters mentioning the
        theme), ``lift_detractors`` and ``lift_promoters`` (class share / overall share),
        ``estimate`` (pct_detractors − pct_promoters, points), ``p_value`` (Fisher's exact
        test, detractors vs promoters), ``p_adjusted``, ``effect_size`` (Cohen's h) and
        ``leans`` (``"detractors"``, ``"promoters"`` or ``"neither"``).

    Examples
    --------
    >>> import pandas as pd
    >>> survey = pd.DataFrame({
    ...     "likelihood_to_recommend": [2, 3, 4, 10, 9, 10] * 10,
    ...     "comment": ["Delivery was late", "Курьер опоздал, доставка ужасная", "Prices too high",
    ...                 "Great selection of wines", "Отличный выбор вин", "Friendly and helpful staff"] * 10})
    >>> lift = theme_lift(survey, min_base=5)
    >>> shown = lift[lift["leans"] != "neither"]
    >>> print(shown[["theme", "pct_detractors", "pct_promoters", "estimate", "leans"]].round(1).to_string())
              theme  pct_detractors  pct_promoters  estimate       leans
    0      delivery            66.7            0.0      66.7  detractors
    5  staff_advice             0.0           33.3     -33.3   promoters
    6    assortment             0.0           66.7     -66.7   promoters
    """
    from cxlab.nps import classify_nps

    if not isinstance(data, pd.DataFrame) or score not in data.columns:
        raise CXLabError(f"the data has no score column {score!r}", column=score, fix="pass score='<0–10 column>'")
    coded = themes if themes is not None else code_themes(data, text=text, lexicon=lexicon)
    if not coded.index.equals(data.index):
        raise CXLabError("the theme table does not line up with the data (different index)",
                         fix="code the same rows: themes=code_themes(data)")
    lex = _resolve_lexicon(lexicon)
    labels = {t: s["label"] for t, s in lex["themes"].items()}
    cls = classify_nps(data[score], detractor_max=detractor_max, promoter_min=promoter_min)
    use = coded["has_comment"].to_numpy() & cls.notna().to_numpy()
    cls_u = cls[use].astype(object).to_numpy()
    names = _theme_columns(coded)
    n_cls = {c: int((cls_u == c).sum()) for c in ("detractor", "passive", "promoter")}
    n_all = int(use.sum())
    rows = []
    for th in names:
        hit = coded[th].to_numpy()[use]
        m = {c: int(hit[cls_u == c].sum()) for c in n_cls}
        pct = {c: (m[c] / n_cls[c] * 100 if n_cls[c] else np.nan) for c in n_cls}
        pct_all = hit.sum() / n_all * 100 if n_all else np.nan
        testable = n_cls["detractor"] >= min_base and n_cls["promoter"] >= min_base
        if testable:
            table = [[m["detractor"], n_cls["detractor"] - m["detractor"]],
                     [m["promoter"], n_cls["promoter"] - m["promoter"]]]
            p = float(_st.fisher_exact(table)[1])
        else:
            p = np.nan
        with np.errstate(divide="ignore", invalid="ignore"):
            rows.append({
                "theme": th, "label": labels.get(th, th),
                "n_detractors": n_cls["detractor"], "n_passives": n_cls["passive"], "n_promoters": n_cls["promoter"],
                "mentions_detractors": m["detractor"], "mentions_passives": m["passive"],
                "mentions_promoters": m["promoter"],
                "pct_detractors": pct["detractor"], "pct_passives": pct["passive"], "pct_promoters": pct["promoter"],
                "pct_all": pct_all,
                "lift_detractors": pct["detractor"] / pct_all if pct_all else np.nan,
                "lift_promoters": pct["promoter"] / pct_all if pct_all else np.nan,
                "estimate": pct["detractor"] - pct["promoter"], "p_value": p,
                "effect_size": float(cxs.cohens_h(pct["detractor"] / 100, pct["promoter"] / 100))
                if testable else np.nan,
            })
    out = pd.DataFrame(rows)
    if out.empty:
        return out
    out["p_adjusted"] = cxs.adjust_pvalues(out["p_value"], method=adjust)
    sig = out["p_adjusted"] < alpha
    out["leans"] = np.where(sig & (out["estimate"] > 0), "detractors",
                            np.where(sig & (out["estimate"] < 0), "promoters", "neither"))
    cols = [c for c in out.columns if c not in ("p_adjusted", "effect_size", "leans")]
    cols = cols[: cols.index("p_value") + 1] + ["p_adjusted", "effect_size", "leans"]
    return out[cols]


def example_quotes(data: pd.DataFrame, *, theme: str, nps_class: str | None = None, n: int = 3,
                   text: str = "comment", score: str = "likelihood_to_recommend", lexicon=None,
                   themes: pd.DataFrame | None = None, columns: Sequence[str] = (), seed: int | None = 0,
                   redact: bool = True, known_names=None, detractor_max: int = 6,
                   promoter_min: int = 9) -> pd.DataFrame:
    """A few example comments for one theme (and NPS class), redacted of e-mails, phones and names.

    Parameters
    ----------
    data
        Survey responses.
    theme
        Theme name (a column of :func:`code_themes`).
    nps_class
        ``"detractor"``, ``"passive"``, ``"promoter"`` or ``None`` (any).
    n
        Number of quotes (distinct texts, sampled reproducibly with ``seed``).
    text, score, lexicon, themes, detractor_max, promoter_min
        As in :func:`theme_lift`.
    columns
        Extra columns to show beside each quote (e.g. ``["channel"]``; never ids or
        contact details, which would defeat the redaction).
    redact
        Replace e-mail addresses, phone numbers and person names (:func:`cxlab.privacy.redact`).
    known_names
        Names from the user's own tables (:func:`cxlab.privacy.known_names`), always redacted.

    Returns
    -------
    pandas.DataFrame
        ``score``, ``nps_class``, the extra ``columns`` and ``quote``.

    Examples
    --------
    >>> import pandas as pd
    >>> survey = pd.DataFrame({
    ...     "likelihood_to_recommend": [2, 3, 4, 10, 9, 10] * 10,
    ...     "comment": ["Delivery was late", "Курьер опоздал, доставка ужасная", "Prices too high",
    ...                 "Great selection of wines", "Отличный выбор вин", "Friendly and helpful staff"] * 10})
    >>> print(example_quotes(survey, theme="delivery", nps_class="detractor", n=2)[["nps_class", "quote"]].to_string())
       nps_class                             quote
    0  detractor                 Delivery was late
    1  detractor  Курьер опоздал, доставка ужасная
    """
    from cxlab.nps import classify_nps
    from cxlab.privacy import redact as _redact

    coded = themes if themes is not None else code_themes(data, text=text, lexicon=lexicon)
    if theme not in _theme_columns(coded):
        raise CXLabError(f"unknown theme {theme!r}", fix=f"use one of {', '.join(_theme_columns(coded))}")
    if nps_class not in (None, "detractor", "passive", "promoter"):
        raise CXLabError(f"unknown NPS class {nps_class!r}", fix="use 'detractor', 'passive', 'promoter' or None")
    cls = classify_nps(data[score], detractor_max=detractor_max, promoter_min=promoter_min)
    mask = coded[theme].to_numpy(dtype=bool).copy()
    if nps_class is not None:
        mask &= (cls == nps_class).to_numpy()
    sub = data.loc[mask, [score, *columns, text]].copy()
    sub.insert(1, "nps_class", cls[mask].astype(object).to_numpy())
    sub = sub.drop_duplicates(subset=[text])
    if len(sub) > n:
        sub = sub.sample(n=n, random_state=seed)
    quotes = sub[text].astype(object)
    sub["quote"] = _redact(quotes, known_names=known_names) if redact else quotes
    return sub.drop(columns=[text]).rename(columns={score: "score"}).reset_index(drop=True)
