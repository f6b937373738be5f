"""The Insights charts: revenue and profit per month, and profit per category."""

from PySide6.QtCharts import (
    QAbstractBarSeries,
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QValueAxis,
)
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPainter

from studio.money import from_cents
from studio.seller_tools.insights import Totals


def _dollars(cents: int) -> float:
    # Charts draw floats; the figures themselves stay Decimal everywhere else.
    return float(from_cents(cents) or 0)


def _bar_set(label: str, colour: str, values: list[int]) -> QBarSet:
    bars = QBarSet(label)
    bars.setColor(QColor(colour))
    for cents in values:
        bars.append(_dollars(cents))
    return bars


class BarChart:
    """A bar chart whose data is replaced on each refresh."""

    def __init__(self, title: str, horizontal: bool = False) -> None:
        self.horizontal = horizontal
        self.chart = QChart()
        self.chart.setTitle(title)
        self.chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        self.chart.setMargins(self.chart.margins() * 0)
        self.view = QChartView(self.chart)
        self.view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.view.setMinimumHeight(240)

    def plot(self, names: list[str], sets: list[QBarSet]) -> None:
        self.chart.removeAllSeries()
        for old in self.chart.axes():
            self.chart.removeAxis(old)
        series: QAbstractBarSeries = QHorizontalBarSeries() if self.horizontal else QBarSeries()
        for bars in sets:
            series.append(bars)
        self.chart.addSeries(series)
        categories = QBarCategoryAxis()
        categories.append(names)
        values = QValueAxis()
        values.setLabelFormat("$%.0f")
        left, bottom = Qt.AlignmentFlag.AlignLeft, Qt.AlignmentFlag.AlignBottom
        self.chart.addAxis(categories, left if self.horizontal else bottom)
        self.chart.addAxis(values, bottom if self.horizontal else left)
        series.attachAxis(categories)
        series.attachAxis(values)
        if any(bars.count() for bars in sets):
            values.applyNiceNumbers()
        else:  # nothing sold in the range yet: an empty axis would have no range at all
            values.setRange(0, 100)


class MonthChart(BarChart):
    def __init__(self) -> None:
        super().__init__("Revenue and profit by month")

    def show(self, months: dict[str, Totals]) -> None:
        names = sorted(months)
        revenue = [months[name].revenue_cents for name in names]
        profit = [months[name].profit_cents for name in names]
        self.plot(
            names, [_bar_set("Revenue", "#90caf9", revenue), _bar_set("Profit", "#2e7d32", profit)]
        )


class GroupChart(BarChart):
    def __init__(self, title: str) -> None:
        super().__init__(title, horizontal=True)
        self.chart.legend().hide()

    def show(self, groups: dict[str, Totals]) -> None:
        names = sorted(groups, key=lambda name: groups[name].profit_cents)
        profit = [groups[name].profit_cents for name in names]
        self.plot(names, [_bar_set("Profit", "#6b46c1", profit)])
