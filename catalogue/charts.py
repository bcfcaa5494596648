"""Server-side SVG charts: plain geometry for templates/catalogue/charts/*.html.

The statistics page draws its charts on the server as inline <svg>, so they
read without JavaScript, print, and pass a Content-Security-Policy that
forbids inline script and style. These functions only compute numbers
(positions and lengths in the viewBox's units); the templates turn them into
<rect> and <text> elements with class names that static/css/charts.css
colours. Horizontal bars with the label above each bar, because Chinese
labels (公共管理辅助性事项) are long and a phone is narrow.
"""

from dataclasses import dataclass, field
from decimal import Decimal

# viewBox units; the SVG scales to its container's width (see charts.css).
# Each row is a label line with its bar below it, so a long Chinese label
# (公共管理辅助性事项) never squeezes the bars, and a 375 px phone shows the
# text at about its nominal size.
WIDTH = 340
FONT_SIZE = 13
BAR_HEIGHT = 14
ROW_HEIGHT = 42
TOP = 4


def text_width(text, size=FONT_SIZE):
    """Approximate rendered width: a CJK character (or full-width sign) is one em, ASCII about half."""
    return sum(size if ord(char) > 0x2E80 else size * 0.58 for char in str(text))


@dataclass
class Segment:
    css_class: str
    x: float
    width: float
    value: float


@dataclass
class Bar:
    label: str
    value: float
    display: str
    label_y: float
    y: float
    text_y: float
    x: float
    width: float
    value_x: float
    segments: list = field(default_factory=list)


@dataclass
class BarChart:
    chart_id: str
    title: str
    description: str
    height: float
    bars: list
    legend: list = field(default_factory=list)
    width: int = WIDTH
    font_size: int = FONT_SIZE
    bar_height: int = BAR_HEIGHT
    table_headers: list = field(default_factory=list)
    table_rows: list = field(default_factory=list)

    @property
    def view_box(self):
        return f"0 0 {self.width} {self.height:g}"


def _rows(rows, displays, parts_values, classes=(), normalize=False):
    """Bars for (label, [value per part]) rows, scaled so the longest bar and its value fit the width.

    With classes (one CSS class per part) each bar is drawn as segments; with
    normalize every bar is full length and its parts are shares of it.
    """
    value_space = max((text_width(display) for display in displays), default=0) + 8
    scale_width = max(WIDTH - value_space, WIDTH / 3)
    largest = max((sum(values) for values in parts_values), default=0) or 1
    bars = []
    for index, ((label, _), display, values) in enumerate(zip(rows, displays, parts_values)):
        if normalize:
            largest = sum(values) or 1
        top = TOP + index * ROW_HEIGHT
        y = top + FONT_SIZE + 4
        x = 0.0
        segments = []
        for css_class, value in zip(classes or [None] * len(values), values):
            width = scale_width * value / largest
            if classes:
                segments.append(Segment(css_class, round(x, 1), round(width, 1), value))
            x += width
        bars.append(
            Bar(
                label=label,
                value=sum(values),
                display=display,
                label_y=round(top + FONT_SIZE, 1),
                y=round(y, 1),
                text_y=round(y + BAR_HEIGHT / 2 + FONT_SIZE * 0.36, 1),
                x=0,
                width=round(x, 1),
                value_x=round(x + 5, 1),
                segments=segments,
            )
        )
    height = TOP + ROW_HEIGHT * max(len(rows), 1)
    return bars, height


def bar_chart(chart_id, title, description, rows, formatter=None):
    """One bar per (label, value), scaled to the largest value."""
    formatter = formatter or (lambda value: f"{value:g}")
    values = [[float(value)] for _, value in rows]
    bars, height = _rows(rows, [formatter(value[0]) for value in values], values)
    return BarChart(chart_id, title, description, height, bars)


def stacked_bar_chart(chart_id, title, description, rows, parts, formatter=None, normalize=False):
    """One bar per (label, [value per part]); parts are (css_class, legend label).

    Bars are scaled to the largest total, or with normalize each to 100% (a share chart).
    """
    formatter = formatter or (lambda values: f"{sum(values):g}")
    values = [[float(value) for value in part_values] for _, part_values in rows]
    classes = [css_class for css_class, _ in parts]
    bars, height = _rows(rows, [formatter(value) for value in values], values, classes, normalize)
    chart = BarChart(chart_id, title, description, height, bars)
    chart.legend = list(parts)
    return chart


def wan_yuan(amount):
    """元 → 万元, for budgets (the unit finance bureaus publish)."""
    return (Decimal(amount or 0) / Decimal(10000)).quantize(Decimal("0.01"))


def percent(part, whole):
    return round(100 * part / whole, 1) if whole else 0
