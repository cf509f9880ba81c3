"""Dashboard charts: no clipped label, one sort order, one number format."""

from __future__ import annotations

import re

from reports.charts import bar_chart, format_value, text_width


def _labels(svg: str) -> list[tuple[int, str, str]]:
    """Return (x, shown text, full text from <title>) of every label, top to bottom."""
    out = []
    for x, inner in re.findall(
        r'<text x="(\d+)" y="\d+" text-anchor="end" class="chart-label">(.*?)</text>', svg
    ):
        tip = re.search(r"<title>(.*?)</title>", inner)
        shown = re.sub(r"<title>.*?</title>", "", inner)
        out.append((int(x), shown, tip.group(1) if tip else shown))
    return out


def test_a_long_label_is_shown_whole_inside_the_chart():
    svg = bar_chart(
        [("邻里", 12, None), ("农村土地承包经营权纠纷", 8, "/disputes/cases/?type=land")],
        title="矛盾纠纷按类型",
        unit="起",
    )
    (x1, shown1, _), (x2, shown2, _) = _labels(svg)
    assert shown2 == "农村土地承包经营权纠纷"
    # the label ends at x and is drawn leftwards: all of it lies right of the chart's edge
    assert x2 - text_width("农村土地承包经营权纠纷") >= 0
    assert x1 == x2


def test_a_label_too_long_for_any_chart_is_cut_with_an_ellipsis_and_keeps_its_title():
    name = "庙坝镇人民政府关于进一步加强农村宅基地审批管理工作的实施意见"
    svg = bar_chart([(name, 3, None)], title="文件", unit="件")
    ((x, shown, full),) = _labels(svg)
    assert shown.endswith("…") and name.startswith(shown[:-1])
    assert full == name
    assert x - text_width(shown) >= 0


def test_categories_are_largest_first_and_equal_ones_in_pinyin_order():
    svg = bar_chart(
        [
            ("邻里", 3, None),
            ("其他", 9, None),
            ("婚姻家庭", 5, None),
            ("合同", 5, None),
            ("宅基地", 7, None),
        ],
        title="按类型",
        unit="起",
    )
    assert [shown for _, shown, _ in _labels(svg)] == ["宅基地", "合同", "婚姻家庭", "邻里", "其他"]


def test_months_and_years_keep_calendar_order():
    months = [(f"{m}月", v, None) for m, v in [(1, 5), (2, 9), (3, 1)]]
    assert [s for _, s, _ in _labels(bar_chart(months, title="趋势", unit="件"))] == [
        "1月",
        "2月",
        "3月",
    ]
    years = [("2016年", 1, None), ("2017年", 30, None), ("2018年", 2, None)]
    assert [s for _, s, _ in _labels(bar_chart(years, title="逐年", unit="件"))] == [
        "2016年", "2017年", "2018年"
    ]  # fmt: skip


def test_rates_have_one_decimal_and_counts_none():
    assert format_value(98.66, "%") == "98.7%"
    assert format_value(100, "%") == "100.0%"
    assert format_value(None, "%") == "—"
    assert format_value(1234, "人次") == "1,234人次"
    svg = bar_chart([("石兴村", 87.5, None), ("罗江村", 100.0, None)], title="调解成功率", unit="%")
    assert ">100.0%</text>" in svg and ">87.5%</text>" in svg
