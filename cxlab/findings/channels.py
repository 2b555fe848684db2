"""Plain-language findings of the channel audit.

Every sentence is built from a result table of :mod:`cxlab.channels` and claims only what
its test supports: a gap is called a gap when its interval excludes zero; otherwise the
sentence says there is no evidence of a difference at this sample size and how many
answers would be needed to detect the smallest gap worth acting on (statsmodels
``NormalIndPower``). Numbers are rounded for reading only here.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from statsmodels.stats.power import NormalIndPower

from cxlab.channels._common import METRICS
from cxlab.findings.i18n import N_, _
from cxlab.findings.format import fmt_p, fmt_signed, style_table

__all__ = ["audit_table", "answers_needed", "gap_sentence", "mix_finding", "within_finding", "homogeneity_finding",
           "consistency_findings", "tone_finding", "preference_finding", "recommendations", "key_gap_text"]

_UNIT_WORDS = {"points": "NPS points", "%": "percentage points", "scale": "points on its scale",
               "seconds": "seconds"}


def _unit(metric: str) -> str:
    m = METRICS.get(metric)
    return _UNIT_WORDS.get(m.unit, m.unit) if m else "points"


def _label(metric: str) -> str:
    m = METRICS.get(metric)
    return m.label if m else metric


def _num(v: float, unit: str) -> str:
    digits = 0 if unit in ("NPS points", "percentage points", "seconds") else 2
    return f"{abs(v):.{digits}f}"


def _signed(v: float, unit: str) -> str:
    digits = 0 if unit in ("NPS points", "percentage points", "seconds") else 2
    s = f"{v:+.{digits}f}"
    return s.replace("-", "−")


def _ci(lo: float, hi: float, unit: str, confidence: float = 0.95) -> str:
    return f"{confidence:.0%} CI {_signed(lo, unit)} to {_signed(hi, unit)}"


_SIGNED_COLUMNS = ("gap", "ci_low", "ci_high", "planted", "rest", "estimate")


def audit_table(df: pd.DataFrame, *, metric: str | None = None, columns=None, labels=None):
    """Client-ready view of a channel-audit table: gaps and interval ends signed, in the metric's precision.

    Columns whose name contains ``gap``, ``ci_low``, ``ci_high``, ``planted``, ``rest`` or
    ``estimate`` are shown signed (0 decimals for NPS points and percentages, 2 for
    rating scales); ``mix_share`` as a percentage; the rest as :func:`~cxlab.findings.format.style_table`.

    Examples
    --------
    >>> t = pd.DataFrame({"channel": ["phone"], "raw_gap": [-30.8], "raw_ci_low": [-36.6], "mix_share": [0.22]})
    >>> audit_table(t, metric="nps").data
      channel raw gap raw ci low mix share
    0   phone     −31        −37       22%
    """
    m = METRICS.get(metric) if metric else None
    digits = 2 if (m is not None and m.unit == "scale") else 0
    cols = list(columns) if columns is not None else list(df.columns)
    formats = {c: (lambda v, d=digits: fmt_signed(v, d)) for c in cols
               if any(k in str(c) for k in _SIGNED_COLUMNS) and pd.api.types.is_numeric_dtype(df[c])}
    if "mix_share" in cols:
        formats["mix_share"] = lambda v: f"{v:.0%}"
    return style_table(df, columns=cols, labels=labels, formats=formats, signed_digits=digits)


def answers_needed(effect_size: float, *, n_rest: float | None = None, n_channel: float | None = None,
                   alpha: float = 0.05, power: float = 0.8) -> int:
    """Answers a channel needs for a gap of ``effect_size`` SD to be detected against the rest.

    Two-sided z-test of two independent means (statsmodels ``NormalIndPower``), with the
    rest ``n_rest / n_channel`` times as large as the channel (equal groups when unknown).

    Examples
    --------
    >>> answers_needed(0.2)  # two equal groups, 80% power, 5% level
    393
    """
    ratio = (n_rest / n_channel) if n_rest and n_channel else 1.0
    n = NormalIndPower().solve_power(effect_size=abs(effect_size), alpha=alpha, power=power, ratio=ratio)
    return int(math.ceil(n))


def gap_sentence(channel: str, metric: str, gap: float, ci_low: float, ci_high: float, n: int, *,
                 rest_n: int | None = None, sd: float | None = None, tolerance: float = 0.2,
                 confidence: float = 0.95, compared: str = "the rest of the company") -> str:
    """One gap in words: a difference when the interval excludes 0, otherwise 'no evidence' and the n needed.

    Examples
    --------
    >>> print(gap_sentence("phone", "nps", -30.8, -36.6, -24.9, 783))
    Phone: NPS is 31 NPS points lower than the rest of the company (95% CI −37 to −25; n = 783).
    >>> print(gap_sentence("social", "nps", 3.1, -9.0, 15.2, 150, rest_n=3700, sd=75))
    Social: no evidence of a difference in NPS from the rest of the company at this sample size (+3 NPS points, 95% CI −9 to +15; n = 150). Detecting a gap of 15 NPS points (0.2 SD) with 80% power would need about 205 answers in social.
    """
    unit = _unit(metric)
    label = _label(metric)
    name = channel[:1].upper() + channel[1:]
    if not (np.isfinite(gap) and np.isfinite(ci_low) and np.isfinite(ci_high)):
        return f"{name}: {label} not compared (n = {n:,}, below the minimum base)."
    if ci_low > 0 or ci_high < 0:
        direction = "higher" if gap > 0 else "lower"
        return (f"{name}: {label} is {_num(gap, unit)} {unit} {direction} than {compared} "
                f"({_ci(ci_low, ci_high, unit, confidence)}; n = {n:,}).")
    text = (f"{name}: no evidence of a difference in {label} from {compared} at this sample size "
            f"({_signed(gap, unit)} {unit}, {_ci(ci_low, ci_high, unit, confidence)}; n = {n:,}).")
    if sd is not None and np.isfinite(sd) and sd > 0:
        need = answers_needed(tolerance, n_rest=rest_n, n_channel=n)
        text += (f" Detecting a gap of {_num(tolerance * sd, unit)} {unit} ({tolerance:g} SD) with 80% power would "
                 f"need about {need:,} answers in {channel}.")
    return text


def mix_finding(row: pd.Series | dict, *, metric: str = "nps", confidence: float = 0.95) -> str:
    """Raw gap, mix-adjusted gap and the share explained by who uses the channel, in words.

    ``row`` is one row of :func:`cxlab.channels.mix_adjusted_gaps`.
    """
    r = dict(row)
    unit = _unit(metric)
    label = _label(metric)
    ch = str(r["channel"])
    raw, adj = float(r["raw_gap"]), float(r["adjusted_gap"])
    raw_sig = r["raw_ci_low"] > 0 or r["raw_ci_high"] < 0
    adj_sig = r["adjusted_ci_low"] > 0 or r["adjusted_ci_high"] < 0
    parts = [gap_sentence(ch, metric, raw, r["raw_ci_low"], r["raw_ci_high"], int(r["n"]), confidence=confidence)]
    cov = r.get("covariates", "the customer mix")
    if adj_sig:
        parts.append(f"Comparing the same kinds of customers ({cov}), the gap is {_signed(adj, unit)} {unit} "
                     f"({_ci(r['adjusted_ci_low'], r['adjusted_ci_high'], unit, confidence)}), so the channel itself, "
                     "not only who uses it, makes the difference.")
        if raw_sig and np.sign(raw) == np.sign(adj) and abs(adj) < abs(raw):
            share = 1 - adj / raw
            parts.append(f"About {share:.0%} of the raw gap is explained by who uses {ch} (its customer mix).")
    elif raw_sig:
        parts.append(f"Comparing the same kinds of customers ({cov}), there is no evidence of a gap "
                     f"({_signed(adj, unit)} {unit}, {_ci(r['adjusted_ci_low'], r['adjusted_ci_high'], unit, confidence)}):"
                     f" the raw difference in {label} is explained by who uses {ch}.")
    return " ".join(parts)


def key_gap_text(row: pd.Series | dict, *, metric: str = "nps", truth: tuple[float, float] | None = None,
                 confidence: float = 0.95) -> str:
    """The headline sentence for one channel's gap, raw and adjusted (with the planted values when known)."""
    text = mix_finding(row, metric=metric, confidence=confidence)
    if truth is not None:
        unit = _unit(metric)
        text += (f" On the demo company the planted gaps are {_signed(truth[0], unit)} raw and "
                 f"{_signed(truth[1], unit)} within segment.")
    return text


