"""Clerical review of uncertain matches, and the threshold-sensitivity explorer.

:func:`review_widget` shows the uncertain pairs of an
:class:`~cxlab.identity.IdentityResult` side by side; every *accept* / *reject* is written
at once to a CSV file that :func:`cxlab.identity.resolve_identities` honours on the next
run (``decisions=path``). Contact details are masked unless ``show_personal_data=True``
(so a saved or exported notebook does not carry them).

:func:`threshold_explorer` moves the match threshold over a pre-computed
:func:`cxlab.identity.threshold_sensitivity` table and redraws the same figures as the
static report (:mod:`cxlab.plots.identity`).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from cxlab.errors import CXLabError
from cxlab.identity.resolve import IdentityResult, read_decisions
from cxlab.plots.identity import ThresholdChart
from cxlab.widgets._base import Explorer, FigureImage, html_table, require_ipywidgets

__all__ = ["review_widget", "threshold_explorer", "ThresholdExplorer", "mask_value"]

widgets = require_ipywidgets()

_FIELDS = ("source", "channel", "timestamp", "name", "email", "phone", "handle", "customer_key")


def mask_value(field: str, value: object) -> str:
    """Mask a contact detail for display: initials ``А. П.``, ``a***@mail.ru``, ``+7********80``.

    Examples
    --------
    >>> mask_value("email", "anna.petrova@mail.ru"), mask_value("phone", "+79123456780")
    ('a***@mail.ru', '+7********80')
    >>> mask_value("name", "Анна Петрова")
    'А. П.'
    """
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return "–"
    v = str(value).strip()
    if field == "email":
        local, _, dom = v.partition("@")
        return (local[:1] + "***@" + dom) if dom else "***"
    if field == "phone":
        digits = "".join(ch for ch in v if ch.isdigit() or ch == "+")
        return digits[:2] + "*" * max(len(digits) - 4, 0) + digits[-2:] if len(digits) > 4 else "***"
    if field == "handle":
        return v[:2] + "***"
    if field == "name":
        words = v.split()
        return " ".join(w[:1] + "." for w in words) if words else "–"
    if field == "customer_key":
        return "id ***" + v[-2:] if v else "–"
    return v


def _side_by_side(result: IdentityResult, l_id: str, r_id: str, show: bool, *, rec: pd.DataFrame | None = None,
                  sizes: pd.Series | None = None) -> pd.DataFrame:
    """The two records side by side; ``rec`` (records by id) and ``sizes`` (records per person)
    may be passed in once computed, so that moving through pairs does not touch every record."""
    rec = result.records.set_index("record_id") if rec is None else rec
    rows = {}
    for label, rid in (("record A", l_id), ("record B", r_id)):
        r = rec.loc[rid]
        vals = {}
        for f in _FIELDS:
            raw = r[f] if f in r.index else None
            if f == "timestamp":
                vals[f] = "–" if pd.isna(raw) else f"{pd.Timestamp(raw):%Y-%m-%d}"
            elif show or f in ("source", "channel"):
                vals[f] = "–" if raw is None or pd.isna(raw) else str(raw)
            else:
                vals[f] = mask_value(f, raw)
        vals["records in its person"] = (int(sizes.get(r["person_id"], 0)) if sizes is not None
                                         else int((result.records["person_id"] == r["person_id"]).sum()))
        rows[label] = vals
    return pd.DataFrame(rows)


def review_widget(result: IdentityResult, *, path: str | Path = "identity_decisions.csv",
                  show_personal_data: bool = False, max_pairs: int = 500):
    """Build the clerical review widget (returned, not displayed).

    Parameters
    ----------
    result
        Output of :func:`cxlab.identity.resolve_identities`; its ``review`` table lists the
        uncertain pairs, most probable first.
    path
        CSV file of decisions: read at start (earlier decisions are shown), written after
        every click; pass it back as ``resolve_identities(..., decisions=path)``.
    show_personal_data
        Show names, e-mails and phones in full (for the reviewer's own screen only).
    max_pairs
        Number of pairs offered.

    Returns
    -------
    ipywidgets.VBox
        With attributes ``accept``, ``reject``, ``skip``, ``back`` (buttons), ``pairs``
        (the pairs offered), ``position`` (index of the pair shown), ``decisions``
        (current decisions as a DataFrame) and ``table`` (HTML of the side-by-side view).
    """
    widgets = require_ipywidgets()
    path = Path(path)
    pairs = result.review.head(max_pairs).reset_index(drop=True)
    earlier = read_decisions(path)
    box = widgets.VBox()
    box.pairs = pairs
    box.position = 0
    box.decisions = (earlier if earlier is not None else
                     pd.DataFrame(columns=["record_id_l", "record_id_r", "decision"])).reset_index(drop=True)
    header = widgets.HTML()
    table = widgets.HTML()
    status = widgets.HTML()
    box.accept = widgets.Button(description="Same person", button_style="success", icon="check")
    box.reject = widgets.Button(description="Different people", button_style="danger", icon="times")
    box.skip = widgets.Button(description="Skip", icon="forward")
    box.back = widgets.Button(description="Back", icon="backward")
    box.table = table
    records_by_id = result.records.set_index("record_id")  # once, not on every pair shown
    person_sizes = result.records["person_id"].value_counts()

    def show() -> None:
        if pairs.empty:
            header.value = "<b>No uncertain pairs to review.</b>"
            table.value = ""
            for b in (box.accept, box.reject, box.skip, box.back):
                b.disabled = True
            return
        i = box.position
        p = pairs.iloc[i]
        prev = _decision_of(box.decisions, p["record_id_l"], p["record_id_r"])
        header.value = (f"<b>Pair {i + 1} of {len(pairs)}</b> — match probability {p['match_probability']:.2f}"
                        + (" (a rival candidate is about as likely)" if bool(p.get("ambiguous", False)) else "")
                        + (f" — decided: <b>{prev}</b>" if prev else ""))
        table.value = html_table(_side_by_side(result, p["record_id_l"], p["record_id_r"], show_personal_data,
                                               rec=records_by_id, sizes=person_sizes), index=True)
        n_acc = int((box.decisions["decision"] == "accept").sum())
        n_rej = int((box.decisions["decision"] == "reject").sum())
        status.value = f"{n_acc} accepted, {n_rej} rejected — saved to <code>{path.name}</code>"

    def decide(value: str) -> None:
        if pairs.empty:
            return
        box.decisions = _with_decision(box.decisions, pairs.iloc[box.position], value)
        _write_decisions(box.decisions, path)
        move(1)

    def move(step: int) -> None:
        box.position = int(min(max(box.position + step, 0), max(len(pairs) - 1, 0)))
        show()

    box.accept.on_click(lambda _: decide("accept"))
    box.reject.on_click(lambda _: decide("reject"))
    box.skip.on_click(lambda _: move(1))
    box.back.on_click(lambda _: move(-1))
    show()
    box.children = [header, table, widgets.HBox([box.back, box.accept, box.reject, box.skip]), status]
    return box


def _decision_of(decisions: pd.DataFrame, l_id: str, r_id: str) -> str | None:
    """The last decision taken on a pair, or None."""
    hit = decisions[(decisions["record_id_l"] == l_id) & (decisions["record_id_r"] == r_id)]
    return None if hit.empty else str(hit["decision"].iloc[-1])


def _with_decision(decisions: pd.DataFrame, p: pd.Series, value: str) -> pd.DataFrame:
    """The decisions with this pair's (if any) replaced by ``value``."""
    d = decisions[~((decisions["record_id_l"] == p["record_id_l"]) & (decisions["record_id_r"] == p["record_id_r"]))]
    row = pd.DataFrame({"record_id_l": [p["record_id_l"]], "record_id_r": [p["record_id_r"]], "decision": [value]})
    return pd.concat([d, row], ignore_index=True)


def _write_decisions(decisions: pd.DataFrame, path: Path) -> None:
    """Save the decisions at once (CSV), so a closed notebook loses none."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        decisions.to_csv(path, index=False)
    except OSError as exc:
        raise CXLabError(f"cannot save the review decisions: {exc}", file=str(path),
                         fix="choose a writable path=") from None


def threshold_explorer(sensitivity: pd.DataFrame, *, threshold: float | None = None):
    """Build the threshold-sensitivity explorer (returned, not displayed).

    Parameters
    ----------
    sensitivity
        Output of :func:`cxlab.identity.threshold_sensitivity` (with a survey for the NPS
        panel; without one only the customer count is drawn).
    threshold
        Initially selected threshold (default: the middle one).

    Returns
    -------
    ThresholdExplorer
        An ``ipywidgets.VBox`` with ``slider`` (a ``SelectionSlider`` over the thresholds, also
        ``controls["threshold"]``), ``figure`` (:class:`~cxlab.widgets._base.FigureImage`),
        ``info`` (HTML table of the NPS by channel at the selected threshold) and ``state``
        (``threshold``, ``persons``).
    """
    if "threshold" not in sensitivity.columns or sensitivity.empty:
        raise CXLabError("the sensitivity table is empty or has no threshold column",
                         fix="pass the output of cxlab.identity.threshold_sensitivity")
    return ThresholdExplorer(sensitivity, threshold=threshold)


class ThresholdExplorer(Explorer):
    """Persons and NPS by channel against the match threshold; the slider moves the marker.

    Both panels are drawn once; a change moves the threshold lines (redrawn over a cached
    bitmap of the rest) and looks the numbers at that threshold up in the table.
    """

    description = "Identity threshold explorer"

    def __init__(self, sensitivity: pd.DataFrame, *, threshold: float | None) -> None:
        values = sorted(sensitivity["threshold"].unique().tolist())
        start = threshold if threshold in values else values[len(values) // 2]
        self._table = sensitivity
        self._has_nps = "channel" in sensitivity.columns
        # the rows of each threshold, looked up once (a change reads a dict)
        self._at = {t: part for t, part in sensitivity.groupby("threshold", sort=True)}
        fig = FigureImage(figsize=(11, 3.8), ncols=2 if self._has_nps else 1)
        axes = np.atleast_1d(fig.axes)
        self.chart = ThresholdChart(sensitivity, axes[0], axes[1] if self._has_nps else None, threshold=start)
        fig.set_dynamic(lambda: self.chart.dynamic, self.chart.static_key)
        self.slider = widgets.SelectionSlider(options=[(f"{v:g}", v) for v in values], value=start,
                                              description="threshold", continuous_update=False)
        self.info = widgets.HTML()
        self.state: dict = {}
        super().__init__({"threshold": self.slider}, fig, rows=[self.slider], below=[self.info])
        self.update()

    def render(self) -> bool:
        t = self.slider.value
        self.chart.update(t)
        at = self._at[t]
        persons = int(at["persons"].iloc[0])
        self.state = {"threshold": t, "persons": persons}
        if self._has_nps:
            shown = at[["channel", "n", "estimate", "ci_low", "ci_high"]].rename(columns={"estimate": "NPS"})
            self.info.value = f"<b>{persons:,} persons</b> at threshold {t:g}." + html_table(shown)
        else:
            self.info.value = f"<b>{persons:,} persons</b> at threshold {t:g}."
        return True
