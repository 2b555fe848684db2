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
from cxlab.findings.format import fmt_p, fmt_pct, fmt_signed, style_table, value_label
from cxlab.findings.i18n import N_, _, fmt_number, get_language, ngettext

__all__ = ["mix_key", "within_key", "strongest_within", "tone_key", "consistency_key", "audit_table", "answers_needed", "gap_sentence", "mix_finding", "within_finding", "homogeneity_finding",
           "consistency_findings", "tone_finding", "preference_finding", "recommendations", "key_gap_text"]

_UNIT_WORDS = {"points": N_("NPS points"), "%": N_("percentage points"), "scale": N_("points on its scale"),
               "seconds": N_("seconds")}
_WHOLE_UNITS = (N_("NPS points"), N_("percentage points"), N_("seconds"))

#: The metric labels of :data:`cxlab.channels.METRICS`, for the catalog.
_METRIC_LABELS = (N_("NPS"), N_("CSAT (mean, 1–5)"), N_("CSAT top-2-box (4–5)"), N_("CES (mean, 1–7)"),
                  N_("CES top-2-box (6–7)"), N_("Contact CSAT (mean, 1–5)"), N_("First-contact resolution"),
                  N_("Complaint rate"), N_("Resolution rate (cases resolved at any contact)"),
                  N_("Repeat-contact rate"))


def _unit(metric: str) -> str:
    m = METRICS.get(metric)
    return _(_UNIT_WORDS.get(m.unit, m.unit)) if m else _("points")


def _label(metric: str) -> str:
    m = METRICS.get(metric)
    return _(m.label) if m else metric


def _name(channel) -> str:
    """A channel as the first word of a sentence: cxlab's channel names translated, the user's unchanged."""
    text = value_label(channel)
    return text[:1].upper() + text[1:]


def _digits(unit: str) -> int:
    return 0 if unit in {w for e in _WHOLE_UNITS for w in (e, _(e))} else 2


def _local(text: str) -> str:
    return text if get_language() == "en" else text.replace(".", ",")


def _num(v: float, unit: str) -> str:
    return _local(f"{abs(v):.{_digits(unit)}f}")


def _signed(v: float, unit: str) -> str:
    s = f"{v:+.{_digits(unit)}f}"
    return _local(s.replace("-", "−"))


def _ci(lo: float, hi: float, unit: str, confidence: float = 0.95) -> str:
    return _("{level} CI {low} to {high}").format(level=fmt_pct(confidence), low=_signed(lo, unit),
                                                  high=_signed(hi, unit))


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
        formats["mix_share"] = lambda v: fmt_pct(v)
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
                 confidence: float = 0.95, compared: str = N_("the rest of the company")) -> str:
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
    name = _name(channel)
    compared = _(compared)
    if not (np.isfinite(gap) and np.isfinite(ci_low) and np.isfinite(ci_high)):
        return _("{name}: {label} not compared (n = {n}, below the minimum base).").format(
            name=name, label=label, n=fmt_number(n, 0))
    if ci_low > 0 or ci_high < 0:
        template = (_("{name}: {label} is {gap} {unit} higher than {compared} ({ci}; n = {n}).") if gap > 0
                    else _("{name}: {label} is {gap} {unit} lower than {compared} ({ci}; n = {n})."))
        return template.format(name=name, label=label, gap=_num(gap, unit), unit=unit, compared=compared,
                               ci=_ci(ci_low, ci_high, unit, confidence), n=fmt_number(n, 0))
    text = _("{name}: no evidence of a difference in {label} from {compared} at this sample size ({gap} {unit}, "
             "{ci}; n = {n}).").format(name=name, label=label, compared=compared, gap=_signed(gap, unit), unit=unit,
                                       ci=_ci(ci_low, ci_high, unit, confidence), n=fmt_number(n, 0))
    if sd is not None and np.isfinite(sd) and sd > 0:
        need = answers_needed(tolerance, n_rest=rest_n, n_channel=n)
        text += _(" Detecting a gap of {gap} {unit} ({tolerance} SD) with 80% power would need about {need} answers "
                  "in {channel}.").format(gap=_num(tolerance * sd, unit), unit=unit,
                                          tolerance=_local(f"{tolerance:g}"), need=fmt_number(need, 0),
                                          channel=value_label(channel))
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
    cov = ", ".join(_(c.strip()) for c in str(cov).split(",")) if get_language() != "en" else cov
    if adj_sig:
        parts.append(_("Comparing the same kinds of customers ({covariates}), the gap is {gap} {unit} ({ci}), so the "
                       "channel itself, not only who uses it, makes the difference.").format(
            covariates=cov, gap=_signed(adj, unit), unit=unit,
            ci=_ci(r["adjusted_ci_low"], r["adjusted_ci_high"], unit, confidence)))
        if raw_sig and np.sign(raw) == np.sign(adj) and abs(adj) < abs(raw):
            share = 1 - adj / raw
            parts.append(_("About {share} of the raw gap is explained by who uses {channel} (its customer "
                           "mix).").format(share=fmt_pct(share), channel=value_label(ch)))
    elif raw_sig and not _mix_explains(raw, adj, r["adjusted_ci_low"], r["adjusted_ci_high"]):
        # HOSTILE2 H12: an adjusted interval that now touches 0 while the estimate barely moved is not evidence
        # that the customer mix explains the gap.
        parts.append(_("Comparing the same kinds of customers ({covariates}), the gap is about the same ({gap} {unit}, "
                       "{ci}) but no longer significant at this sample size: the customer mix does not explain "
                       "it.").format(covariates=cov, gap=_signed(adj, unit), unit=unit,
                                     ci=_ci(r["adjusted_ci_low"], r["adjusted_ci_high"], unit, confidence)))
    elif raw_sig:
        parts.append(_("Comparing the same kinds of customers ({covariates}), there is no evidence of a gap ({gap} "
                       "{unit}, {ci}): the raw difference in {label} is explained by who uses {channel}.").format(
            covariates=cov, gap=_signed(adj, unit), unit=unit,
            ci=_ci(r["adjusted_ci_low"], r["adjusted_ci_high"], unit, confidence), label=label,
            channel=value_label(ch)))
    return " ".join(parts)


