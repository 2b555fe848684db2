"""Complementary (secondary) suppression: no hidden group can be recovered by subtraction.

Reference for the rule: Hundepool et al., *Statistical Disclosure Control* (Wiley 2012),
ch. 4-5 (primary and secondary suppression); ONS (2014) disclosure control guidance for
survey tables ("secondary suppression ... to prevent the primary suppressed cells being
recovered by differencing"). The attack tested is the one of hostile finding H17: total
times its base, minus every shown group times its base, divided by what is left.
"""

from __future__ import annotations

import io
import itertools

import numpy as np
import pandas as pd
import pytest

from cxlab import nps
from cxlab.channels import channel_metrics
from cxlab.errors import CXLabError
from cxlab.findings import style_table
from cxlab.privacy import complementary_suppression, protect_groups, suppression_note

MIN_BASE = 40


def _answers(department: str, promoters: int, passives: int, detractors: int) -> pd.DataFrame:
    scores = [10] * promoters + [8] * passives + [3] * detractors
    return pd.DataFrame({"department": department, "likelihood_to_recommend": scores})


@pytest.fixture(scope="module")
def employees() -> pd.DataFrame:
    """The H17 file: Продажи 60 (eNPS −50), Склад 45 (−51.1), IT 8 (0), Бухгалтерия 3 (0); overall −45.7, n 116."""
    return pd.concat([_answers("Продажи", 3, 24, 33), _answers("Склад", 2, 18, 25), _answers("IT", 3, 2, 3),
                      _answers("Бухгалтерия", 1, 1, 1)], ignore_index=True)


def _true_enps(data: pd.DataFrame) -> dict[str, float]:
    s = data["likelihood_to_recommend"]
    cls = np.where(s >= 9, 100.0, np.where(s <= 6, -100.0, 0.0))
    return pd.Series(cls).groupby(data["department"].to_numpy()).mean().to_dict()


def _rendered(table: pd.DataFrame, overall: pd.Series) -> tuple[pd.DataFrame, tuple[int, float]]:
    """What a reader sees: the notebook's styled table parsed back from its HTML, and the overall line."""
    html = style_table(table, columns=["department", "n", "estimate", "ci_low", "ci_high", "low_base", "suppressed"],
                       labels={"estimate": "eNPS"}).to_html()
    seen = pd.read_html(io.StringIO(html), flavor="lxml")[0]
    seen = seen.loc[:, [c for c in seen.columns if not str(c).startswith("Unnamed")]]
    seen.columns = ["department", "n", "enps", "ci_low", "ci_high", "low_base", "suppressed"]
    seen["n"] = pd.to_numeric(seen["n"].astype(str).str.replace(",", ""), errors="coerce")
    seen["enps"] = pd.to_numeric(seen["enps"].astype(str).str.replace("−", "-").str.replace("+", ""),
                                 errors="coerce")
    return seen, (int(overall["n"]), float(overall["estimate"]))


def _recoverable(seen: pd.DataFrame, total: tuple[int, float], truth: dict[str, float], min_base: int) -> list[str]:
    """Brute force: total minus every subset of the shown groups; report what reveals a small hidden set."""
    big_n, big_e = total
    shown = seen[seen["enps"].notna()]
    hidden = seen[seen["enps"].isna()]
    leaks = []
    for k in range(len(shown) + 1):
        for subset in itertools.combinations(shown.index, k):
            rest_n = big_n - shown.loc[list(subset), "n"].sum()
            if rest_n <= 0:
                continue
            rest_e = (big_n * big_e - (shown.loc[list(subset), "n"] * shown.loc[list(subset), "enps"]).sum()) / rest_n
            rest = set(hidden["department"]) | (set(shown["department"]) - set(seen.loc[list(subset), "department"]))
            answered = [d for d in rest if seen.set_index("department").loc[d, "n"] > 0]
            if set(hidden["department"]) & set(rest) and (rest_n < min_base or len(answered) < 2):
                leaks.append(f"{sorted(rest)} (n = {rest_n}) = {rest_e:.1f}")
            for d in hidden["department"]:  # the number itself must not be any hidden group's eNPS
                if len(answered) > 1 and abs(rest_e - truth[d]) < 0.5 and rest_n < min_base:
                    leaks.append(f"{d} = {rest_e:.1f}")
    return leaks


def test_h17_no_hidden_department_can_be_recovered(employees):
    truth = _true_enps(employees)
    overall = nps.nps_table(employees, min_base=MIN_BASE, low_base=MIN_BASE, progress=False).iloc[0]
    assert overall["n"] == 116 and overall["estimate"] == pytest.approx(-45.69, abs=0.01)  # the figures of H17
    table = nps.nps_table(employees, by="department", min_base=MIN_BASE, low_base=MIN_BASE, progress=False)
    seen, total = _rendered(table, overall)
    assert _recoverable(seen, total, truth, MIN_BASE) == []
    hidden = dict(zip(table["department"], table["suppressed"], strict=True))
    assert hidden == {"IT": True, "Бухгалтерия": True, "Продажи": False, "Склад": True}
    assert table.set_index("department").loc["Склад", "complementary"]
    # the class counts of a hidden group would give its eNPS exactly: blanked too
    assert table.loc[table["suppressed"], ["detractors", "passives", "promoters"]].isna().all().all()
    assert table.loc[~table["suppressed"], "promoters"].tolist() == [3]
    # the attack works on the table without complementary suppression (so the check above has teeth):
    # (−45.7·116 − (−50·60) − (−51.1·45)) / 11 = 0, the eNPS of the 11 people in IT and accounting
    bare = nps.nps_table(employees, by="department", min_base=MIN_BASE, low_base=MIN_BASE, progress=False,
                         complementary=False)
    leaks = _recoverable(*_rendered(bare, overall), truth, MIN_BASE)
    assert leaks and "['IT', 'Бухгалтерия'] (n = 11)" in leaks[0]


