"""Segmentation findings: each sentence claims only what the result tables support.

The tables come from the real analysis functions (``cxlab.segmentation``) on data built with
and without the effect the finding talks about: equal spenders against a heavy-tailed
spend (concentration), well-separated groups against structureless noise (cluster
stability), a customer base with and without lapsed frequent buyers (win-back segments).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cxlab import segmentation as seg
from cxlab.errors import CXLabError
from cxlab.findings import segmentation as fseg


def test_fmt_amount_never_invents_a_currency():
    assert fseg.fmt_amount(1234.4) == "1,234"
    assert fseg.fmt_amount(1234.4, "USD") == "1,234 USD"
    assert fseg.fmt_amount(float("nan"), "USD") == "–"


# ------------------------------------------------------------------ concentration

def _concentration(values):
    f = fseg.concentration_finding(seg.gini(values), seg.top_share_table(values), currency="USD", n=len(values))
    assert f.n == len(values) and f.title.startswith("Revenue is")
    return f.title + ". " + f.text


def test_concentration_heavy_tail_is_called_concentrated_with_advice():
    # log-normal with sigma 1.5: Gini = 2*Phi(sigma/sqrt 2) - 1 = 0.711 (closed form)
    values = np.random.default_rng(1).lognormal(3, 1.5, 20_000)
    text = _concentration(values)
    assert text.startswith(("Revenue is highly concentrated.", "Revenue is concentrated."))
    assert "Making these customers allies" in text
    assert "USD each" in text


def test_concentration_equal_spenders_is_not_called_concentrated():
    values = np.random.default_rng(2).uniform(90, 110, 5_000)  # Gini about 0.03
    text = _concentration(values)
    assert text.startswith("Revenue is spread fairly evenly")
    assert "concentrated" not in text and "allies" not in text
    assert "broad retention" in text


def test_concentration_needs_top_5_and_20_rows():
    with pytest.raises(CXLabError, match="top 5%"):
        fseg.concentration_finding(0.5, seg.top_share_table(np.arange(1, 100.0), shares=(0.1,)))


# ------------------------------------------------------------------ clusters

def _features(rng, separated: bool, n=600):
    if separated:
        centres = np.array([[0, 0, 0], [8, 8, 8], [-8, 8, -8]])
        X = centres[rng.integers(0, 3, n)] + rng.normal(0, 0.5, (n, 3))
    else:
        X = rng.normal(0, 1, (n, 3))
    return pd.DataFrame(X, columns=["a", "b", "c"]).assign(revenue=rng.gamma(2, 50, n))


@pytest.mark.parametrize("separated", [True, False])
def test_cluster_finding_reproducible_only_when_the_bootstrap_says_so(separated):
    rng = np.random.default_rng(3)
    f = _features(rng, separated)
    cols = ["a", "b", "c"]
    k_table = seg.choose_k(f, ks=[2, 3, 4], columns=cols, transform="none", n_init=2)
    stab = seg.cluster_stability(f, ks=[3], columns=cols, transform="none", n_boot=6, n_init=1, progress=False)
    res = seg.cluster_customers(f, k=3, columns=cols, transform="none", n_init=2)
    f = fseg.cluster_finding(res.sizes, k_table, stab, k=3)
    text = f.title + ". " + f.text
    assert f.n == 600 and "ARI" in f.interval
    ari = float(stab["estimate"].iloc[0])
    if separated:
        assert ari > 0.95
        assert "the segments are reproducible" in text
        assert "The silhouette is highest at k = 3" in text
    else:
        assert ari < 0.75
        assert "reproducible" not in text.replace("only partly reproducible", "")
        assert "move" in text


def test_cluster_finding_says_when_stability_was_not_measured():
    sizes = pd.DataFrame({"segment": [1, 2], "share": [0.4, 0.6], "revenue_share": [0.7, 0.3]})
    ks = pd.DataFrame({"k": [2], "silhouette": [0.4]})
    st = pd.DataFrame({"k": [3], "estimate": [0.9], "ci_low": [0.8], "ci_high": [1.0]})
    assert "was not measured" in fseg.cluster_finding(sizes, ks, st, k=2).text


# ------------------------------------------------------------------ RFM segments

def _transactions(rng, lapsed: bool):
    """200 customers buying through 2023; with lapsed=True, 40 frequent buyers stop in March."""
    rows = []
    for i in range(200):
        stop = pd.Timestamp("2023-03-31") if (lapsed and i < 40) else pd.Timestamp("2023-12-31")
        gap = 10 if i < 80 else 60
        day = pd.Timestamp("2023-01-01") + pd.Timedelta(days=int(rng.integers(0, 20)))
        while day <= stop:
            rows.append((f"C{i}", day, float(rng.gamma(3, 20))))
            day += pd.Timedelta(days=int(rng.integers(gap // 2, gap * 3 // 2 + 1)))
    return pd.DataFrame(rows, columns=["customer_id", "timestamp", "amount"])


def _segment_text(lapsed: bool, with_overdue: bool = True):
    tx = _transactions(np.random.default_rng(4), lapsed)
    end = pd.Timestamp("2023-12-31")
    segments = seg.rfm_segments(seg.rfm_scores(seg.rfm_table(tx, observation_end=end)))
    cols = ("days_since_last", "purchases", "avg_purchase")
    if with_overdue:
        segments = segments.join(seg.overdue(seg.rfm_summary(tx, observation_end=end)))
        cols += ("overdue",)
    summary = seg.segment_summary(segments, columns=cols)
    return summary, fseg.segment_value_finding(summary).text


def test_segment_value_finding_names_win_back_segments_when_present():
    summary, text = _segment_text(lapsed=True)
    risk = summary[summary["segment"].isin(fseg.WIN_BACK_SEGMENTS) & (summary["n"] > 0)]
    assert len(risk) > 0
    assert "the first target for win-back" in text
    assert f"are {risk['share'].sum():.0%} of customers" in text


def test_segment_value_finding_win_back_only_with_evidence_that_they_left():
    # everybody keeps buying at their own rhythm: "at risk" is only a relative label
    summary, text = _segment_text(lapsed=False)
    risk = summary[summary["segment"].isin(fseg.WIN_BACK_SEGMENTS) & (summary["n"] > 0)]
    assert len(risk) > 0, "the relative RFM map still fills the win-back segments"
    late = (risk["n"] * risk["mean_overdue"]).sum() / risk["n"].sum()
    assert late < 0.5
    assert "no evidence here that they have left" in text and "first target" not in text
    # the planted lapsed customers are overdue, so the win-back advice is given
    summary, text = _segment_text(lapsed=True)
    risk = summary[summary["segment"].isin(fseg.WIN_BACK_SEGMENTS) & (summary["n"] > 0)]
    late = (risk["n"] * risk["mean_overdue"]).sum() / risk["n"].sum()
    assert late >= 0.5 and f"{late:.0%} of them have been away" in text and "first target" in text
    # without the overdue measure the finding falls back to the label (old behaviour)
    assert "first target" in _segment_text(lapsed=False, with_overdue=False)[1]


def test_segment_value_finding_top_two_match_the_table():
    summary, text = _segment_text(lapsed=False)
    top = summary.nlargest(2, "revenue_share")
    title = fseg.segment_value_finding(summary).title
    assert title.endswith(f"bring {top['revenue_share'].sum():.0%} of revenue")
    assert f"*{top.iloc[0]['segment']}* and *{top.iloc[1]['segment']}*" in text
    assert f"bring {top['revenue_share'].sum():.0%} of revenue" in text


def test_segment_value_finding_says_when_nobody_is_in_win_back():
    t = pd.DataFrame({"segment": ["champions", "loyal", "at risk"], "n": [10, 20, 0], "share": [1 / 3, 2 / 3, 0],
                      "revenue": [100.0, 50.0, 0.0], "revenue_share": [2 / 3, 1 / 3, 0.0]})
    text = fseg.segment_value_finding(t).text
    assert "No customer is in the win-back segments" in text
    assert "first target" not in text


def test_segment_value_finding_one_segment_and_no_revenue():
    one = pd.DataFrame({"segment": ["lost"], "n": [5], "share": [1.0], "revenue": [10.0], "revenue_share": [1.0]})
    assert "one RFM segment" in fseg.segment_value_finding(one).title
    zero = one.assign(revenue=0.0, revenue_share=float("nan"))
    assert "no recorded revenue" in fseg.segment_value_finding(zero).text


def test_rfm_overview_matches_the_summary():
    tx = _transactions(np.random.default_rng(5), lapsed=True)
    s = seg.rfm_summary(tx, observation_end=pd.Timestamp("2023-12-31"))
    text = fseg.rfm_overview_finding(s)
    assert f"Of {len(s):,} customers, {(s['frequency'] == 0).mean():.0%}" in text
    assert f"has {s['frequency'].median():,.0f} repeat purchase" in text


# ------------------------------------------------------------------ migration, playbook, notes

def test_migration_finding_from_a_real_matrix():
    tx = _transactions(np.random.default_rng(6), lapsed=True)
    mid, end = pd.Timestamp("2023-06-30"), pd.Timestamp("2023-12-31")
    before = seg.rfm_segments(seg.rfm_scores(seg.rfm_table(tx, observation_end=mid)))["segment"]
    after = seg.rfm_segments(seg.rfm_scores(seg.rfm_table(tx, observation_end=end)))["segment"]
    m = seg.migration_matrix(before, after)
    text = fseg.migration_finding(m, since=mid, until=end)
    assert text.startswith("**Finding.** Between 30 June 2023 and 31 December 2023")
    moved = m[m["from_segment"].isin(["champions", "loyal"]) & m["to_segment"].isin(fseg.SLIPPED_SEGMENTS)]["n"].sum()
    assert (f"{moved:,} former" in text) if moved else ("no former" in text)


def test_migration_finding_without_champions_says_so():
    m = pd.DataFrame({"from_segment": ["loyal"], "to_segment": ["loyal"], "n": [5], "share": [1.0]})
    text = fseg.migration_finding(m, since=pd.Timestamp("1997-12-31"), until=pd.Timestamp("1998-06-30"))
    assert "nobody was in *champions*" in text and "%" not in text


def test_playbook_finding_lists_segments_by_revenue():
    summary, _ = _segment_text(lapsed=True)
    pb = seg.segment_playbook(summary)
    text = fseg.playbook_finding(pb, top=3)
    first = pb[pb["share"] > 0].sort_values("revenue_share", ascending=False).iloc[0]
    assert text.splitlines()[2].startswith(f"* **{first['segment']}**")
    assert len([line for line in text.splitlines() if line.startswith("* ")]) == 3


def test_data_overview_note_currency_and_columns():
    kw = dict(first=pd.Timestamp("1997-01-01"), last=pd.Timestamp("1998-06-30"))
    text = fseg.data_overview_note(10, 5, **kw, currency="USD", mix_columns=["category"],
                                   client="ACME", period="1998H1")
    assert text.startswith("**Report for ACME, 1998H1.**") and "Amounts in USD." in text
    assert "No channel column" in text
    assert "without a currency" in fseg.data_overview_note(10, 5, **kw)


def test_planted_segments_finding_uses_the_cross_table():
    cross = pd.DataFrame([[95, 5, 0], [10, 50, 40], [0, 2, 98]], index=["champions", "occasional", "lapsed"],
                         columns=[1, 2, 3])
    text = fseg.planted_segments_finding(cross, ari=0.6, rfm_ari=0.3)
    assert "Well separated (at least 70% of their customers in one cluster): *champions* and *lapsed*" in text
    assert "spread over several clusters: *occasional*" in text


def test_playbook_finding_warns_before_win_back_without_overdue_customers():
    pb = pd.DataFrame({"segment": ["loyal", "at risk"], "n": [10, 8], "share": [0.5, 0.4],
                       "revenue_share": [0.6, 0.3], "strategy": ["upsell", "win back"],
                       "actions": ["premium ranges", "personal offer"], "channels": ["email", "phone"]})
    steady = fseg.playbook_finding(pb, overdue=pd.Series({"loyal": 0.0, "at risk": 0.1}))
    assert "Check first: only 10% of them are overdue" in steady
    lapsed = fseg.playbook_finding(pb, overdue=pd.Series({"loyal": 0.0, "at risk": 0.9}))
    assert "Check first" not in lapsed and "win back — personal offer" in lapsed


def test_a_handful_of_bootstrap_replicates_is_reported_as_their_range_not_a_95_percent_range():
    # HOSTILE3 H9: "95 % of 8 bootstrap replicates 0.52–0.90" — the 2.5 % and 97.5 % points of eight
    # values are their extremes, so the finding says the range of the eight.
    import pandas as pd

    from cxlab.findings.segmentation import cluster_finding

    sizes = pd.DataFrame({"segment": [1, 2], "n": [30, 70], "share": [0.3, 0.7], "revenue_share": [0.6, 0.4]})
    k_table = pd.DataFrame({"k": [2, 3], "silhouette": [0.5, 0.4]})
    few = pd.DataFrame({"k": [2], "n_boot": [8], "estimate": [0.71], "se": [0.05], "ci_low": [0.53],
                        "ci_high": [0.89], "min_ari": [0.52], "max_ari": [0.90]})
    text = str(cluster_finding(sizes, k_table, few, k=2))
    assert "its 8 replicates lie between 0.52 and 0.90" in text and "95" not in text
    many = few.assign(n_boot=200)
    assert "95% of replicates between 0.53 and 0.89" in str(cluster_finding(sizes, k_table, many, k=2))


def test_segments_no_more_alike_than_chance_are_said_to_be_no_stable_segments():
    # HOSTILE3 H16: a mean bootstrap ARI of 0.04 still got a "5 behavioural segments" headline.
    import pandas as pd

    from cxlab.findings.segmentation import cluster_finding

    sizes = pd.DataFrame({"segment": [1, 2], "n": [30, 70], "share": [0.3, 0.7], "revenue_share": [0.6, 0.4]})
    k_table = pd.DataFrame({"k": [2, 3], "silhouette": [0.1, 0.09]})
    noise = pd.DataFrame({"k": [2], "n_boot": [200], "estimate": [0.04], "se": [0.01], "ci_low": [-0.02],
                          "ci_high": [0.12], "min_ari": [-0.05], "max_ari": [0.2]})
    finding = cluster_finding(sizes, k_table, noise, k=2)
    assert "no better than chance" in str(finding) and "use the RFM segments above instead" in str(finding)
