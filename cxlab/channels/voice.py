"""Brand-voice consistency: does the company sound the same in every channel?

The tone of the company's outgoing messages (an agent's reply, a post, an e-mail) is
described by simple, transparent features:

* from editable lexicons (``cxlab/lexicons/tone_ru.json``, ``tone_en.json``, same format as
  the verbatim lexicons of :mod:`cxlab.text`): ``greeting``, ``formal_you`` ("Вы"),
  ``informal_you`` ("ты"), ``politeness``, ``apology``, ``sign_off``, ``slang``;
* without a lexicon: ``by_name`` (the reply uses the customer's first name, when the
  contact's name is known), ``emoji``, ``emoticon`` (")))", ":-)"), ``exclaims``
  ("!!"), and ``words`` (length).

:func:`tone_profile` gives each channel's share of messages with each feature (Wilson
intervals) and mean length; :func:`tone_divergence` measures how far each channel's
profile is from the rest of the company — the root mean square of the per-feature
standardised differences (Cohen's h for shares, Cohen's d for length) — with a bootstrap
interval, and flags a channel whose whole interval lies above the tolerance.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from functools import lru_cache

import numpy as np
import pandas as pd
from scipy import stats as _st

from cxlab import stats as cxs
from cxlab._checks import require_columns
from cxlab.channels.metrics import _labels
from cxlab.errors import CXLabError

__all__ = ["TONE_LEXICONS", "LEXICON_FEATURES", "TEXT_FEATURES", "tone_features", "tone_profile",
           "tone_divergence", "DEFAULT_TOLERANCE"]

#: The shipped tone lexicons (merged: a message in either language is coded).
TONE_LEXICONS: tuple[str, ...] = ("tone_en", "tone_ru")
#: Features coded from the lexicons (the lexicon's theme names).
LEXICON_FEATURES: tuple[str, ...] = ("greeting", "formal_you", "informal_you", "politeness", "apology",
                                     "sign_off", "slang")
#: Features measured without a lexicon.
TEXT_FEATURES: tuple[str, ...] = ("by_name", "emoji", "emoticon", "exclaims")
#: Default tolerance of the divergence score (root mean square of Cohen's h / d): 0.2 is
#: Cohen's "small" effect.
DEFAULT_TOLERANCE = 0.2

_EMOJI = re.compile("[\U0001F300-\U0001FAFF\U00002600-\U000027BF\U0001F000-\U0001F2FF\u2B50\u2B55\u203C\u2049]")
_EMOTICON = re.compile(r"(?:\){2,}|\({2,}|[:;]-?[)(DP]|\bxD\b)")
_EXCLAIM = re.compile(r"!{2,}")
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_CYR = re.compile(r"[а-я]")


@lru_cache(maxsize=100_000)
def _latin(word: str) -> str:
    """A word in Latin letters (iuliia's Moscow-metro scheme when installed), lower case."""
    w = word.lower().replace("ё", "е")
    if not _CYR.search(w):
        return w
    try:
        import iuliia
    except ImportError:  # pragma: no cover - iuliia comes with the identity package
        return w
    return iuliia.MOSMETRO.translate(w).lower()


def _name_words(value) -> tuple[str, ...]:
    if not isinstance(value, str) or not value.strip():
        return ()
    return tuple(_latin(w) for w in _WORD.findall(value) if len(w) >= 2)


def _addresses_by_name(message: str, name_words: tuple[str, ...]) -> bool:
    """True when a word of the message is one of the name's words, across alphabets.

    Both are written in Latin letters first, and near spellings count ("Viktoriia" /
    "Viktoriya": difflib ratio at least 0.8), so a transliterated CRM name still matches the
    Cyrillic name an agent wrote.
    """
    words = {_latin(w) for w in _WORD.findall(message) if len(w) >= 2}
    for nw in name_words:
        if nw in words:
            return True
        for w in words:
            if abs(len(w) - len(nw)) <= 2 and w[:1] == nw[:1] and SequenceMatcher(None, w, nw).ratio() >= 0.8:
                return True
    return False


def tone_features(data: pd.DataFrame, *, text: str = "agent_message", name: str | None = "name",
                  lexicon=None) -> pd.DataFrame:
    """Tone features of every outgoing message.

    Parameters
    ----------
    data
        Rows with the message text (e.g. the interactions table's ``agent_message``).
    text
        The message column.
    name
        Column with the customer's name as given in the channel; ``by_name`` is true when
        one of its words appears in the message. ``None`` (or an absent column): ``by_name``
        is not measured (missing).
    lexicon
        Tone lexicon(s): a name, path, dict or list of those, as in
        :func:`cxlab.text.load_lexicon`; default :data:`TONE_LEXICONS` merged. Its themes
        become feature columns.

    Returns
    -------
    pandas.DataFrame
        Same index as ``data``: ``has_text``, one boolean column per lexicon feature,
        ``by_name`` (nullable boolean), ``emoji``, ``emoticon``, ``exclaims`` and ``words``.
        Rows without text have missing features.

    Examples
    --------
    >>> msgs = pd.DataFrame({"agent_message": ["Здравствуйте, Анна! Спасибо за обращение. С уважением, Олег",
    ...                                        "ок, щас гляну 👍"], "name": ["Анна Петрова", "Anna"]})
    >>> f = tone_features(msgs)
    >>> print(f[["greeting", "by_name", "politeness", "sign_off", "slang", "emoji", "words"]].to_string())
       greeting  by_name  politeness  sign_off  slang  emoji  words
    0      True     True        True      True  False  False    8.0
    1     False    False       False     False   True   True    3.0
    """
    from cxlab import text as cxtext

    require_columns(data, [text], "the messages table",
                    fix="pass text='<column with the company's outgoing message>'")
    lex = lexicon if lexicon is not None else [cxtext.load_lexicon(n) for n in TONE_LEXICONS]
    coded = cxtext.code_themes(data, text=text, lexicon=lex)
    has = coded["has_comment"].to_numpy(dtype=bool)
    themes = [c for c in coded.columns if c not in ("has_comment", "language", "n_themes")]
    out = pd.DataFrame({"has_text": has}, index=data.index)
    for t in themes:
        out[t] = pd.array(np.where(has, coded[t].to_numpy(dtype=bool), None), dtype="boolean")
    values = data[text].astype(object).where(has, "").astype(str)
    if name is not None and name in data.columns:
        by_name = []
        for msg, given, h in zip(values, data[name].astype(object), has, strict=True):
            parts = _name_words(given)
            by_name.append(_addresses_by_name(msg, parts) if h and parts else None)
        out["by_name"] = pd.array(by_name, dtype="boolean")
    else:
        out["by_name"] = pd.array([None] * len(data), dtype="boolean")
    for col, rx in (("emoji", _EMOJI), ("emoticon", _EMOTICON), ("exclaims", _EXCLAIM)):
        out[col] = pd.array(np.where(has, values.map(lambda s, rx=rx: bool(rx.search(s))).to_numpy(dtype=bool),
                                     None), dtype="boolean")
    out["words"] = np.where(has, values.map(lambda s: len(_WORD.findall(s))).to_numpy(dtype=float), np.nan)
    return out


def _feature_columns(features: pd.DataFrame) -> list[str]:
    return [c for c in features.columns if c not in ("has_text", "words", "channel")]


def tone_profile(features: pd.DataFrame, channel: pd.Series | np.ndarray, *, confidence: float = 0.95,
                 min_base: int = cxs.DEFAULT_MIN_BASE) -> pd.DataFrame:
    """Each channel's tone: share of messages with each feature, and mean length.

    Parameters
    ----------
    features
        Output of :func:`tone_features`.
    channel
        The channel of each message (same length as ``features``).
    confidence, min_base
        Interval level; channels with fewer messages are suppressed.

    Returns
    -------
    pandas.DataFrame
        Long table: ``channel``, ``feature``, ``n`` (messages where the feature could be
        measured), ``estimate`` (% of messages; mean words for ``words``), ``ci_low``,
        ``ci_high`` (Wilson; t interval for ``words``), ``suppressed``.
    """
    ch = _labels(pd.Series(np.asarray(channel), index=features.index, name="channel")).astype(str)
    f = features[features["has_text"].to_numpy(dtype=bool)]
    ch = ch[f.index]
    rows = []
    order = [c for c in _labels(channel if isinstance(channel, pd.Series) else pd.Series(np.asarray(channel))).cat.categories.astype(str) if c in set(ch)]
    for c in order:
        g = f[ch == c]
        for feat in _feature_columns(f):
            x = g[feat].dropna().to_numpy(dtype=bool)
            n, k = x.size, int(x.sum())
            lo, hi = cxs.proportion_ci(k, n, confidence=confidence)
            rows.append({"channel": c, "feature": feat, "n": n, "estimate": 100 * k / n if n else np.nan,
                         "ci_low": 100 * float(lo), "ci_high": 100 * float(hi)})
        w = g["words"].dropna().to_numpy(dtype=float)
        if w.size > 1:
            lo, hi = _st.t.interval(confidence, w.size - 1, loc=w.mean(), scale=w.std(ddof=1) / np.sqrt(w.size))
        else:
            lo = hi = np.nan
        rows.append({"channel": c, "feature": "words", "n": w.size, "estimate": w.mean() if w.size else np.nan,
                     "ci_low": lo, "ci_high": hi})
    out = pd.DataFrame(rows, columns=["channel", "feature", "n", "estimate", "ci_low", "ci_high"])
    out["suppressed"] = out["n"] < min_base
    out.loc[out["suppressed"], ["estimate", "ci_low", "ci_high"]] = np.nan
    return out


def _h(p1, p2):
    with np.errstate(invalid="ignore"):
        return 2 * np.arcsin(np.sqrt(np.clip(p1, 0, 1))) - 2 * np.arcsin(np.sqrt(np.clip(p2, 0, 1)))


def _divergence(samples_x: list, samples_w: list) -> tuple[np.ndarray, np.ndarray]:
    """Divergence of sample 0 from the median profile of the others; batched on a leading axis.

    ``samples_x[i]``: (..., n_i, F) feature matrices; ``samples_w[i]``: (..., n_i) lengths.
    Returns the divergence (...,) and the per-feature standardised differences (..., F+1).
    """
    with np.errstate(invalid="ignore", divide="ignore"):
        means = [np.nanmean(x, axis=-2) for x in samples_x]
        ref = np.median(np.stack(means[1:], axis=0), axis=0)
        h = _h(means[0], ref)
        wm = [np.nanmean(w, axis=-1) for w in samples_w]
        wv = [np.nanvar(w, axis=-1, ddof=1) for w in samples_w]
        ref_w = np.median(np.stack(wm[1:], axis=0), axis=0)
        ref_v = np.median(np.stack(wv[1:], axis=0), axis=0)
        d = (wm[0] - ref_w) / np.sqrt((wv[0] + ref_v) / 2)
        d = np.where(np.isfinite(d), d, 0.0)
        diffs = np.concatenate([h, d[..., None]], axis=-1)
        return np.sqrt(np.nanmean(diffs**2, axis=-1)), diffs


def tone_divergence(features: pd.DataFrame, channel: pd.Series | np.ndarray, *,
                    tolerance: float = DEFAULT_TOLERANCE, confidence: float = 0.95, n_resamples: int = 500,
                    seed: int | None = 0, min_base: int = cxs.DEFAULT_MIN_BASE,
                    max_messages: int = 1000) -> pd.DataFrame:
    """How far each channel's tone is from the company's usual voice, with an interval.

    The company's usual voice is the *median* profile of the other channels (feature by
    feature), so one off-brand channel does not drag the reference towards itself. The
    divergence of a channel is the root mean square, over the tone features that vary at
    all, of its standardised difference from that reference: Cohen's h
    (2·asin√p₁ − 2·asin√p₂) for each share and Cohen's d for message length. 0 means the
    same voice; 0.2 is a "small" difference on every feature (Cohen 1988), 0.8 a large
    one. The interval is a percentile bootstrap (``scipy.stats.bootstrap``; messages
    resampled within every channel). A divergence is never below 0, so even a channel that
    matches the others has an interval a little above 0 — which is why a channel is
    *flagged* only when its whole interval lies above ``tolerance``.

    Parameters
    ----------
    features, channel
        Output of :func:`tone_features` and the channel of each message.
    tolerance
        Divergence the brand accepts (default 0.2).
    confidence, n_resamples, seed
        Bootstrap settings.
    min_base
        Channels with fewer messages are neither scored nor part of the reference.
    max_messages
        Larger channels are subsampled to this many messages for the bootstrap (the point
        estimate always uses every message).

    Returns
    -------
    pandas.DataFrame
        One row per channel: ``channel``, ``n``, ``divergence``, ``ci_low``, ``ci_high``,
        ``flagged``, ``largest_feature`` (the feature that differs most), ``largest_h``
        (its signed standardised difference, channel − usual voice).
    """
    if len(features) != len(np.asarray(channel)):
        raise CXLabError("features and channel have different lengths",
                         fix="pass the channel column of the same table the features came from")
    ch = _labels(pd.Series(np.asarray(channel), index=features.index)).astype(str).to_numpy()
    mask = features["has_text"].to_numpy(dtype=bool)
    cand = [c for c in _feature_columns(features) if features.loc[mask, c].notna().any()]
    X = np.column_stack([features[c].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
                         for c in cand])[mask] if cand else np.empty((int(mask.sum()), 0))
    varies = np.array([np.nanmin(X[:, j]) != np.nanmax(X[:, j]) for j in range(X.shape[1])], dtype=bool)
    feats = [f for f, v in zip(cand, varies, strict=True) if v] + ["words"]
    X = X[:, varies]
    W = features["words"].to_numpy(dtype=float)[mask]
    ch = ch[mask]
    rng = np.random.default_rng(seed)
    order = [c for c in _labels(channel if isinstance(channel, pd.Series) else pd.Series(np.asarray(channel))).cat.categories.astype(str) if c in set(ch)]
    sizes = {c: int((ch == c).sum()) for c in order}
    scored = [c for c in order if sizes[c] >= max(min_base, 2)]
    rows = []
    for c in order:
        others = [o for o in scored if o != c]
        if c not in scored or len(others) < 2:
            rows.append({"channel": c, "n": sizes[c], "divergence": np.nan, "ci_low": np.nan, "ci_high": np.nan,
                         "flagged": False, "largest_feature": None, "largest_h": np.nan})
            continue
        groups = [c, *others]
        xs = [X[ch == g] for g in groups]
        ws = [W[ch == g] for g in groups]
        div, diffs = _divergence(xs, ws)
        j = int(np.nanargmax(np.abs(diffs)))
        idx = [np.arange(len(x)) if len(x) <= max_messages else np.sort(rng.choice(len(x), max_messages, replace=False))
               for x in xs]

        def stat(*ids, axis=-1, xs=xs, ws=ws):
            ids = [np.asarray(i, dtype=np.int64) for i in ids]
            return _divergence([x[i] for x, i in zip(xs, ids, strict=True)],
                               [w[i] for w, i in zip(ws, ids, strict=True)])[0]

        boot = _st.bootstrap(tuple(idx), stat, vectorized=True, paired=False, n_resamples=n_resamples,
                             confidence_level=confidence, method="percentile", random_state=rng, batch=25)
        lo, hi = float(boot.confidence_interval.low), float(boot.confidence_interval.high)
        rows.append({"channel": c, "n": sizes[c], "divergence": float(div), "ci_low": lo, "ci_high": hi,
                     "flagged": bool(lo > tolerance), "largest_feature": feats[j], "largest_h": float(diffs[j])})
    return pd.DataFrame(rows, columns=["channel", "n", "divergence", "ci_low", "ci_high", "flagged",
                                       "largest_feature", "largest_h"])