def test_h17_table_note_says_why(employees):
    table = nps.nps_table(employees, by="department", min_base=MIN_BASE, progress=False)
    note = suppression_note(table, group="department", min_base=MIN_BASE)
    assert note == ("Not shown: IT (n = 8), Бухгалтерия (n = 3) (fewer than 40 answers); Склад (n = 45) also hidden "
                    "so that the small groups cannot be derived from the total.")


def test_one_small_group_hides_the_next_smallest():
    s = complementary_suppression([500, 120, 90, 12], min_base=30)
    assert s.primary.tolist() == [False, False, False, True]
    assert s.secondary.tolist() == [False, False, True, False] and not s.hide_total


def test_nothing_suppressed_nothing_added():
    s = complementary_suppression([500, 120, 90], min_base=30)
    assert not s.hidden.any() and not s.hide_total
    t = protect_groups(pd.DataFrame({"g": ["a", "b"], "n": [40, 50], "estimate": [1.0, 2.0]}), min_base=30)
    assert t["estimate"].tolist() == [1.0, 2.0] and not t["complementary"].any()
    assert suppression_note(t, group="g", min_base=30) == ""


def test_two_small_groups_that_together_reach_the_base_need_no_complement():
    # 20 + 15 = 35 >= 30 answers and two groups: the derivable pair is as large as a shown group
    s = complementary_suppression([200, 20, 15], min_base=30)
    assert s.primary.tolist() == [False, True, True] and not s.secondary.any()


def test_all_suppressed_and_the_total_too_small():
    s = complementary_suppression([10, 8, 5], min_base=30)
    assert s.primary.all() and not s.secondary.any() and s.hide_total  # 23 in all: the total must not be shown
    assert not complementary_suppression([25, 20], min_base=30).hide_total  # 45 in all: the total may be shown


def test_empty_groups_do_not_count_as_protection():
    # a group with no answers hides nothing: IT (8) alone would be total minus the shown groups
    s = complementary_suppression([60, 45, 8, 0], min_base=40)
    assert s.secondary.tolist() == [False, True, False, False]


def test_missing_group_value_row_is_not_protected_but_protects():
    df = pd.DataFrame({"likelihood_to_recommend": [10] * 100 + [3] * 80 + [9] * 5,
                       "channel": ["web"] * 100 + ["shop"] * 80 + [None] * 5})
    t = nps.nps_table(df, by="channel", progress=False)
    assert not t["complementary"].any() and t["suppressed"].tolist() == [False, False, True]


def test_within_each_period_of_a_grouped_trend():
    rng = np.random.default_rng(1)
    df = pd.DataFrame({"likelihood_to_recommend": rng.integers(0, 11, 400),
                       "submitted_at": pd.to_datetime(np.where(np.arange(400) < 200, "2025-01-15", "2025-04-15")),
                       "channel": np.r_[["web"] * 100, ["shop"] * 90, ["chat"] * 10, ["web"] * 100, ["shop"] * 100]})
    t = nps.nps_table(df, by="channel", period="Q", progress=False)
    q1 = t[t["period"].astype(str) == "2025Q1"].set_index("channel")
    q2 = t[t["period"].astype(str) == "2025Q2"].set_index("channel")
    assert q1["suppressed"].to_dict() == {"chat": True, "shop": True, "web": False}
    assert not q2["suppressed"].any()
    # a table by period alone is a time series, not a split of a total: no complement by default
    assert not nps.nps_table(df, period="Q", progress=False)["complementary"].any()


def test_ratings_and_channel_shares_are_protected_too():
    df = pd.DataFrame({"csat": [5, 4, 3, 2] * 30 + [5] * 10, "channel": ["web"] * 60 + ["shop"] * 60 + ["chat"] * 10})
    t = nps.rating_table(df, score="csat", by="channel", min_base=30).set_index("channel")
    assert t.loc["chat", "suppressed"] and t["complementary"].sum() == 1 and t["mean"].notna().sum() == 1
    assert t["top_box"].notna().sum() == 1  # top-box counts of hidden groups are blanked as well
    inter = pd.DataFrame({"channel": ["phone"] * 80 + ["chat"] * 50 + ["email"] * 6,
                          "resolved": [True, False] * 68})
    m = channel_metrics(None, inter, metrics=["fcr"], times=False, min_base=30).set_index("channel")
    assert m.loc["email", "suppressed"] and m.loc["chat", "complementary"] and not m.loc["phone", "suppressed"]


def test_bad_bases_are_refused():
    with pytest.raises(CXLabError, match="non-negative"):
        complementary_suppression([10, -1], min_base=5)
    with pytest.raises(CXLabError, match="min_base"):
        complementary_suppression([10, 1], min_base=-1)