def _mix_explains(raw: float, adjusted: float, adj_low: float, adj_high: float) -> bool:
    """Does the customer mix explain a raw gap? Only when adjustment removes at least half of it (or reverses it),
    or when the adjusted interval excludes the raw estimate.

    Examples
    --------
    >>> _mix_explains(16.0, 14.0, -2.0, 29.0), _mix_explains(16.0, 4.0, -6.0, 14.0), _mix_explains(16.0, 9.0, 2.0, 15.0)
    (False, True, True)
    """
    if not (np.isfinite(raw) and np.isfinite(adjusted)) or raw == 0:
        return False
    share = 1 - adjusted / raw
    return bool(share >= 0.5 or not (adj_low <= raw <= adj_high))


def key_gap_text(row: pd.Series | dict, *, metric: str = "nps", truth: tuple[float, float] | None = None,
                 confidence: float = 0.95) -> str:
    """The headline sentence for one channel's gap, raw and adjusted (with the planted values when known)."""
    text = mix_finding(row, metric=metric, confidence=confidence)
    if truth is not None:
        unit = _unit(metric)
        text += _(" On the demo company the planted gaps are {raw} raw and {within} within segment.").format(
            raw=_signed(truth[0], unit), within=_signed(truth[1], unit))
    return text


def mix_key(row: pd.Series | dict, *, metric: str = "nps", truth: tuple[float, float] | None = None,
            confidence: float = 0.95):
    """The headline of the mix adjustment (one row of :func:`cxlab.channels.mix_adjusted_gaps`: the channel with the
    widest adjusted gap) as a :class:`~cxlab.findings.KeyFinding`; the method names the covariates actually used.

    Examples
    --------
    >>> row = {"channel": "phone", "n": 783, "raw_gap": -31.0, "raw_ci_low": -37.0, "raw_ci_high": -25.0,
    ...        "adjusted_gap": -24.0, "adjusted_ci_low": -30.0, "adjusted_ci_high": -18.0, "covariates": "segment, region"}
    >>> f = mix_key(row)
    >>> print(f.title); print(f.footnote())
    Phone has the widest NPS gap, and not only because of who uses it
    n = 783; 95% CI −30 to −18 (adjusted); OLS with HC3 robust errors on segment, region; direct standardisation as a cross-check
    """
    from cxlab.findings.key import key_finding

    r = dict(row)
    digits = 2 if (METRICS.get(metric) is not None and METRICS[metric].unit == "scale") else 0
    title = (_("{name} has the widest {label} gap, and not only because of who uses it").format(
                 name=_name(r["channel"]), label=_label(metric)) if r["adjusted_ci_high"] < 0
             else _("No channel stands out once the customer mix is equal"))
    covariates = str(r.get("covariates") or "none")
    shown = covariates if get_language() == "en" else ", ".join(_(c.strip()) for c in covariates.split(","))
    return key_finding(title, key_gap_text(r, metric=metric, truth=truth, confidence=confidence), n=int(r["n"]),
                       interval=_("{level} CI {low} to {high} (adjusted)").format(
                           level=fmt_pct(confidence), low=fmt_signed(r["adjusted_ci_low"], digits),
                           high=fmt_signed(r["adjusted_ci_high"], digits)),
                       method=_("OLS with HC3 robust errors on {covariates}; direct standardisation as a "
                                "cross-check").format(covariates=shown))


