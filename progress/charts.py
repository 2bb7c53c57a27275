"""The report's charts, drawn here as standalone SVG documents (no script, no external
resources): the 看板 per direction as bars, the cumulative progress as lines, the camp's reports
as bars. They are stored with the post as images. Every text that comes from data (direction
and track names, cohort titles) is XML-escaped."""

from dataclasses import dataclass
from datetime import date
from html import escape

# One colour per series, as on the site's progress page: claimed, submitted, completed.
COLOURS = {"claimed": "#9db4d6", "submitted": "#e0a526", "completed": "#2e9d5b"}
CAMP_COLOURS = {"submitted": "#4a7fc1", "reviewed": "#2e9d5b"}
FONT = "'Noto Sans CJK SC','PingFang SC','Microsoft YaHei',sans-serif"
MAX_LABEL = 16  # characters of a direction name before it is shortened


def _text(value) -> str:
    return escape(str(value), quote=True)


def _short(name: str) -> str:
    return name if len(name) <= MAX_LABEL else name[: MAX_LABEL - 1] + "…"


def _document(width: int, height: int, title: str, body: list[str]) -> str:
    return "\n".join(
        [
            '<?xml version="1.0" encoding="UTF-8"?>',
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" role="img" font-family="{_text(FONT)}" '
            'font-size="13">',
            f"<title>{_text(title)}</title>",
            f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
            *body,
            "</svg>",
            "",
        ]
    )


def _legend(x: int, y: int, items: list[tuple[str, str]]) -> list[str]:
    parts = []
    for label, colour in items:
        parts.append(f'<rect x="{x}" y="{y - 10}" width="12" height="12" fill="{colour}"/>')
        parts.append(f'<text x="{x + 17}" y="{y}">{_text(label)}</text>')
        x += 17 + 14 * len(label) + 18
    return parts


@dataclass
class Bar:
    label: str
    total: int
    values: dict  # series key → value


def direction_bars(title: str, bars: list[Bar], labels: dict[str, str]) -> str:
    """The 看板 as horizontal bars: per direction, its task count as a frame and claimed,
    submitted and completed inside it."""
    width, label_w, right = 760, 190, 60
    row_h, top = 46, 56
    height = top + row_h * max(len(bars), 1) + 16
    plot_w = width - label_w - right
    scale = max((bar.total for bar in bars), default=0) or 1
    body = [f'<text x="16" y="24" font-size="16" font-weight="bold">{_text(title)}</text>']
    body += _legend(label_w, 46, [(labels[key], colour) for key, colour in COLOURS.items()])
    for index, bar in enumerate(bars):
        y = top + index * row_h + 6
        body.append(
            f'<text x="{label_w - 10}" y="{y + 20}" text-anchor="end">{_text(_short(bar.label))}'
            "</text>"
        )
        frame = plot_w * bar.total / scale
        body.append(
            f'<rect x="{label_w}" y="{y}" width="{frame:.1f}" height="33" fill="none" '
            'stroke="#b8c0cc"/>'
        )
        for offset, key in enumerate(COLOURS):
            value = bar.values.get(key, 0)
            length = plot_w * value / scale
            body.append(
                f'<rect x="{label_w}" y="{y + 2 + offset * 10}" width="{length:.1f}" height="9" '
                f'fill="{COLOURS[key]}"><title>{_text(labels[key])}: {value}</title></rect>'
            )
        body.append(
            f'<text x="{label_w + frame + 6:.1f}" y="{y + 21}" fill="#555">'
            f"{bar.values.get('submitted', 0)}/{bar.values.get('claimed', 0)}/{bar.total}</text>"
        )
    return _document(width, height, title, body)


@dataclass
class Point:
    day: date
    values: dict  # series key → value


def progress_lines(
    title: str, points: list[Point], labels: dict[str, str], highlight: tuple[date, date]
) -> str:
    """Cumulative claimed / submitted / completed tasks per day; the report's range is shaded."""
    width, height = 760, 300
    left, right, top, bottom = 48, 20, 56, 32
    plot_w, plot_h = width - left - right, height - top - bottom
    body = [f'<text x="16" y="24" font-size="16" font-weight="bold">{_text(title)}</text>']
    body += _legend(left, 46, [(labels[key], colour) for key, colour in COLOURS.items()])
    y_max = max((point.values.get("claimed", 0) for point in points), default=0) or 1
    first = points[0].day if points else highlight[0]
    last = points[-1].day if points else highlight[1]
    span = max((last - first).days, 1)

    def x(day: date) -> float:
        return left + plot_w * (day - first).days / span

    def y(value: int) -> float:
        return top + plot_h - plot_h * value / y_max

    start, end = max(highlight[0], first), min(highlight[1], last)
    if start <= end:
        body.append(
            f'<rect x="{x(start):.1f}" y="{top}" width="{max(x(end) - x(start), 2):.1f}" '
            f'height="{plot_h}" fill="#f3f0e0"/>'
        )
    body.append(
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" '
        'stroke="#888"/>'
    )
    body.append(f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}" stroke="#888"/>')
    for value in sorted({0, y_max // 2, y_max}):
        body.append(f'<text x="{left - 6}" y="{y(value) + 4:.1f}" text-anchor="end">{value}</text>')
    if points:
        for day in sorted({first, last, highlight[0] if first <= highlight[0] <= last else last}):
            body.append(
                f'<text x="{x(day):.1f}" y="{height - 10}" text-anchor="middle">'
                f"{day.month}.{day.day}</text>"
            )
    for key, colour in COLOURS.items():
        coords = " ".join(f"{x(p.day):.1f},{y(p.values.get(key, 0)):.1f}" for p in points)
        if coords:
            body.append(
                f'<polyline points="{coords}" fill="none" stroke="{colour}" stroke-width="2.5"/>'
            )
    return _document(width, height, title, body)


def camp_bars(title: str, bars: list[Bar], labels: dict[str, str]) -> str:
    """Per cohort: reports submitted and reviewed since the start, side by side."""
    width, label_w, right = 760, 220, 60
    row_h, top = 40, 56
    height = top + row_h * max(len(bars), 1) + 16
    plot_w = width - label_w - right
    scale = max((max(bar.values.values(), default=0) for bar in bars), default=0) or 1
    body = [f'<text x="16" y="24" font-size="16" font-weight="bold">{_text(title)}</text>']
    body += _legend(label_w, 46, [(labels[key], colour) for key, colour in CAMP_COLOURS.items()])
    for index, bar in enumerate(bars):
        y = top + index * row_h + 6
        body.append(
            f'<text x="{label_w - 10}" y="{y + 17}" text-anchor="end">{_text(_short(bar.label))}'
            "</text>"
        )
        for offset, key in enumerate(CAMP_COLOURS):
            value = bar.values.get(key, 0)
            body.append(
                f'<rect x="{label_w}" y="{y + offset * 13}" width="{plot_w * value / scale:.1f}" '
                f'height="12" fill="{CAMP_COLOURS[key]}"/>'
            )
            body.append(
                f'<text x="{label_w + plot_w * value / scale + 5:.1f}" y="{y + offset * 13 + 10}" '
                f'font-size="11" fill="#555">{value}</text>'
            )
    return _document(width, height, title, body)
