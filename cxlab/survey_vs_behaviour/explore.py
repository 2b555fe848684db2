"""Pre-computed stated/actual codes for fast exploration (what the explorer widget reads).

:func:`say_do_cube` measures behaviour once per window length and stores, per linked
response, small integer codes of every stated answer and of the matching actual behaviour,
plus a segment. :func:`cube_agreement` then answers "pair × segment × window" from these
codes with one ``numpy.bincount`` and the same statistics as
:func:`~cxlab.survey_vs_behaviour.agreement` — fast at millions of rows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from cxlab.errors import CXLabError
from cxlab.survey_vs_behaviour._common import FREQUENCY_LEVELS, TIER_LEVELS, levels_of, text_key
from cxlab.survey_vs_behaviour.agreement import agreement_from_table, claim_rates
from cxlab.survey_vs_behaviour.link import SurveyLink, behaviour_around

__all__ = ["SayDoCube", "say_do_cube", "cube_agreement", "DEFAULT_PAIRS"]

#: label -> (stated column in the survey, actual column of behaviour_around)
DEFAULT_PAIRS: dict[str, tuple[str, str]] = {
    "price tier": ("stated_price_tier", "actual_price_tier"),
    "purchase frequency": ("stated_frequency", "actual_frequency"),
    "favourite category": ("stated_favourite_category", "revealed_category"),
}


@dataclass(frozen=True)
class SayDoCube:
    """Integer codes of stated and actual answers per linked response.

    Attributes
    ----------
    codes
        ``int8`` columns ``stated|<pair>`` and ``actual|<pair>|<window>`` (−1 = missing), and
        ``segment`` (int16 code, −1 = unknown).
    levels
        Per pair, its ordered levels.
    ordered
        Per pair, whether its levels are ordered.
    segments
        The segment names (code i is ``segments[i]``).
    windows
        The window lengths (days before the survey) measured.
    """

    codes: pd.DataFrame
    levels: dict[str, list[str]]
    ordered: dict[str, bool]
    segments: list[str]
    windows: list[int]
    _counts: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def pairs(self) -> list[str]:
        return list(self.levels)

    def counts(self, pair: str, window: int) -> np.ndarray:
        """Stated × actual counts per segment, shape (segments + 1, k, k); index 0 = unknown segment.

        One ``bincount`` over the codes, cached: the explorer pays it once per pair and window.
        """
        key = (pair, int(window))
        if key not in self._counts:
            if pair not in self.levels:
                raise CXLabError(f"unknown pair {pair!r}", fix=f"choose one of {', '.join(self.levels)}")
            if int(window) not in self.windows:
                raise CXLabError(f"window {window} was not pre-computed", fix=f"choose one of {self.windows}")
            k = len(self.levels[pair])
            s = self.codes[f"stated|{pair}"].to_numpy()
            a = self.codes[f"actual|{pair}|{int(window)}"].to_numpy()
            g = self.codes["segment"].to_numpy()
            ok = (s >= 0) & (a >= 0)
            cell = (g[ok].astype(np.int64) + 1) * (k * k) + s[ok].astype(np.int64) * k + a[ok]
            n_seg = len(self.segments)
            self._counts[key] = np.bincount(cell, minlength=(n_seg + 1) * k * k).reshape(n_seg + 1, k, k)
        return self._counts[key]


def say_do_cube(
    survey: pd.DataFrame,
    link: SurveyLink,
    transactions: pd.DataFrame,
    *,
    windows: Sequence[int] = (90, 180, 365),
    pairs: Mapping[str, tuple[str, str]] | None = None,
    segment: pd.Series | None = None,
    customers: pd.DataFrame | None = None,
    observation_end=None,
) -> SayDoCube:
    """Measure behaviour for each window and code every stated/actual pair of the linked responses.

    Parameters
    ----------
    survey, link, transactions, customers, observation_end
        As for :func:`~cxlab.survey_vs_behaviour.say_do_table`.
    windows
        Lengths (days) of the window before the survey date.
    pairs
        Pair label -> (stated column, actual column); default :data:`DEFAULT_PAIRS` (pairs whose
        stated column is absent are skipped).
    segment
        Optional segment per customer id (index = customer id), e.g. the ``segment`` column of
        :func:`~cxlab.survey_vs_behaviour.customer_profile`.

    Returns
    -------
    SayDoCube
    """
    pairs = dict(pairs or DEFAULT_PAIRS)
    pairs = {k: v for k, v in pairs.items() if v[0] in survey.columns}
    if not pairs:
        raise CXLabError("the survey has none of the stated columns to compare",
                         fix=f"expected one of {', '.join(v[0] for v in DEFAULT_PAIRS.values())}")
    linked = (link.table["linked_by"] != "unlinked").to_numpy()
    sv = survey.reset_index(drop=True)[linked]
    cols: dict[str, np.ndarray] = {}
    levels: dict[str, list[str]] = {}
    ordered: dict[str, bool] = {}
    behaviours = {int(w): behaviour_around(link, transactions, before_days=int(w), customers=customers,
                                           observation_end=observation_end)[linked] for w in windows}
    for label, (st, ac) in pairs.items():
        some = behaviours[int(windows[0])]
        if ac not in some.columns:
            continue
        lv = levels_of(sv[st], None)
        for b in behaviours.values():
            lv += [v for v in levels_of(b[ac], None) if v not in lv]
        levels[label] = [str(v) for v in lv]
        ordered[label] = levels[label] in (list(FREQUENCY_LEVELS), list(TIER_LEVELS))
        cats = levels[label]
        cols[f"stated|{label}"] = pd.Categorical(sv[st].astype("string"), categories=cats).codes.astype(np.int8)
        for w, b in behaviours.items():
            cols[f"actual|{label}|{w}"] = pd.Categorical(b[ac].astype("string"), categories=cats).codes.astype(np.int8)
    ids = text_key(link.table["customer_id"][linked])
    if segment is not None:
        seg = segment.copy()
        seg.index = seg.index.astype("string")
        seg_vals = seg.astype("string").reindex(ids.to_numpy())
        names = sorted(seg_vals.dropna().unique())
        cols["segment"] = pd.Categorical(seg_vals, categories=names).codes.astype(np.int16)
    else:
        names = []
        cols["segment"] = np.full(int(linked.sum()), -1, dtype=np.int16)
    return SayDoCube(codes=pd.DataFrame(cols), levels=levels, ordered=ordered, segments=list(names),
                     windows=[int(w) for w in windows])


def cube_agreement(cube: SayDoCube, pair: str, *, window: int, segment: str | None = None,
                   confidence: float = 0.95) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Confusion table, statistics and over/under-claim by segment for one pair, window and segment.

    Returns
    -------
    tuple of pandas.DataFrame
        ``(confusion, statistics, claims)``: as in :class:`~cxlab.survey_vs_behaviour.Agreement`;
        ``claims`` has one row for the selection and one per segment.
    """
    counts = cube.counts(pair, window)
    k = len(cube.levels[pair])
    n_seg = len(cube.segments)
    if segment in (None, "all"):
        table = counts.sum(axis=0)
        label = "all"
    else:
        if segment not in cube.segments:
            raise CXLabError(f"unknown segment {segment!r}", fix="choose one of the cube's segments")
        table = counts[cube.segments.index(segment) + 1]
        label = segment
    lv = cube.levels[pair]
    confusion = pd.DataFrame(table, index=pd.Index(lv, name="stated"), columns=pd.Index(lv, name="actual"))
    statistics = agreement_from_table(table, ordered=cube.ordered[pair], confidence=confidence)
    upper = np.triu(np.ones((k, k), dtype=bool), 1)
    per = counts[1:] if n_seg else counts[:0]
    over = np.r_[table[upper.T].sum(), per[:, upper.T].sum(axis=1)]
    under = np.r_[table[upper].sum(), per[:, upper].sum(axis=1)]
    n = np.r_[table.sum(), per.sum(axis=(1, 2))]
    claims = pd.DataFrame({"group": [label, *cube.segments], **claim_rates(over, under, n, confidence=confidence)})
    claims["n"] = claims["n"].astype(int)
    return confusion, statistics, claims
