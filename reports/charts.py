"""A stored chart drawn as a PNG picture for the report's DOCX file.

matplotlib is imported when a chart is drawn: it is slow to import and only the files need it. The
figure is drawn on its own Agg canvas, never through pyplot, so nothing global (the backend, the open
figures, rcParams) changes. Every text names matplotlib's bundled DejaVu Sans, which has the
Vietnamese letters.
"""

import io
import textwrap

from django.utils.formats import number_format
from django.utils.translation import gettext

from reports.presentation import translated, with_values_only

FONT = "DejaVu Sans"
# Printed about 15 cm wide; at most about 24 cm high, which still fits an A4 page under a heading.
WIDTH_INCHES = 5.9
MAX_HEIGHT_INCHES = 9.4
DPI = 200
# Colour-blind-safe colours (Okabe and Ito).
COLOURS = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")
# Few short categories stand as columns; more, or long names, lie as rows with their names readable.
MAX_COLUMNS = 6
MAX_COLUMN_NAME = 14
# Values are written on the bars while there are few enough of them to stay apart.
MAX_LABELLED_BARS = 24


def chart_png(chart: dict) -> bytes:
    """The chart as a grouped bar chart: title and series labels translated, category names as stored.

    Categories with nothing to show are left out, as on the page; the tables list them all.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties
    from matplotlib.ticker import MaxNLocator

    chart = with_values_only(chart)
    categories = [str(category) for category in chart["categories"]]
    series = chart["series"]
    count = len(categories)
    lies_flat = count > MAX_COLUMNS or any(len(category) > MAX_COLUMN_NAME for category in categories)
    if lies_flat:
        # Each category gets a band as tall as its bars need, the whole held within a page.
        band = max(0.18, 0.1 * len(series) + 0.08)
        height = min(MAX_HEIGHT_INCHES, 1.6 + band * count)
        tick_size = max(4.5, min(9.0, 72 * (height - 1.6) / max(count, 1) * 0.75))
    else:
        height = 3.6
        tick_size = 9.0

    figure = Figure(figsize=(WIDTH_INCHES, height), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    # About 55 bold letters of 11 pt fill the 15 cm width.
    title = textwrap.fill(translated(chart["title"]), width=55)
    figure.suptitle(title, fontfamily=FONT, fontsize=11, fontweight="bold")
    axes.tick_params(labelfontfamily=FONT, labelsize=tick_size)
    axes.spines[["top", "right"]].set_visible(False)

    if not count or not series:
        axes.set_axis_off()
        axes.text(0.5, 0.5, gettext("No data."), ha="center", va="center", fontfamily=FONT, fontsize=10)
        return _png(figure)

    positions = list(range(count))
    thickness = 0.8 / len(series)
    labelled = count * len(series) <= MAX_LABELLED_BARS
    for index, one in enumerate(series):
        offset = (index - (len(series) - 1) / 2) * thickness
        places = [position + offset for position in positions]
        values = [value or 0 for value in one["values"]]
        colour = COLOURS[index % len(COLOURS)]
        label = translated(one["label"])
        if lies_flat:
            bars = axes.barh(places, values, height=thickness, color=colour, label=label)
        else:
            bars = axes.bar(places, values, width=thickness, color=colour, label=label)
        if labelled:
            axes.bar_label(
                bars,
                labels=[_number(value) for value in one["values"]],
                padding=2,
                fontfamily=FONT,
                fontsize=7,
            )

    if lies_flat:
        axes.set_yticks(positions, categories)
        axes.invert_yaxis()
        axes.set_ylim(count - 0.5, -0.5)
        axes.xaxis.grid(True, color="#dddddd", linewidth=0.6)
        axes.margins(x=0.08)
    else:
        axes.set_xticks(positions, categories)
        axes.yaxis.grid(True, color="#dddddd", linewidth=0.6)
        axes.margins(y=0.1)
    axes.set_axisbelow(True)
    value_axis = axes.xaxis if lies_flat else axes.yaxis
    value_axis.set_major_formatter(lambda value, _position: _number(value))
    if all(isinstance(value, int) for one in series for value in one["values"]):
        value_axis.set_major_locator(MaxNLocator(integer=True))
    axes.tick_params(axis="x" if lies_flat else "y", labelsize=8)

    # Under the value axis the legend stays clear of the title and the bars.
    figure.legend(
        loc="outside lower center",
        ncols=min(len(series), 4),
        frameon=False,
        prop=FontProperties(family=FONT, size=9),
    )
    return _png(figure)


def _number(value) -> str:
    """A value written the local way: ``1.234``, ``4,5``; a missing one as nothing."""
    if value is None:
        return ""
    whole = float(value).is_integer()
    return number_format(value, decimal_pos=0 if whole else 1, use_l10n=True, force_grouping=True)


def _png(figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()
