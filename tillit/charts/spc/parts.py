"""The parts a chart is made of, each a small frozen record (the template and the tests read them)."""

from __future__ import annotations

from typing import NamedTuple

from tillit.charts.spc.geometry import Tick

__all__ = ["Annotation", "Boundary", "LegendItem", "Line", "Marker", "Row", "Tick"]


class Marker(NamedTuple):
    css: str
    d: str
    point_class: str  # common, improvement, concern, special, excluded
    index: int  # the period's position


class Line(NamedTuple):
    css: str
    points: str
    kind: str  # centre, lower or upper
    phase: int


class Boundary(NamedTuple):
    y: float
    value: float
    label: str
    side: str  # low or high


class Annotation(NamedTuple):
    number: int
    x: float | None  # None when the period is not on the chart
    period_label: str
    text: str


class LegendItem(NamedTuple):
    kind: str  # point or line
    css: str
    d: str  # the icon's path (points) or empty (lines)
    label: str


class Row(NamedTuple):
    period: str
    numbers: tuple[str, ...]  # value, centre[, lower, upper]
    label: str  # the point class
    note: str
