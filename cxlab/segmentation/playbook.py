"""What to do with each segment: the default playbook and its join to a segment summary."""

from __future__ import annotations

import pandas as pd

from cxlab.errors import CXLabError

__all__ = ["DEFAULT_PLAYBOOK", "segment_playbook"]

# --------------------------------------------------------------------------------------
# Playbook
# --------------------------------------------------------------------------------------

#: What to do for each named RFM segment. Edit a copy and pass it as ``playbook=``.
DEFAULT_PLAYBOOK = pd.DataFrame(
    [
        ("champions", "reward", "make them allies: early access, referral programme, ask for reviews; no discounts",
         "personal manager, email, messenger", "advocacy"),
        ("loyal", "upsell", "upsell premium ranges, membership tiers, ask for referral and feedback",
         "email, messenger, store", "grow value"),
        ("potential loyalists", "develop", "loyalty programme invitation, personalised recommendations",
         "email, web", "more frequent purchases"),
        ("new", "onboard", "welcome series, first-repeat incentive, introduce the assortment",
         "email, messenger", "second purchase"),
        ("promising", "develop", "targeted offers on the first category bought, samples or events",
         "email, social", "second purchase"),
        ("need attention", "reactivate", "limited-time offers based on past purchases, satisfaction check",
         "email, phone", "keep them active"),
        ("about to sleep", "reactivate", "reminders and popular products, small incentive",
         "email, social", "prevent lapse"),
        ("at risk", "win back", "personal win-back offer, ask what went wrong (survey or call)",
         "phone, email", "win back"),
        ("can't lose", "win back", "priority personal contact by a manager, service recovery",
         "phone, personal manager", "win back the most valuable"),
        ("hibernating", "win back", "low-cost reactivation: seasonal campaigns, new products",
         "email", "reactivate cheaply"),
        ("lost", "let go", "cheap mass channels only; exclude from costly campaigns",
         "email", "low cost"),
    ],
    columns=["segment", "strategy", "actions", "channels", "goal"],
)

def segment_playbook(summary: pd.DataFrame, *, playbook: pd.DataFrame | None = None) -> pd.DataFrame:
    """Join what-to-do for each segment to its size and value.

    Parameters
    ----------
    summary
        Output of :func:`segment_summary` (``segment, n, share, revenue, revenue_share``...).
    playbook
        Rows ``segment, strategy, actions, channels, goal`` (extra columns kept). Default
        :data:`DEFAULT_PLAYBOOK`.

    Returns
    -------
    pandas.DataFrame
        ``segment, n, share, revenue, revenue_share, revenue_per_customer`` then the playbook
        columns; segments without a playbook row get "(no plan yet)" so none is dropped.

    Examples
    --------
    >>> import pandas as pd
    >>> summary = pd.DataFrame({"segment": ["champions", "lost"], "n": [120, 800], "share": [0.13, 0.87],
    ...                         "revenue": [540000.0, 96000.0], "revenue_share": [0.85, 0.15],
    ...                         "revenue_per_customer": [4500.0, 120.0]})
    >>> print(segment_playbook(summary)[["segment", "n", "strategy", "goal"]].to_string())
         segment    n strategy      goal
    0  champions  120   reward  advocacy
    1       lost  800   let go  low cost
    """
    playbook = DEFAULT_PLAYBOOK if playbook is None else playbook
    if "segment" not in playbook.columns or "segment" not in summary.columns:
        raise CXLabError("both tables need a 'segment' column", fix="start from DEFAULT_PLAYBOOK.copy()")
    if playbook["segment"].duplicated().any():
        dup = playbook.loc[playbook["segment"].duplicated(), "segment"].tolist()
        raise CXLabError(f"the playbook lists segment(s) {dup} twice", fix="keep one row per segment")
    keep = [c for c in ("segment", "n", "share", "revenue", "revenue_share", "revenue_per_customer")
            if c in summary.columns]
    pb = playbook.assign(segment=playbook["segment"].astype(str))
    out = summary[keep].assign(segment=summary["segment"].astype(str)).merge(pb, on="segment", how="left")
    for c in pb.columns.drop("segment"):
        if out[c].dtype == object or pd.api.types.is_string_dtype(out[c]):
            out[c] = out[c].fillna("(no plan yet)")
    return out