def strongest_within(results):
    """Of several within-person comparisons (one per metric), the one whose lowest channel has the strongest
    evidence of a gap (smallest adjusted p-value, then the most negative upper bound) — so a headline does not
    generalise from whichever metric came first (HOSTILE2 H17). ``None`` when none has a row.

    Examples
    --------
    >>> from types import SimpleNamespace as R
    >>> a = R(metric="contact_csat", table=pd.DataFrame({"channel": ["store"], "ci_high": [0.1], "p_adjusted": [0.4]}))
    >>> b = R(metric="fcr", table=pd.DataFrame({"channel": ["phone"], "ci_high": [-13.0], "p_adjusted": [0.0001]}))
    >>> strongest_within([a, b]).metric
    'fcr'
    """
    done = [r for r in results if r is not None and len(r.table)]
    if not done:
        return None

    def strength(r):
        low = r.table.iloc[0]  # the table is ordered from the lowest channel
        p = low["p_adjusted"] if "p_adjusted" in low.index and np.isfinite(low["p_adjusted"]) else 1.0
        return (p, low["ci_high"])

    return min(done, key=strength)


def within_key(result, channel: str, *, confidence: float = 0.95):
    """The headline of the within-person comparison (``channel`` = the lowest row of ``result.table``); the title
    names the metric it rests on."""
    from cxlab.findings.key import key_finding

    low = result.table.set_index("channel").loc[channel]
    title = (_("The same customers rate {channel} lower than their other channels on {metric}").format(
                 channel=value_label(channel), metric=_label(result.metric)) if low["ci_high"] < 0
             else _("No evidence that the same customers rate channels differently on {metric}").format(
                 metric=_label(result.metric)))
    return key_finding(title, within_finding(result, channel, confidence=confidence), n=int(low["persons"]),
                       interval=_("{level} CI {low} to {high}").format(level=fmt_pct(confidence),
                                                                       low=fmt_signed(low["ci_low"], 1),
                                                                       high=fmt_signed(low["ci_high"], 1)),
                       method=_("linear mixed model, random intercept per person (REML)"))


def tone_key(divergence: pd.DataFrame, profile: pd.DataFrame | None = None, *, confidence: float = 0.95):
    """The brand-voice headline (:func:`tone_finding` with a title naming the off-brand channels)."""
    from cxlab.findings.key import key_finding

    off = divergence[divergence["flagged"]]
    names = ", ".join(value_label(c) for c in off["channel"])
    title = (_("{channels} replies are off-brand").format(channels=names[:1].upper() + names[1:]) if len(off)
             else _("One voice in every channel"))
    return key_finding(title, tone_finding(divergence, profile, confidence=confidence), n=int(divergence["n"].sum()),
                       method=_("tone lexicons; RMS of Cohen's h/d from the median channel; percentile bootstrap"))


def consistency_key(index: pd.DataFrame):
    """The least consistent metric of :func:`cxlab.channels.consistency_index` as a headline."""
    from cxlab.findings.key import key_finding

    worst = index.sort_values("index").iloc[0]
    return key_finding(_("Where the experience is least consistent"), consistency_findings(index.loc[[worst.name]])[0],
                       n=int(worst["n"]),
                       method=_("gaps to the rest of the company, Holm-adjusted; flagged when significant and at "
                                "least 0.2 SD"))


def within_finding(result, channel: str, *, confidence: float = 0.95) -> str:
    """The same persons in ``channel`` and elsewhere (a :class:`cxlab.channels.WithinResult`), in words."""
    t = result.table
    if channel not in set(t["channel"]):
        return _("{name}: too few persons seen in {channel} and another channel for a within-person comparison ({n} "
                 "persons in two or more channels).").format(name=_name(channel), channel=value_label(channel),
                                                             n=fmt_number(result.n_persons, 0))
    r = t.set_index("channel").loc[channel]
    sentence = gap_sentence(channel, result.metric, r["estimate"], r["ci_low"], r["ci_high"], int(r["n"]),
                            confidence=confidence, compared=N_("the same persons' answers in the other channels"))
    sentence += _(" This compares {n} persons seen in {channel} and at least one other channel (mixed model with one "
                  "intercept per person).").format(n=fmt_number(int(r["persons"]), 0), channel=value_label(channel))
    if result.note:
        sentence += " " + result.note
    return sentence


