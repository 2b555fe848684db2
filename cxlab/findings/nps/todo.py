"""The to-do list: what to do next, read from the findings' own details instead of re-deciding."""

from __future__ import annotations

from collections.abc import Sequence

from cxlab.findings.format import fmt_count, fmt_p, fmt_signed, readable_label
from cxlab.findings.i18n import _, fmt_number, get_language, ngettext
from cxlab.findings.nps.base import Finding, NO_EVIDENCE, _g, _join, _noun

__all__ = ["todo_list"]


# --------------------------------------------------------------------------- what to do
def todo_list(*, groups: Sequence[Finding] = (), mix: Finding | None = None, trend_finding: Finding | None = None,
              change: Finding | None = None, driver_finding: Finding | None = None,
              theme_finding: Finding | None = None, low_group_themes: Sequence[str] = (),
              plan: Finding | None = None, ratings: Sequence[Finding] = (), min_base: int = 30) -> Finding:
    """The numbered "what to do" list, built only from findings whose tests support them.

    Parameters
    ----------
    groups
        :func:`group_differences` findings, one per grouping; each finding's grouping
        name is in ``details["grouping"]`` when the caller set it (``todo_list`` reads the
        text otherwise unchanged).
    mix, trend_finding, change, driver_finding, theme_finding, plan, ratings
        The other findings (any may be None).
    low_group_themes
        Detractor themes in the lowest group, already computed (descriptive).
    min_base
        The minimum base, for the last item.

    Returns
    -------
    Finding
        ``text`` is a numbered Markdown list; ``details["items"]`` the items.

    Examples
    --------
    >>> g = Finding("...", details={"grouping": "channel", "shown": 6, "lowest_established": False,
    ...                             "n_needed": 163, "gap": 22.0})
    >>> print(todo_list(groups=[g]))
    1. **Do not act on differences between channels yet:** no evidence of a difference at this sample size (6
    channels compared); about 163 answers per channel would be needed to detect the 22-point gap seen.
    2. **Report every score with its interval and base**, and never below 30 responses.
    """
    items: list[str] = []
    named: dict[tuple[str, str], int] = {}  # (grouping, group) -> index of the item that names it
    if trend_finding is not None and trend_finding.details.get("falls"):
        items.append(_fall_item(trend_finding.details["falls"][0], change))
    for g in groups:
        item = _group_item(g.details, mix if g.details is groups[0].details else None,
                           low_group_themes if g.details is groups[0].details else ())
        if item is None:
            continue
        if g.details.get("lowest_established"):
            named[(g.details.get("grouping", "group"), str(g.details["lowest"]))] = len(items)
        items.append(item)
    _add_rating_items(items, named, ratings)
    if driver_finding is not None and driver_finding.evidence:
        items.append(_driver_item(driver_finding))
    if theme_finding is not None and theme_finding.details.get("promoter_themes"):
        items.append(_("**Keep what promoters praise:** ") + ", ".join(theme_finding.details["promoter_themes"][:3])
                     + ".")
    last = _("**Report every score with its interval and base**, and never below {min_base} responses").format(
        min_base=min_base)
    if plan is not None and plan.details.get("n_per_group"):
        last = _("**Size the next waves for the question asked:** about {n} responses per wave to see a 5-point "
                 "change; report every NPS with its interval and base, and never below {min_base} "
                 "responses").format(n=fmt_count(plan.details["n_per_group"]), min_base=min_base)
    items.append(last + ".")
    return Finding("\n".join(f"{i}. {t}" for i, t in enumerate(items, 1)), details={"items": items})


def _fall_item(fall: dict, change: Finding | None) -> str:
    """Find what changed in the period whose NPS fell (and what the change analysis points at)."""
    item = _("**Find what changed in {period}.** NPS fell {change} points (adjusted {p})").format(
        period=fall["period"], change=fmt_number(abs(fall["change"]), 0, group=False), p=fmt_p(fall["p_adjusted"]))
    if change is not None and change.evidence:
        what = []
        if change.details.get("attribute"):
            what.append(_("{attribute} ratings fell").format(
                attribute=readable_label(change.details["attribute"])))
        if change.details.get("theme"):
            what.append(_("detractors' comments about {theme} grew").format(theme=change.details["theme"]))
        item += "; " + _(" and ").join(what) + _(". Check operations for that period and track these monthly.")
    else:
        item += _("; no single rating or comment theme explains it at this sample size. Check operations for "
                  "that period.")
    return item