def within_finding(result, channel: str, *, confidence: float = 0.95) -> str:
    """The same persons in ``channel`` and elsewhere (a :class:`cxlab.channels.WithinResult`), in words."""
    t = result.table
    if channel not in set(t["channel"]):
        return (f"{channel[:1].upper() + channel[1:]}: too few persons seen in {channel} and another channel for a "
                f"within-person comparison ({result.n_persons:,} persons in two or more channels).")
    r = t.set_index("channel").loc[channel]
    sentence = gap_sentence(channel, result.metric, r["estimate"], r["ci_low"], r["ci_high"], int(r["n"]),
                            confidence=confidence, compared="the same persons' answers in the other channels")
    sentence += (f" This compares {int(r['persons']):,} persons seen in {channel} and at least one other channel "
                 "(mixed model with one intercept per person).")
    if result.note:
        sentence += " " + result.note
    return sentence


def homogeneity_finding(tests: pd.DataFrame, metric: str = "nps", *, alpha: float = 0.05) -> str:
    """Chi-square / Kruskal–Wallis of one metric across channels, in words."""
    t = tests[tests["metric"] == metric]
    if t.empty or t["p_value"].isna().all():
        return f"{_label(metric)}: not enough answers per channel to test whether channels differ."
    chi = t[t["test"] == "chi-square"].iloc[0] if (t["test"] == "chi-square").any() else None
    kw = t[t["test"] == "Kruskal-Wallis"].iloc[0] if (t["test"] == "Kruskal-Wallis").any() else None
    main = chi if chi is not None else kw
    if main["p_value"] < alpha:
        text = (f"{_label(metric)} differs between channels (chi-square {main['statistic']:.1f}, df {int(main['dof'])}, "
                f"{fmt_p(main['p_value'])}; Cramér's V {main['effect_size']:.2f}, n = {int(main['n']):,})")
        if kw is not None and chi is not None:
            text += f"; the Kruskal–Wallis test agrees ({fmt_p(kw['p_value'])})"
        v = main["effect_size"]
        size = "small" if v < 0.3 else ("moderate" if v < 0.5 else "large")
        return text + f". The association is {size} by Cohen's benchmarks for V."
    return (f"No evidence that {_label(metric)} differs between channels at this sample size "
            f"({fmt_p(main['p_value'])}, n = {int(main['n']):,}).")