def homogeneity_finding(tests: pd.DataFrame, metric: str = "nps", *, alpha: float = 0.05) -> str:
    """Chi-square / Kruskal–Wallis of one metric across channels, in words."""
    t = tests[tests["metric"] == metric]
    if t.empty or t["p_value"].isna().all():
        return _("{label}: not enough answers per channel to test whether channels differ.").format(
            label=_label(metric))
    chi = t[t["test"] == "chi-square"].iloc[0] if (t["test"] == "chi-square").any() else None
    kw = t[t["test"] == "Kruskal-Wallis"].iloc[0] if (t["test"] == "Kruskal-Wallis").any() else None
    main = chi if chi is not None else kw
    if main["p_value"] < alpha:
        text = _("{label} differs between channels (chi-square {statistic}, df {dof}, {p}; Cramér's V {v}, n = "
                 "{n})").format(label=_label(metric), statistic=_local(f"{main['statistic']:.1f}"),
                                dof=int(main["dof"]), p=fmt_p(main["p_value"]),
                                v=_local(f"{main['effect_size']:.2f}"), n=fmt_number(int(main["n"]), 0))
        if kw is not None and chi is not None:
            text += _("; the Kruskal–Wallis test agrees ({p})").format(p=fmt_p(kw["p_value"]))
        v = main["effect_size"]
        return text + (_(". The association is small by Cohen's benchmarks for V.") if v < 0.3 else
                       _(". The association is moderate by Cohen's benchmarks for V.") if v < 0.5 else
                       _(". The association is large by Cohen's benchmarks for V."))
    return _("No evidence that {label} differs between channels at this sample size ({p}, n = {n}).").format(
        label=_label(metric), p=fmt_p(main["p_value"]), n=fmt_number(int(main["n"]), 0))


def consistency_findings(index: pd.DataFrame) -> list[str]:
    """One sentence per metric of :func:`cxlab.channels.consistency_index`."""
    out = []
    for _i, r in index.iterrows():
        if r["flagged"] == "none":
            out.append(ngettext("{label}: no channel is materially worse than the rest (consistency index {index}/100, "
                                "{k} channel, n = {n}).",
                                "{label}: no channel is materially worse than the rest (consistency index {index}/100, "
                                "{k} channels, n = {n}).", int(r["channels"])).format(
                label=_(r["label"]), index=f"{r['index']:.0f}", k=int(r["channels"]), n=fmt_number(int(r["n"]), 0)))
        else:
            flagged = ", ".join(value_label(c.strip()) for c in str(r["flagged"]).split(","))
            out.append(_("{label}: consistency index {index}/100 — materially worse than the rest: {flagged} (largest "
                         "gap {gap} {unit} in {channel}, {effect} SD).").format(
                label=_(r["label"]), index=f"{r['index']:.0f}",
                flagged=r["flagged"] if get_language() == "en" else flagged,
                gap=_signed(r["largest_gap"], _unit(r["metric"])), unit=_unit(r["metric"]),
                channel=value_label(r["largest_gap_channel"]), effect=_local(f"{abs(r['largest_effect']):.2f}")))
    return out


def tone_finding(divergence: pd.DataFrame, profile: pd.DataFrame | None = None, *, tolerance: float = 0.2,
                 confidence: float = 0.95) -> str:
    """Brand-voice divergence in words: which channels are off-brand, and how."""
    d = divergence.dropna(subset=["divergence"])
    if d.empty:
        return _("Brand voice: too few messages per channel to compare the tone.")
    flagged = d[d["flagged"]]
    ok = d[~d["flagged"]]
    parts = []
    for _i, r in flagged.iterrows():
        s = _("{name} messages are off-brand: tone divergence {divergence} ({ci}, tolerance {tolerance}; n = {n} "
              "messages)").format(name=_name(r["channel"]), divergence=_local(f"{r['divergence']:.2f}"),
                                  ci=_("{level} CI {low} to {high}").format(
                                      level=fmt_pct(confidence), low=_local(f"{r['ci_low']:.2f}"),
                                      high=_local(f"{r['ci_high']:.2f}")),
                                  tolerance=_local(f"{tolerance:g}"), n=fmt_number(int(r["n"]), 0))
        if profile is not None:
            p = profile.pivot(index="channel", columns="feature", values="estimate")
            feats = [f for f in ("greeting", "by_name", "sign_off", "slang", "emoji") if f in p.columns]
            bits = []
            for f in feats:
                mine = p.at[r["channel"], f]
                others = p.drop(index=r["channel"])[f].median()
                if np.isfinite(mine) and np.isfinite(others) and abs(mine - others) >= 20:
                    bits.append(_("{feature} {mine} vs {others} elsewhere").format(
                        feature=_(f.replace("_", " ")), mine=fmt_pct(mine, 0, share=False),
                        others=fmt_pct(others, 0, share=False)))
            if bits:
                s += ": " + "; ".join(bits)
        parts.append(s + ".")
    if len(ok):
        parts.append(_("The other channels ({channels}) share one voice (divergence at most {divergence}, every "
                       "interval below or around the {tolerance} tolerance).").format(
            channels=", ".join(value_label(c) for c in ok["channel"]),
            divergence=_local(f"{ok['divergence'].max():.2f}"),
            tolerance=_local(f"{tolerance:g}")))
    if flagged.empty:
        parts.insert(0, _("No channel's tone is off-brand beyond the tolerance."))
    return " ".join(parts)


