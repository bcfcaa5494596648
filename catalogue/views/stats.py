"""The statistics page: server-drawn SVG charts and the coverage matrix, from editions in force only."""

from django.shortcuts import render
from django.utils.translation import gettext as _

from catalogue import charts
from catalogue.selectors import statistics as figures
from catalogue.evaluation_rules import Grade
from catalogue.public_cache import public_page

# One CSS class per grade, best first: the stacked bars and the legend (static/css/site.css).
GRADE_PARTS = [
    (Grade.EXCELLENT, "bar-excellent"),
    (Grade.GOOD, "bar-good"),
    (Grade.PASS, "bar-pass"),
    (Grade.FAIL, "bar-fail"),
]


def grade_chart(areas):
    """Stacked bars of published evaluation grades per 一级 area, with their numbers in a table (None: no results)."""
    counts = figures.grades_by_area()
    if not counts:
        return None
    empty = dict.fromkeys(Grade, 0)
    rows = [(area, [counts.get(area.code, empty)[grade] for grade, _css in GRADE_PARTS]) for area in areas]
    chart = charts.stacked_bar_chart(
        "chart-grades",
        _("各服务领域的绩效评价等级"),
        _("每一条代表一个服务领域已公开的绩效评价结果，按优秀、良好、合格、不合格分段；条越长，评价越多。"),
        [(area.name, values) for area, values in rows],
        parts=[(css, grade.label) for grade, css in GRADE_PARTS],
        formatter=lambda values: _("%(n)s 项") % {"n": int(sum(values))},
    )
    chart.table_headers = [_("服务领域")] + [grade.label for grade, _css in GRADE_PARTS] + [_("合计")]
    chart.table_rows = [(area.name, values + [sum(values)]) for area, values in rows]
    chart.total = sum(sum(values) for _area, values in rows)
    return chart


def _grouped_wan_yuan(amount):
    """元 → 万元 as the page writes it: 1,234.56 (a bar's own label is written by the chart's formatter)."""
    return f"{charts.wan_yuan(amount):,.2f}"


@public_page
def statistics(request):
    areas = figures.areas()
    regions = figures.regions()
    by_area = figures.totals_by_area()
    by_region = figures.totals_by_region()
    coverage_rows, coverage_totals = figures.coverage(regions, areas)

    empty = {"items": 0, "pilots": 0, "budget_total": None, "budgeted": 0}
    area_rows = [(area, by_area.get(area.pk, empty)) for area in areas]
    region_rows = [(region, by_region.get(region.pk, empty)) for region in regions]
    total_items = sum(row["items"] for _, row in area_rows)
    total_pilots = sum(row["pilots"] for _, row in area_rows)
    budget_rows = [(area, row) for area, row in area_rows if row["budgeted"]]
    total_budget = sum((row["budget_total"] for _, row in budget_rows), 0)

    def pilot_share(values):
        pilots, others = values
        return _("%(pilots)s / %(total)s（%(percent)s%%）") % {
            "pilots": int(pilots),
            "total": int(pilots + others),
            "percent": charts.percent(pilots, pilots + others),
        }

    chart_list = []
    if total_items:
        chart_list = [
            charts.bar_chart(
                "chart-areas",
                _("各服务领域的事项数"),
                _("现行目录中八个服务领域各有多少项事项，按领域顺序排列。"),
                [(area.name, row["items"]) for area, row in area_rows],
                formatter=lambda value: _("%(n)s 项") % {"n": int(value)},
            ),
            charts.bar_chart(
                "chart-regions",
                _("各地区的事项数"),
                _("各地区现行目录（各地区最新发布的版次）中的事项数，市本级在前。"),
                [(region.name, row["items"]) for region, row in region_rows],
                formatter=lambda value: _("%(n)s 项") % {"n": int(value)},
            ),
            charts.stacked_bar_chart(
                "chart-pilots",
                _("试点事项占比"),
                _("每一条代表一个地区现行目录的全部事项，红色部分为试点事项所占比例；最后一行为全部地区合计。"),
                [(region.name, [row["pilots"], row["items"] - row["pilots"]]) for region, row in region_rows]
                + [(_("合计"), [total_pilots, total_items - total_pilots])],
                parts=[("bar-pilot", _("试点事项")), ("bar-rest", _("其他事项"))],
                formatter=pilot_share,
                normalize=True,
            ),
        ]
        if budget_rows:
            chart_list.append(
                charts.bar_chart(
                    "chart-budget",
                    _("各服务领域的预算（万元）"),
                    _("只统计填写了预算的事项；未填写预算的事项不计入。"),
                    [(area.name, charts.wan_yuan(row["budget_total"])) for area, row in budget_rows],
                    formatter=lambda value: _("%(n)s 万元") % {"n": f"{value:,.2f}"},
                )
            )
    # The fallback tables carry the exact numbers the bars stand for.
    tables = {
        "chart-areas": [(area.name, [row["items"], row["pilots"]]) for area, row in area_rows],
        "chart-regions": [(region.name, [row["items"], row["pilots"]]) for region, row in region_rows],
        "chart-pilots": [
            (region.name, [row["pilots"], row["items"] - row["pilots"], f"{charts.percent(row['pilots'], row['items'])}%"])
            for region, row in region_rows
        ]
        + [(_("合计"), [total_pilots, total_items - total_pilots, f"{charts.percent(total_pilots, total_items)}%"])],
        "chart-budget": [
            (area.name, [_grouped_wan_yuan(row["budget_total"]), row["budgeted"], row["items"]]) for area, row in budget_rows
        ],
    }
    headers = {
        "chart-areas": [_("服务领域"), _("事项数"), _("其中试点")],
        "chart-regions": [_("地区"), _("事项数"), _("其中试点")],
        "chart-pilots": [_("地区"), _("试点事项"), _("其他事项"), _("试点占比")],
        "chart-budget": [_("服务领域"), _("预算（万元）"), _("有预算的事项"), _("事项总数")],
    }
    for chart in chart_list:
        chart.table_headers = headers[chart.chart_id]
        chart.table_rows = tables[chart.chart_id]

    return render(
        request,
        "catalogue/statistics.html",
        {
            "charts": chart_list,
            "areas": areas,
            "coverage_rows": coverage_rows,
            "coverage_totals": coverage_totals,
            "coverage_columns": len(areas) + 1,
            "total_items": total_items,
            "total_pilots": total_pilots,
            "total_budget": _grouped_wan_yuan(total_budget),
            "pilot_percent": charts.percent(total_pilots, total_items),
            "edition_count": sum(1 for row in coverage_rows if row.edition),
            "grade_chart": grade_chart(areas),
        },
    )