def consistency_findings(index: pd.DataFrame) -> list[str]:
    """One sentence per metric of :func:`cxlab.channels.consistency_index`."""
    out = []
    for _, r in index.iterrows():
        if r["flagged"] == "none":
            out.append(f"{r['label']}: no channel is materially worse than the rest (consistency index "
                       f"{r['index']:.0f}/100, {int(r['channels'])} channels, n = {int(r['n']):,}).")
        else:
            out.append(f"{r['label']}: consistency index {r['index']:.0f}/100 — materially worse than the rest: "
                       f"{r['flagged']} "
                       f"(largest gap {_signed(r['largest_gap'], _unit(r['metric']))} {_unit(r['metric'])} in "
                       f"{r['largest_gap_channel']}, {abs(r['largest_effect']):.2f} SD).")
    return out


def tone_finding(divergence: pd.DataFrame, profile: pd.DataFrame | None = None, *, tolerance: float = 0.2,
                 confidence: float = 0.95) -> str:
    """Brand-voice divergence in words: which channels are off-brand, and how."""
    d = divergence.dropna(subset=["divergence"])
    if d.empty:
        return "Brand voice: too few messages per channel to compare the tone."
    flagged = d[d["flagged"]]
    ok = d[~d["flagged"]]
    parts = []
    for _, r in flagged.iterrows():
        s = (f"{r['channel'][:1].upper() + r['channel'][1:]} messages are off-brand: tone divergence "
             f"{r['divergence']:.2f} ({confidence:.0%} CI {r['ci_low']:.2f} to {r['ci_high']:.2f}, tolerance "
             f"{tolerance:g}; n = {int(r['n']):,} messages)")
        if profile is not None:
            p = profile.pivot(index="channel", columns="feature", values="estimate")
            feats = [f for f in ("greeting", "by_name", "sign_off", "slang", "emoji") if f in p.columns]
            bits = []
            for f in feats:
                mine = p.at[r["channel"], f]
                others = p.drop(index=r["channel"])[f].median()
                if np.isfinite(mine) and np.isfinite(others) and abs(mine - others) >= 20:
                    bits.append(f"{f.replace('_', ' ')} {mine:.0f}% vs {others:.0f}% elsewhere")
            if bits:
                s += ": " + "; ".join(bits)
        parts.append(s + ".")
    if len(ok):
        parts.append(f"The other channels ({', '.join(ok['channel'])}) share one voice (divergence at most "
                     f"{ok['divergence'].max():.2f}, every interval below or around the {tolerance:g} tolerance).")
    if flagged.empty:
        parts.insert(0, "No channel's tone is off-brand beyond the tolerance.")
    return " ".join(parts)