def _group_item(d: dict, mix: Finding | None, low_group_themes: Sequence[str]) -> str | None:
    """The item of one grouping's comparison (None when fewer than two groups are shown).

    ``mix`` and ``low_group_themes`` are given for the first grouping only.
    """
    name = d.get("grouping", "group")
    if d.get("lowest_established"):
        item = _("**Look into the {group} experience.** At {estimate} it is significantly below {k} other "
                 "{groups}").format(group=_g(d["lowest"]), estimate=fmt_signed(d["lowest_estimate"]),
                                    k=d["below_count"], groups=_noun(name, d["below_count"], "gen", counted=True))
        if mix is not None:
            stratum = mix.details.get("stratum", "group")
            if mix.details.get("all_suppressed"):
                item += _(" (whether it stays behind within {strata} needs more answers per cell)").format(
                    strata=_noun(stratum, 2, "gen"))
            elif mix.details.get("consistent"):
                item += _(" and stays behind within every one of the {strata} that can be compared").format(
                    strata=_noun(stratum, 2, "gen"))
            elif mix.details.get("gaps"):
                item += _(", though not within every one of the {strata}, so part of the gap may be mix").format(
                    strata=_noun(stratum, 2, "gen"))
        item += "."
        if low_group_themes:
            item += _(" Its detractors mention most often {themes}.").format(
                themes=_join(list(low_group_themes)[:2]))
        return item
    if d.get("shown", 0) >= 2 and (d.get("significant") or d.get("pairs_significant")):
        return _("**Check the {groups}' detractor and promoter shares before acting:** their mix differs, "
                 "but no {group} is significantly behind another in NPS after Holm correction.").format(
            groups=_noun(name, 2, "gen"), group=_noun(name, 1))
    if d.get("shown", 0) >= 2:
        item = _("**Do not act on differences between {groups} yet:** {no_evidence} ({k} {groups_k} "
                 "compared)").format(groups=_noun(name, 2, "ins"), no_evidence=_(NO_EVIDENCE), k=d["shown"],
                                     groups_k=_noun(name, d["shown"], counted=True))
        if d.get("n_needed"):
            item += _("; about {n} answers per {group} would be needed to detect the {gap}-point gap "
                      "seen").format(n=fmt_count(d["n_needed"]),
                                     group=name if get_language() == "en" else _noun(name, 1, "acc"),
                                     gap=fmt_number(d["gap"], 0, group=False))
        return item + "."
    return None


def _add_rating_items(items: list[str], named: dict[tuple[str, str], int], ratings: Sequence[Finding]) -> None:
    """Lowest CSAT/CES groups (significant only): added to the item naming that group, or as items of their own."""
    lows: dict[tuple[str, str], list[str]] = {}
    for r in ratings:
        if r.evidence and r.details.get("lowest"):
            lows.setdefault((r.details["group"], r.details["lowest"]), []).append(r.details["score"])
    for (grp, low), scores in lows.items():
        if (grp, low) in named:
            i = named[(grp, low)]
            items[i] += _(" It also has the lowest {scores} (the differences are significant).").format(
                scores=_join(scores))
        else:
            items.append(_("**Look into {group}:** it has the lowest {scores} of the {groups}, and the difference "
                           "between them is significant (Kruskal–Wallis).").format(
                group=_g(low), scores=_join(scores), groups=_noun(grp, 2, "gen")))


def _driver_item(driver_finding: Finding) -> str:
    """Invest in the driver that carries the most explained variance (and those rated below average)."""
    item = _("**Invest where it moves the score:** {driver} carries {importance} % of the explained "
             "variance").format(driver=driver_finding.details["top"],
                                importance=fmt_number(driver_finding.details["importance"], 0))
    prio = driver_finding.details.get("priority") or []
    if prio:
        item += ngettext("; {drivers} is important but rated below average",
                         "; {drivers} are important but rated below average", len(prio)).format(
            drivers=", ".join(prio))
    return item + "."
