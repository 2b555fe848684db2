"""Figures of identity resolution. Inputs are the tables of :mod:`cxlab.identity.report`
and :mod:`cxlab.identity.profile`; nothing is computed here."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from cxlab.errors import CXLabError
from cxlab.plots._style import ACCENT, CHANNEL_ORDER, MUTED, get_ax
from cxlab.plots._text import _, count, get_language, vocab

__all__ = ["plot_links_by_rule", "plot_cluster_sizes", "plot_probability_bands", "plot_fragmentation",
           "plot_persons_by_threshold", "plot_nps_by_threshold", "plot_timeline", "ThresholdChart"]

_WARN = "#d55e00"
_EVENT_MARKERS = {"contact": "o", "survey": "D", "purchase": "s", "signed up": "*"}


def _need(frame: pd.DataFrame, cols: Sequence[str], source: str) -> None:
    missing = [c for c in cols if c not in frame.columns]
    if missing:
        raise CXLabError(f"the table lacks the columns {missing}", fix=f"pass the output of {source}")


def plot_links_by_rule(table: pd.DataFrame, *, ax: Axes | None = None) -> Axes:
    """Records joined by each rule (input: :func:`cxlab.identity.links_by_rule`)."""
    _need(table, ["rule", "links", "records"], "cxlab.identity.links_by_rule")
    ax = get_ax(ax)
    labels = [vocab(r, readable=True) for r in table["rule"]]
    colors = [MUTED if r in ("probability", "review") else ACCENT for r in table["rule"]]
    bars = ax.barh(labels, table["records"], color=colors)
    ax.bar_label(bars, labels=[count(v) for v in table["records"]], padding=3)
    ax.invert_yaxis()
    ax.set(xlabel=_("records joined to at least one other record"), ylabel="",
           title=_("How records were joined: shared keys first, probability last"))
    ax.margins(x=0.15)
    return ax


def plot_cluster_sizes(table: pd.DataFrame, *, ax: Axes | None = None, max_size: int = 15) -> Axes:
    """Persons by number of records (input: :func:`cxlab.identity.cluster_sizes`).

    Sizes above ``max_size`` are drawn as one "more" bar, so one giant cluster stands out.
    """
    _need(table, ["records", "persons"], "cxlab.identity.cluster_sizes")
    ax = get_ax(ax)
    small = table[table["records"] <= max_size]
    big = table.loc[table["records"] > max_size, "persons"].sum()
    x = small["records"].astype(str).tolist()
    y = small["persons"].tolist()
    colors = [ACCENT] * len(x)
    if big:
        x.append(f">{max_size}")
        y.append(int(big))
        colors.append(_WARN)
    ax.bar(x, y, color=colors)
    ax.set_yscale("log")
    ax.set(xlabel=_("records per person"), ylabel=_("persons (log scale)"),
           title=_("Cluster sizes: persons by number of records"))
    return ax


def plot_probability_bands(table: pd.DataFrame, *, ax: Axes | None = None) -> Axes:
    """Candidate pairs by match-probability band, and how many became links
    (input: :func:`cxlab.identity.probability_bands`)."""
    _need(table, ["band", "pairs", "linked", "ambiguous"], "cxlab.identity.probability_bands")
    ax = get_ax(ax)
    pos = np.arange(len(table))
    ax.bar(pos - 0.27, table["pairs"], width=0.27, color=MUTED, label=_("pairs scored"))
    ax.bar(pos, table["linked"], width=0.27, color=ACCENT, label=_("linked"))
    ax.bar(pos + 0.27, table["ambiguous"], width=0.27, color=_WARN, label=_("ambiguous (a rival as good)"))
    ax.set_xticks(pos, table["band"])
    ax.set(xlabel=_("match probability (splink)"), ylabel=_("pairs"), title=_("Probabilistic candidates by band"))
    ax.legend(frameon=False)
    return ax


def plot_fragmentation(audit: pd.DataFrame, *, ax: Axes | None = None) -> Axes:
    """Customers counted before and after resolution (input: :func:`cxlab.identity.fragmentation_audit`)."""
    _need(audit, ["measure", "value"], "cxlab.identity.fragmentation_audit")
    v = audit.set_index("measure")["value"]
    ax = get_ax(ax)
    labels = [_("customers before\nresolution"), _("persons after\nresolution"), _("persons seen in\n2+ channels")]
    vals = [v["customers before resolution"], v["persons after resolution"], v["persons seen in 2+ channels"]]
    bars = ax.bar(labels, vals, color=[MUTED, ACCENT, ACCENT])
    ax.bar_label(bars, labels=[count(x) for x in vals], padding=3)
    ax.set(ylabel=_("count"), title=_("What identity resolution changes in the customer count"))
    ax.margins(y=0.12)
    return ax


def _threshold_label(threshold: float, template: str | None = None) -> str:
    """``threshold used (0.9)`` in the active language (decimal comma in Russian)."""
    text = f"{threshold:g}" if get_language() == "en" else f"{threshold:g}".replace(".", ",")
    return (template or _("threshold used ({threshold})")).format(threshold=text)


def plot_persons_by_threshold(table: pd.DataFrame, *, ax: Axes | None = None, threshold: float | None = None) -> Axes:
    """Persons found at each match threshold (input: :func:`cxlab.identity.threshold_sensitivity`)."""
    _need(table, ["threshold", "persons"], "cxlab.identity.threshold_sensitivity")
    t = table.drop_duplicates("threshold").sort_values("threshold")
    ax = get_ax(ax)
    ax.plot(t["threshold"], t["persons"], marker="o", color=ACCENT)
    if threshold is not None:
        ax.axvline(threshold, color=_WARN, linestyle="--", label=_threshold_label(threshold))
        ax.legend(frameon=False)
    ax.set(xlabel=_("match threshold (probability)"), ylabel=_("persons"),
           title=_("Customer count vs match threshold"))
    return ax


def plot_nps_by_threshold(table: pd.DataFrame, *, ax: Axes | None = None, threshold: float | None = None) -> Axes:
    """Person-level NPS by channel at each threshold, with intervals
    (input: :func:`cxlab.identity.threshold_sensitivity` with a survey)."""
    _need(table, ["threshold", "channel", "estimate", "ci_low", "ci_high"], "cxlab.identity.threshold_sensitivity")
    ax = get_ax(ax, figsize=(8, 4))
    chans = [c for c in CHANNEL_ORDER if c in set(table["channel"])] + sorted(set(table["channel"]) - set(CHANNEL_ORDER))
    cmap = __import__("matplotlib").colormaps["tab10"]
    for i, ch in enumerate(chans):
        sub = table[table["channel"] == ch].sort_values("threshold")
        ax.plot(sub["threshold"], sub["estimate"], marker="o", color=cmap(i % 10), label=vocab(ch))
        ax.fill_between(sub["threshold"], sub["ci_low"], sub["ci_high"], color=cmap(i % 10), alpha=0.12)
    if threshold is not None:
        ax.axvline(threshold, color=_WARN, linestyle="--")
    ax.axhline(0, color=MUTED, linewidth=0.8)
    ax.set(xlabel=_("match threshold (probability)"), ylabel=_("NPS (each person once per channel)"),
           title=_("NPS by channel vs match threshold"))
    ax.legend(frameon=False, ncol=2, fontsize="small")
    return ax


class ThresholdChart:
    """Persons and NPS by channel against the match threshold, with the chosen threshold marked.

    The drawings of :func:`plot_persons_by_threshold` and :func:`plot_nps_by_threshold`, kept
    so that the threshold explorer only moves the marker lines (:meth:`update`).

    Parameters
    ----------
    table
        :func:`cxlab.identity.threshold_sensitivity` output.
    ax_persons, ax_nps
        Axes for the two panels (``ax_nps`` None: persons only).
    threshold
        Threshold marked at first.
    """

    def __init__(self, table: pd.DataFrame, ax_persons: Axes, ax_nps: Axes | None = None, *,
                 threshold: float) -> None:
        plot_persons_by_threshold(table, ax=ax_persons, threshold=threshold)
        self.persons_line = ax_persons.lines[-1]
        self.legend = ax_persons.get_legend()
        self._label = _("threshold used ({threshold})")
        self.nps_line = None
        if ax_nps is not None:
            plot_nps_by_threshold(table, ax=ax_nps, threshold=threshold)
            self.nps_line = next(line for line in ax_nps.lines if line.get_linestyle() == "--")
        self.update(threshold)

    def update(self, threshold: float) -> None:
        """Move the threshold markers (and the legend's label) to ``threshold``."""
        for line in (self.persons_line, self.nps_line):
            if line is not None:
                line.set_xdata([threshold, threshold])
        label = _threshold_label(threshold, self._label)
        self.persons_line.set_label(label)
        self.legend.get_texts()[0].set_text(label)

    @property
    def dynamic(self) -> list:
        """The artists a threshold change moves."""
        return [self.persons_line, self.nps_line, self.legend]

    def static_key(self) -> tuple:
        """Everything else depends on the table only."""
        return ()


def plot_timeline(timeline: pd.DataFrame, *, ax: Axes | None = None) -> Axes:
    """One person's events across channels over time (input: :func:`cxlab.identity.person_timeline`)."""
    _need(timeline, ["when", "channel", "event"], "cxlab.identity.person_timeline")
    tl = timeline.dropna(subset=["when"]).assign(channel=lambda d: d["channel"].fillna("unknown"))
    chans = [c for c in ("crm", *CHANNEL_ORDER) if c in set(tl["channel"])] + sorted(
        set(tl["channel"]) - {"crm", *CHANNEL_ORDER})
    ypos = {c: i for i, c in enumerate(chans)}
    ax = get_ax(ax, figsize=(9, 0.5 * len(chans) + 1.8))
    for ev, marker in _EVENT_MARKERS.items():
        sub = tl[tl["event"] == ev]
        if len(sub):
            ax.scatter(sub["when"], sub["channel"].map(ypos), marker=marker, s=45, label=vocab(ev),
                       color=ACCENT if ev == "contact" else (_WARN if ev == "survey" else MUTED), zorder=3)
    ax.set_yticks(range(len(chans)), [vocab(c) for c in chans])
    ax.set(xlabel="", ylabel=_("channel"), title=_("One person across channels (pseudonymised)"))
    ax.legend(frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    ax.grid(axis="x", alpha=0.3)
    return ax