def preference_finding(result, *, alpha: float = 0.05) -> str:
    """Channel preference by group (a :class:`cxlab.channels.PreferenceResult`), in words."""
    t = result.test.iloc[0]
    by = result.by.replace("_", " ")
    if not np.isfinite(t["p_value"]):
        return f"Channel preference by {by}: not enough persons per group to test."
    tab = result.table.dropna(subset=["share"])
    tab = tab[tab[result.by].astype(str) != "(missing)"]
    top = tab.sort_values("share", ascending=False).drop_duplicates(result.by)
    fav = "; ".join(f"{r[result.by]}: {r['channel']} {r['share']:.0f}%" for _, r in top.iterrows())
    if t["p_value"] < alpha:
        return (f"Preferred channels differ by {by} (chi-square {t['statistic']:.1f}, df {int(t['dof'])}, "
                f"{fmt_p(t['p_value'])}, Cramér's V {t['cramers_v']:.2f}; n = {int(t['n']):,} persons). "
                f"Most preferred: {fav}.")
    return (f"No evidence that preferred channels differ by {by} at this sample size ({fmt_p(t['p_value'])}, "
            f"n = {int(t['n']):,} persons). Most preferred: {fav}.")


_ADVICE = {
    "nps": "review what happens in {ch} end to end (staff, scripts, waiting), starting with detractors' comments",
    "csat": "listen to a sample of {ch} contacts and fix the most common causes of dissatisfaction",
    "csat_top2": "listen to a sample of {ch} contacts and fix the most common causes of dissatisfaction",
    "ces": "remove effort in {ch}: transfers, repeated questions, long queues",
    "ces_top2": "remove effort in {ch}: transfers, repeated questions, long queues",
    "contact_csat": "coach {ch} agents with the best-rated channel's practices",
    "fcr": "give {ch} agents the authority and information to resolve on first contact",
    "complaint_rate": "find what {ch} customers complain about and fix the cause",
    "resolution_rate": N_("trace the {ch} cases left unresolved to their causes (missing authority, information or "
                          "hand-offs) and close the gaps"),
    "repeat_contact_rate": N_("find why {ch} customers have to come back about the same case and resolve it on the "
                              "first contact"),
}


def recommendations(ranked: pd.DataFrame, divergence: pd.DataFrame | None = None, *, top: int = 5) -> list[str]:
    """Actions from the ranked inconsistencies and the tone divergence (worse-than-rest gaps only).

    ``ranked`` is :func:`cxlab.channels.ranked_inconsistencies`. Returns at most ``top``
    sentences, plus one for each off-brand channel; a single sentence saying no action is
    indicated when nothing is flagged.
    """
    out = []
    worse = ranked[ranked["flagged"] & ranked["worse"]] if len(ranked) else ranked
    for _i, r in worse.head(top).iterrows():
        unit = _unit(r["metric"])
        advice = _(_ADVICE.get(r["metric"], "investigate {ch}")).format(ch=r["channel"])
        out.append(f"{r['channel'][:1].upper() + r['channel'][1:]} — {_label(r['metric'])} "
                   f"{_signed(r['gap'], unit)} {unit} vs the rest ({fmt_p(r['p_adjusted'])} after Holm): {advice}.")
    if divergence is not None:
        for _i, r in divergence[divergence["flagged"]].iterrows():
            out.append(f"{r['channel'][:1].upper() + r['channel'][1:]} — tone off-brand (divergence "
                       f"{r['divergence']:.2f}): give {r['channel']} agents the brand's reply templates (greeting by "
                       "name, courteous 'Вы', sign-off; no slang or emoji) and review a sample of replies monthly.")
    if not out:
        out.append("No channel is out of line by a material, significant margin: no channel-specific action is "
                   "indicated by this audit; keep monitoring as answers accumulate.")
    return out
