"""Charts drawn as SVG on the server, for the PDFs (no JavaScript there). Pure functions: data in, SVG out.
Labels are escaped; numbers are printed the Indonesian way by the caller's formatter."""

from decimal import Decimal
from xml.sax.saxutils import escape

BAND_COLOURS = ["#1b7f5f", "#4a9fd4", "#f2a541", "#c0392b", "#7f8c8d"]


def _svg(width, height, body):
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="Noto Sans, DejaVu Sans, sans-serif">{body}</svg>'
    )


def band_chart(bands, markers, *, number, width=640, height=96):
    """The 0–100 IID scale split into the catalogue's bands, with a marker per (label, value).

    ``bands`` are (name, minimum) from the highest minimum; ``number`` formats a Decimal for display.
    """
    left, right, top, bar = 10, width - 10, 34, 22
    scale = (right - left) / 100
    parts = []
    upper = Decimal(100)
    for position, (name, minimum) in enumerate(bands):
        low = max(Decimal(minimum), Decimal(0))
        x, w = left + float(low) * scale, float(upper - low) * scale
        colour = BAND_COLOURS[position % len(BAND_COLOURS)]
        parts.append(
            f'<rect x="{x:.1f}" y="{top}" width="{max(w, 1):.1f}" height="{bar}" fill="{colour}" opacity="0.85"/>'
        )
        if w > 60:
            parts.append(
                f'<text x="{x + w / 2:.1f}" y="{top + 15}" font-size="10" text-anchor="middle" fill="#fff">'
                f"{escape(name)}</text>"
            )
        upper = low
    for index, (label, value) in enumerate(markers):
        x = left + float(value) * scale
        text_y = top - 10 if index == 0 else top + bar + 22
        parts.append(
            f'<line x1="{x:.1f}" y1="{top - 6}" x2="{x:.1f}" y2="{top + bar + 6}" stroke="#111" stroke-width="2"/>'
        )
        parts.append(
            f'<text x="{x:.1f}" y="{text_y}" font-size="11" text-anchor="middle" fill="#111">'
            f"{escape(label)} {escape(number(value))}</text>"
        )
    for tick in (0, 25, 50, 75, 100):
        parts.append(
            f'<text x="{left + tick * scale:.1f}" y="{height - 2}" font-size="9" text-anchor="middle" fill="#555">{tick}</text>'
        )
    return _svg(width, height, "".join(parts))


def bar_chart(items, *, number, width=640, bar_height=16, label_width=220, colour="#0b4f6c"):
    """Horizontal bars, one per (label, value), scaled to the largest value."""
    height = max(len(items), 1) * (bar_height + 6) + 6
    largest = max((float(value) for _label, value in items), default=0) or 1
    room = width - label_width - 70
    parts = []
    for index, (label, value) in enumerate(items):
        y = 6 + index * (bar_height + 6)
        w = max(float(value) / largest * room, 1)
        parts.append(
            f'<text x="{label_width - 6}" y="{y + bar_height - 4}" font-size="10" text-anchor="end" fill="#222">'
            f"{escape(str(label)[:38])}</text>"
        )
        parts.append(
            f'<rect x="{label_width}" y="{y}" width="{w:.1f}" height="{bar_height}" fill="{colour}"/>'
        )
        parts.append(
            f'<text x="{label_width + w + 4:.1f}" y="{y + bar_height - 4}" font-size="10" fill="#222">'
            f"{escape(number(value))}</text>"
        )
    return _svg(width, height, "".join(parts))