def preference_finding(result, *, alpha: float = 0.05) -> str:
    """Channel preference by group (a :class:`cxlab.channels.PreferenceResult`), in words."""
    t = result.test.iloc[0]
    by = _(result.by.replace("_", " "))
    if not np.isfinite(t["p_value"]):
        return _("Channel preference by {by}: not enough persons per group to test.").format(by=by)
    tab = result.table.dropna(subset=["share"])
    tab = tab[tab[result.by].astype(str) != "(missing)"]
    top = tab.sort_values("share", ascending=False).drop_duplicates(result.by)
    fav = "; ".join(f"{value_label(r[result.by])}: {value_label(r['channel'])} {fmt_pct(r['share'], 0, share=False)}"
                    for _i, r in top.iterrows())
    if t["p_value"] < alpha:
        return _("Preferred channels differ by {by} (chi-square {statistic}, df {dof}, {p}, Cramér's V {v}; n = {n} "
                 "persons). Most preferred: {favourites}.").format(
            by=by, statistic=_local(f"{t['statistic']:.1f}"), dof=int(t["dof"]), p=fmt_p(t["p_value"]),
            v=_local(f"{t['cramers_v']:.2f}"), n=fmt_number(int(t["n"]), 0), favourites=fav)
    return _("No evidence that preferred channels differ by {by} at this sample size ({p}, n = {n} persons). Most "
             "preferred: {favourites}.").format(by=by, p=fmt_p(t["p_value"]), n=fmt_number(int(t["n"]), 0),
                                                favourites=fav)


_ADVICE = {
    "nps": N_("review what happens in {ch} end to end (staff, scripts, waiting), starting with detractors' comments"),
    "csat": N_("listen to a sample of {ch} contacts and fix the most common causes of dissatisfaction"),
    "csat_top2": N_("listen to a sample of {ch} contacts and fix the most common causes of dissatisfaction"),
    "ces": N_("remove effort in {ch}: transfers, repeated questions, long queues"),
    "ces_top2": N_("remove effort in {ch}: transfers, repeated questions, long queues"),
    "contact_csat": N_("coach {ch} agents with the best-rated channel's practices"),
    "fcr": N_("give {ch} agents the authority and information to resolve on first contact"),
    "complaint_rate": N_("find what {ch} customers complain about and fix the cause"),
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
        advice = _(_ADVICE.get(r["metric"], N_("investigate {ch}"))).format(ch=value_label(r["channel"]))
        out.append(_("{name} — {label} {gap} {unit} vs the rest ({p} after Holm): {advice}.").format(
            name=_name(r["channel"]), label=_label(r["metric"]), gap=_signed(r["gap"], unit), unit=unit,
            p=fmt_p(r["p_adjusted"]), advice=advice))
    if divergence is not None:
        for _i, r in divergence[divergence["flagged"]].iterrows():
            out.append(_("{name} — tone off-brand (divergence {divergence}): give {channel} agents the brand's reply "
                         "templates (greeting by name, courteous 'Вы', sign-off; no slang or emoji) and review a "
                         "sample of replies monthly.").format(name=_name(r["channel"]),
                                                              divergence=_local(f"{r['divergence']:.2f}"),
                                                              channel=value_label(r["channel"])))
    if not out:
        out.append(_("No channel is out of line by a material, significant margin: no channel-specific action is "
                     "indicated by this audit; keep monitoring as answers accumulate."))
    return out
