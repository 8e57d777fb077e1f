"""Which characters the site's own web font can draw, read from the theme's font files.

The theme's stylesheet declares the web font with `@font-face` rules (family, weight, file,
`unicode-range`); a browser takes a character from a file only when the character is in the
rule's range and in the file's character map. The chart's text is checked against exactly
that before the site is published (`missing_glyphs` in `workflow/core/chart.py`), so a label the font
cannot draw fails the build (KS931) instead of reaching readers as empty boxes.
"""

from __future__ import annotations

import re
from pathlib import Path

STYLESHEET = Path("static") / "css" / "site.css"
_FACE = re.compile(r"@font-face\s*{([^}]*)}", re.S)
_FAMILY = re.compile(r'font-family:\s*["\']?([^;"\']+)')
_WEIGHT = re.compile(r"font-weight:\s*(\d+)")
_SRC = re.compile(r"url\(\s*['\"]?([^)'\"]+)['\"]?\s*\)")
_RANGE = re.compile(r"unicode-range:\s*([^;]+)")


def _ranges(text: str | None) -> list[tuple[int, int]]:
    if text is None:
        return [(0, 0x10FFFF)]
    found = []
    for part in text.split(","):
        spec = part.strip().upper().removeprefix("U+")
        low, _, high = spec.partition("-")
        if "?" in low:
            found.append((int(low.replace("?", "0"), 16), int(low.replace("?", "F"), 16)))
        else:
            found.append((int(low, 16), int(high or low, 16)))
    return found


def web_font(theme: Path) -> tuple[str, dict[int, frozenset[int]]]:
    """The first `@font-face` family of the theme's stylesheet, and for each weight the code
    points its files draw within their `unicode-range`. Empty when the theme declares none."""
    from fontTools.ttLib import TTFont

    css = theme / STYLESHEET
    text = css.read_text(encoding="utf-8") if css.is_file() else ""
    family, coverage = "", dict[int, set[int]]()
    for block in _FACE.findall(text):
        name, src = _FAMILY.search(block), _SRC.search(block)
        if name is None or src is None:
            continue
        family = family or name.group(1).strip()
        if name.group(1).strip() != family:
            continue
        weight = int(w.group(1)) if (w := _WEIGHT.search(block)) else 400
        path = (css.parent / src.group(1)).resolve()
        if not path.is_relative_to(theme.resolve()) or not path.is_file():
            continue  # a font the theme does not ship draws nothing on the published site
        with TTFont(path, lazy=True) as font:
            cmap = font.getBestCmap() or {}
        spans = _ranges(m.group(1) if (m := _RANGE.search(block)) else None)
        coverage.setdefault(weight, set()).update(c for c in cmap if any(lo <= c <= hi for lo, hi in spans))
    return family, {weight: frozenset(points) for weight, points in coverage.items()}
