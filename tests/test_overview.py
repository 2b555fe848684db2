"""Overview tables (checked against plain pandas counts on the demo) and their figures."""

from __future__ import annotations

from cxlab import overview
from cxlab.plots.overview import plot_channel_mix, plot_monthly_activity


def test_table_overview_counts(demo):
    t = overview.table_overview(demo.tables()).set_index("table")
    assert t.loc["transactions", "rows"] == len(demo.transactions)
    assert t.loc["survey_responses", "customers"] == demo.survey_responses["customer_id"].nunique()
    assert t.loc["transactions", "first"] == demo.transactions["timestamp"].min()
    assert t.loc["customers", "missing_share"] == demo.customers.isna().to_numpy().mean()


def test_monthly_activity_sums_to_rows(demo):
    act = overview.monthly_activity(demo.tables())
    assert act.groupby("table")["n"].sum().to_dict() == {k: len(v) for k, v in demo.tables().items()}
    assert act["month"].dt.day.eq(1).all()


def test_channel_mix_shares(demo):
    mix = overview.channel_mix(demo.tables())
    assert mix.groupby("table")["share"].sum().round(12).eq(1).all()
    ref = demo.interactions["channel"].astype(str).value_counts(normalize=True)
    got = mix[mix["table"] == "interactions"].set_index("channel")["share"]
    for channel, share in ref.items():
        assert got[channel] == share


def test_plots_draw_one_line_or_bar_group_per_table(demo):
    ax = plot_monthly_activity(overview.monthly_activity(demo.tables()))
    assert len(ax.get_lines()) >= 4 and ax.get_ylabel() == "rows per month"
    ax = plot_channel_mix(overview.channel_mix(demo.tables()))
    assert len(ax.patches) >= 3 + 7 + 7  # bars: three channels in transactions, seven elsewhere
    assert [t.get_text() for t in ax.get_xticklabels()][:3] == ["store", "web", "phone"]
