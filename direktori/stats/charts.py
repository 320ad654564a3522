"""The dashboard's pictures as plain data for its templates (server-rendered inline SVG, no
script): the monthly bar chart and the choropleth map with its legend. They draw the lines of
`dashboard.Figures` and nothing else, so the tables beside them hold the same numbers."""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from . import maps
from .dashboard import Dashboard, Line
from .places import Tree

#: ColorBrewer "Blues" (colour-blind safe, in order of the value), and the fill of zero.
CLASS_FILLS = ("#c6dbef", "#6baed6", "#2171b5", "#08306b")
ZERO_FILL = "#f7fbff"
NO_DATA_FILL = "#e4e4e7"
CONTEXT_FILL = "#ffffff"
HATCH = "url(#stats-hatch)"

CHART_WIDTH = 480
CHART_HEIGHT = 260
CHART_LEFT = 56  # room for the axis' numbers
CHART_BOTTOM = 28  # room for the months
CHART_TOP = 12


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str  # the period, under the bar
    title: str  # the period and its figure, for the tooltip
    hidden: bool


@dataclass(frozen=True)
class Tick:
    y: float
    label: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: list[Bar]
    ticks: list[Tick]
    baseline: float
    left: int
    label_every: int


def _value_text(value: float | int | None) -> str:
    if value is None:
        return _("not disclosed")
    return number_format(value, decimal_pos=1 if isinstance(value, float) else None)


def chart(lines: list[Line]) -> Chart | None:
    """Bars of the monthly figures; a hidden month is a short hatched bar."""
    if not lines:
        return None
    top = max((line.count or 0) for line in lines)
    step = _nice_step(top)
    scale_top = max(step * math.ceil(top / step), step)
    plot_height = CHART_HEIGHT - CHART_BOTTOM - CHART_TOP
    baseline = CHART_TOP + plot_height
    slot = (CHART_WIDTH - CHART_LEFT) / len(lines)
    bars = []
    for index, line in enumerate(lines):
        hidden = line.count is None
        height = plot_height * 0.06 if hidden else plot_height * (line.count or 0) / scale_top
        bars.append(
            Bar(
                x=round(CHART_LEFT + index * slot + slot * 0.15, 1),
                y=round(baseline - height, 1),
                width=round(slot * 0.7, 1),
                height=round(height, 1),
                label=line.name,
                title=f"{line.name}: {_value_text(line.count)}",
                hidden=hidden,
            )
        )
    ticks = [
        Tick(y=round(baseline - plot_height * value / scale_top, 1), label=_value_text(value))
        for value in range(0, scale_top + 1, step)
    ]
    label_every = max(1, math.ceil(len(lines) / 6))
    return Chart(CHART_WIDTH, CHART_HEIGHT, bars, ticks, baseline, CHART_LEFT, label_every)


def _nice_step(top: int) -> int:
    """A round step for about four gridlines up to `top`."""
    if top <= 4:
        return 1
    rough = top / 4
    magnitude = 10 ** math.floor(math.log10(rough))
    for factor in (1, 2, 5, 10):
        if rough <= factor * magnitude:
            return int(factor * magnitude)
    return int(10 * magnitude)


@dataclass(frozen=True)
class Area:
    code: str
    path: str
    fill: str
    title: str  # the name and its figure
    link: bool
    current: bool


@dataclass(frozen=True)
class LegendEntry:
    fill: str
    label: str


@dataclass(frozen=True)
class Map:
    view_box: str
    areas: list[Area]
    legend: list[LegendEntry]


def choropleth(dashboard: Dashboard, tree: Tree) -> Map:
    """The areas of the current level shaded by count or rate; for a district, its state's
    districts as context, only the district itself shaded."""
    choice = dashboard.choice
    by_rate = choice.measure == "rate"
    if dashboard.child_level:
        lines = {line.code: line for line in dashboard.official.by_area if line.code}
    else:
        lines = {choice.area.code: dashboard.official.total}
    values = {
        code: (line.rate if by_rate else line.count)
        for code, line in lines.items()
        if not line.suppressed
    }
    breaks = _breaks([v for v in values.values() if v])
    outline = maps.outline(choice.area.code, choice.area.parent)
    areas = []
    for shape in outline.shapes:
        place = tree.by_code.get(shape.code)
        name = place.label if place else shape.code
        line = lines.get(shape.code)
        if not dashboard.child_level and shape.code != choice.area.code:
            fill, text = CONTEXT_FILL, _("the district's own page")  # context, not figures
        elif line is None:
            fill, text = NO_DATA_FILL, _("no figures")
        elif line.suppressed:
            fill, text = HATCH, _("not disclosed")
        else:
            value = values[shape.code]
            fill = _fill(value, breaks)
            text = _value_text(value) if value is not None else _("no population figure")
        areas.append(
            Area(
                code=shape.code,
                path=shape.path,
                fill=fill,
                title=f"{name}: {text}",
                link=place is not None and shape.code != choice.area.code,
                current=shape.code == choice.area.code,
            )
        )
    return Map(outline.view_box, areas, _legend(breaks, by_rate))


def _breaks(values: list[float | int]) -> list[tuple[float, float]]:
    """Up to four classes of the non-zero values shown, by quartile; (low, high) each."""
    found = sorted(set(values))
    if not found:
        return []
    if len(found) <= len(CLASS_FILLS):
        return [(value, value) for value in found]
    classes = []
    low_index = 0
    for number in range(1, len(CLASS_FILLS) + 1):
        high_index = max(low_index, math.ceil(len(found) * number / len(CLASS_FILLS)) - 1)
        classes.append((found[low_index], found[high_index]))
        low_index = high_index + 1
        if low_index >= len(found):
            break
    return classes


def _fill(value: float | int | None, breaks: list[tuple[float, float]]) -> str:
    if value is None:
        return NO_DATA_FILL
    if value == 0:
        return ZERO_FILL
    for index, (_low, high) in enumerate(breaks):
        if value <= high:
            return CLASS_FILLS[index]
    return CLASS_FILLS[len(breaks) - 1]


def _legend(breaks: list[tuple[float, float]], by_rate: bool) -> list[LegendEntry]:
    entries = [LegendEntry(ZERO_FILL, "0")]
    for index, (low, high) in enumerate(breaks):
        label = _value_text(low) if low == high else f"{_value_text(low)} – {_value_text(high)}"
        entries.append(LegendEntry(CLASS_FILLS[index], label))
    entries.append(LegendEntry(HATCH, _("not disclosed")))
    entries.append(LegendEntry(NO_DATA_FILL, _("no figures")))
    return entries
