"""Linking, behaviour windows, representativeness and reweighting; recovery of the demo's planted say-do gap."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from cxlab import nps
from cxlab import survey_vs_behaviour as svb
from cxlab.errors import CXLabError
from cxlab.stats import kish_effective_n


@pytest.fixture(scope="module")
def linked(demo):
    link = svb.link_survey(demo.survey_responses, transactions=demo.transactions, customers=demo.customers)
    sd = svb.say_do_table(demo.survey_responses, link, demo.transactions, customers=demo.customers,
                          observation_end=demo.observation_end)
    return link, sd


@pytest.fixture(scope="module")
def profile(demo):
    return svb.customer_profile(demo.transactions, customers=demo.customers, observation_end=demo.observation_end)


# ----------------------------------------------------------------------------- linking
def test_link_accounts_for_every_response(demo, linked):
    link, _ = linked
    assert link.coverage["n"].sum() == link.n_responses == len(demo.survey_responses)
    keys = link.coverage.set_index("detail")["n"]
    # the demo plants ~12 % of responses without an id but with an e-mail or phone
    assert keys["email"] + keys["phone"] > 0.8 * (demo.survey_responses["customer_id"].isna().sum())
    assert keys["customer_id"] == demo.survey_responses["customer_id"].notna().sum()


def test_link_by_contact_finds_the_true_customer(demo, linked):
    link, _ = linked
    truth = demo.truth.survey.set_index("response_id")["customer_id"]
    t = link.table.set_index("response_id")
    by_contact = t[t["linked_by"].isin(["email", "phone"])]
    assert len(by_contact) > 300
    assert (by_contact["customer_id"] == truth.reindex(by_contact.index)).all()


def test_ambiguous_contact_is_not_linked():
    customers = pd.DataFrame({"customer_id": ["1", "2"], "email": ["Same@Mail.ru", "same@mail.ru "]})
    survey = pd.DataFrame({"response_id": ["r"], "customer_id": [None], "email": ["SAME@mail.ru"],
                           "submitted_at": pd.to_datetime(["2025-01-01"])})
    with pytest.raises(CXLabError, match="shared by several customers"):
        svb.link_survey(survey, customers=customers)


def test_no_linkable_customer_gives_a_clear_error():
    survey = pd.DataFrame({"response_id": ["r1", "r2"], "customer_id": ["x9", None],
                           "submitted_at": pd.to_datetime(["2025-01-01", "2025-01-02"])})
    tx = pd.DataFrame({"customer_id": ["c1"], "timestamp": pd.to_datetime(["2025-01-01"]), "amount": [1.0]})
    with pytest.raises(CXLabError) as err:
        svb.link_survey(survey, transactions=tx)
    msg = str(err.value)
    assert "none of the 2 survey responses could be linked" in msg and "What to do" in msg
    assert "customer id not found" in msg


def test_link_needs_a_customer_table():
    with pytest.raises(CXLabError, match="customers or the transactions"):
        svb.link_survey(pd.DataFrame({"response_id": ["r"], "submitted_at": ["2025-01-01"]}))


def test_contacts_without_customers_table_are_reported():
    survey = pd.DataFrame({"response_id": ["r1", "r2"], "customer_id": ["c1", None], "phone": [None, "89123456789"],
                           "submitted_at": pd.to_datetime(["2025-01-01"] * 2)})
    tx = pd.DataFrame({"customer_id": ["c1"], "timestamp": pd.to_datetime(["2025-01-01"]), "amount": [1.0]})
    link = svb.link_survey(survey, transactions=tx)
    assert link.n_linked == 1
    assert "no customers table" in link.table.loc[1, "reason"]


# ----------------------------------------------------------------------------- behaviour
def test_behaviour_reproduces_the_demo_definition(demo, linked):
    """data/README.md: actual frequency and tier in the 365 days before each response (annualised)."""
    _, sd = linked
    truth = demo.truth.survey.set_index("response_id")
    m = sd.merge(truth.reset_index(), on="response_id", suffixes=("", "_truth"))
    m = m[m["customer_id"].notna()]
    assert_allclose(m["purchases_per_year"], m["actual_purchases_per_year"], rtol=1e-9)
    assert (m["actual_frequency"].astype(str) == m["actual_frequency_truth"]).all()
    bought = m["purchases_before"] > 0  # without a purchase the tier is unknown (missing), not "budget"
    assert (m.loc[bought, "actual_price_tier"].astype(str) == m.loc[bought, "actual_price_tier_truth"]).all()
    assert m.loc[~bought, "actual_price_tier"].isna().all()


def test_after_window_is_missing_when_not_observable():
    link = pd.DataFrame({"response_id": ["a", "b", "c"], "customer_id": ["1", "1", None],
                         "submitted_at": pd.to_datetime(["2025-01-01", "2025-12-01", "2025-01-01"])})
    tx = pd.DataFrame({"customer_id": ["1", "1", "1"], "amount": [5.0, 7.0, 9.0],
                       "timestamp": pd.to_datetime(["2024-12-01", "2025-02-01", "2025-12-20"])})
    b = svb.behaviour_around(link, tx, before_days=60, after_days=60, observation_end="2025-12-31")
    assert b.loc[0, "bought_after"] == 1 and b.loc[0, "revenue_after"] == 7.0
    assert np.isnan(b.loc[1, "bought_after"])  # 1 Dec + 60 days is after the data end
    assert np.isnan(b.loc[2, "purchases_before"])  # unlinked: no behaviour at all, not "less than quarterly"
    assert pd.isna(b.loc[2, "actual_frequency"]) and np.isnan(b.loc[2, "purchases_per_year"])
    assert b.loc[0, "purchases_before"] == 1 and b.loc[0, "revenue_before"] == 5.0


def test_frequency_band_edges():
    assert list(svb.frequency_band([2.99, 3, 9.99, 10, 35.9, 36])) == [
        "less_than_quarterly", "quarterly", "quarterly", "monthly", "monthly", "weekly"]


# ----------------------------------------------------------------------------- planted gap recovered
@pytest.mark.parametrize("pair,truth_col", [(("stated_price_tier", "actual_price_tier"), "overclaims_tier"),
                                            (("stated_frequency", "actual_frequency"), "overclaims_frequency")])
def test_demo_overclaim_rate_within_interval_of_planted_truth(demo, linked, pair, truth_col):
    _, sd = linked
    res = svb.agreement(sd, *pair)
    row = res.claims.iloc[0]
    planted = demo.truth.survey[truth_col].mean()  # the share planted in the generator (data/README.md)
    assert row.over_low <= planted <= row.over_high, (row.over_low, planted, row.over_high)
    assert row.over > row.under_high  # the direction is over-claiming
    assert res.n_pairs > 3500


def test_demo_overclaim_by_segment_is_highest_where_planted(demo, linked):
    """The planted over-claim probability rises from champions (5 %) to lapsed (40 %)."""
    _, sd = linked
    seg = demo.truth.survey.set_index("response_id")["segment"]
    res = svb.agreement(sd.assign(true_segment=sd["response_id"].map(seg)), "stated_frequency", "actual_frequency",
                        by="true_segment")
    c = res.claims.set_index("group")["over"]
    assert c["true_segment: champions"] < c["true_segment: loyal"] < c["true_segment: lapsed"]


# ----------------------------------------------------------------------------- representativeness
def test_balance_table_smd_formula():
    prof = pd.DataFrame({"x": [1.0, 2, 3, 4, 5, 6, 7, 8], "g": list("aabbabab")}, index=list("abcdefgh"))
    bt = svb.balance_table(prof, ["a", "b", "c", "c"]).set_index("variable")
    r = np.array([1.0, 2, 3, 3])
    b = prof["x"].to_numpy()
    ref = (r.mean() - b.mean()) / np.sqrt((r.var(ddof=1) + b.var(ddof=1)) / 2)  # Austin (2009), eq. 1
    assert_allclose(bt.loc["x", "smd"], ref)
    assert bt.loc["g: a", "mean_respondents"] == pytest.approx(2 / 4)
    assert bt["n_respondents"].iloc[0] == 4


def test_rake_matches_every_margin_and_poststratify_matches_one(profile, linked):
    _, sd = linked
    w = svb.respondent_weights(sd, profile, by=["segment", "region"], method="rake")
    placed = w > 0
    assert placed.sum() == sd["customer_id"].notna().sum()
    assert_allclose(w[placed].mean(), 1.0)
    for var in ("segment", "region"):
        cat = sd["customer_id"].map(profile[var])
        got = w.groupby(cat).sum() / w.sum()
        want = profile[var].value_counts(normalize=True)
        assert_allclose(got.sort_index(), want.reindex(got.index).sort_index(), atol=1e-6)
    ps = svb.respondent_weights(sd, profile, by="segment", method="poststratify")
    rk = svb.respondent_weights(sd, profile, by="segment", method="rake")
    assert_allclose(ps, rk, atol=1e-6)  # raking on one variable is post-stratification


def test_weighting_summary_is_kish():
    w = np.array([0.5, 1.0, 1.5, 2.0, 0.0])
    s = svb.weighting_summary(w).iloc[0]
    pos = w[w > 0]
    assert s.effective_n == pytest.approx(kish_effective_n(pos))
    assert s.design_effect == pytest.approx(len(pos) * (pos**2).sum() / pos.sum() ** 2)
    assert s.n_zero == 1


def test_raked_nps_moves_toward_the_base(demo, linked, profile):
    """The base's NPS: respondents' NPS within each TRUE segment, weighted by that segment's share of all
    customers (the demo's answers do not depend on anything else the survey over-samples)."""
    _, sd = linked
    seg = sd["response_id"].map(demo.truth.survey.set_index("response_id")["segment"])
    by_seg = nps.nps_table(sd.assign(true_segment=seg), by="true_segment", progress=False).set_index("true_segment")
    base_share = demo.truth.customers["segment"].value_counts(normalize=True)
    base_nps = float((by_seg["estimate"] * base_share.reindex(by_seg.index)).sum())
    weighted = sd.assign(weight=svb.respondent_weights(sd, profile, by=["segment", "region"]))
    weighted = weighted[weighted["weight"] > 0]
    raw = nps.nps_table(weighted, progress=False)["estimate"].iloc[0]
    raked = nps.nps_table(weighted, weight="weight", progress=False)["estimate"].iloc[0]
    assert abs(raked - base_nps) < abs(raw - base_nps)


def test_unplaceable_responses_are_refused():
    base = pd.DataFrame({"seg": ["a", "b"]})
    with pytest.raises(CXLabError, match="no response can be placed"):
        svb.poststratify(pd.DataFrame({"seg": [None, "z"]}), base, by="seg")


# ----------------------------------------------------------------------------- explorer cube
def test_cube_equals_agreement_on_a_segment(demo, linked, profile):
    link, sd = linked
    cube = svb.say_do_cube(demo.survey_responses, link, demo.transactions, windows=(180, 365),
                           segment=profile["segment"], customers=demo.customers, observation_end=demo.observation_end)
    seg = cube.segments[3]
    conf, stats, claims = svb.cube_agreement(cube, "purchase frequency", window=365, segment=seg)
    sub = sd[sd["customer_id"].map(profile["segment"]) == seg]
    ref = svb.agreement(sub, "stated_frequency", "actual_frequency", min_base=1)
    assert (conf.to_numpy() == ref.confusion.to_numpy()).all()
    assert_allclose(stats.set_index("statistic")["estimate"].dropna(),
                    ref.statistics.set_index("statistic")["estimate"].dropna())
    assert claims.iloc[0]["over"] == pytest.approx(ref.claims.iloc[0]["over"])
    # a shorter window is a different measurement of the same answers
    conf180, _, _ = svb.cube_agreement(cube, "purchase frequency", window=180, segment=seg)
    assert conf180.to_numpy().sum() > 0 and not (conf180.to_numpy() == conf.to_numpy()).all()
