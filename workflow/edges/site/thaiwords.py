"""Thai lines break between words, never inside one: word boundaries marked at build time.

Thai is written without spaces between words, so a browser finds line-break opportunities with
its own dictionary (ICU's in Chromium), which splits names and compounds a reader sees as one
word ("ศรี|สมบูรณ์", "ความ|พร้อม"), and with `overflow-wrap: anywhere` even syllables. The build
segments each run of Thai letters with PyThaiNLP's `newmm` (dictionary maximal matching over its
62,000-word Thai dictionary, the segmenter Thai NLP tools default to) and marks the result:

- `<wbr>` between two words: a break opportunity the browser takes even where its own
  dictionary sees none;
- `<span class="w">…</span>` (CSS `white-space: nowrap`) around each word of two or more
  letters: the browser may not break inside it. `<wbr>` alone does not stop Chromium's own
  breaks (measured: it still broke "ความ|พร้อม" with every `<wbr>` in place); `word-break:
  keep-all` has no effect on Thai in Chromium.

Only runs of Thai letters are touched: Latin words, numbers, URLs, entities and every tag and
attribute stay byte for byte as they were; `<pre>`, `<code>`, `<script>`, `<style>`, `<svg>`,
`<title>` and `<textarea>` are left alone, and so are words already marked: marking is idempotent,
so the theme may mark a whole block that holds an item's marked title. The theme's own words are
marked with the `words` filter (`Marker.markup`). `plain` takes the marks out again (feeds).
"""

from __future__ import annotations

import bisect
import functools
import re
from html import escape
from typing import Any

from markupsafe import Markup

_THAI_RUN = re.compile(r"[\u0E01-\u0E4E]+")
_RAW_START = re.compile(r"<(pre|code|script|style|svg|title|textarea)\b", re.I)
# a raw-text or code element, from its opening tag (not self-closed) to its end, or to the end of the text
_RAW = re.compile(r"<(pre|code|script|style|svg|title|textarea)\b[^>]*(?<!/)>.*?(?:</\1\s*>|\Z)", re.I | re.S)
OPEN, CLOSE, BREAK = '<span class="w">', "</span>", "<wbr>"
# a run of Thai letters that starts a run (not inside one) and is not a word already marked
_UNMARKED_RUN = re.compile(r"(?<![\u0E01-\u0E4E])(?<!" + re.escape(OPEN) + r")[\u0E01-\u0E4E]+")
# A word longer than this (in characters) is not kept whole: at a heading's size it could be wider than a
# phone's line (an office's full name, a royal title), so the browser may break inside it by its own rules.
LONGEST_WORD = 30
_PIECES, _PIECE = 20_000, 8_000  # the theme's marked pieces kept, and the longest kept (labels, a header, months)


class _Words:
    """newmm's dictionary as two sets (words, and every proper prefix of a word): built in a
    quarter of the time of PyThaiNLP's own trie, and answering newmm's one question the same."""

    def __init__(self, words: frozenset[str]) -> None:
        self.words = words
        self.stems = frozenset(w[:i] for w in words for i in range(1, len(w)))

    def prefixes(self, text: str, start: int = 0) -> list[str]:
        found = []
        for end in range(start + 1, len(text) + 1):
            piece = text[start:end]
            if piece in self.words:
                found.append(piece)
            if piece not in self.stems:
                break
        return found


@functools.cache
def _thai_words() -> frozenset[str]:
    from pythainlp.corpus.common import thai_words

    return frozenset(thai_words())


def names_of(office: Any) -> frozenset[str]:
    """The office's own Thai names (people, groups, the office), whole and by their parts: a
    surname such as ศรีสมบูรณ์ is one word to its reader, and in no general dictionary."""
    info = office or {}
    texts = [p.get("name", "") for p in info.get("people") or []] + [
        g.get("name", "") for g in info.get("groups") or []
    ]
    texts += [(info.get("office") or {}).get(key, "") for key in ("name", "short_name")]
    runs = (run for text in texts for part in str(text).split() for run in _THAI_RUN.findall(part))
    return frozenset(run for run in runs if len(run) <= LONGEST_WORD)  # an office's full name is many words


class Marker:
    """Marks Thai word boundaries with the dictionary and the office's own names."""

    def __init__(self, names: frozenset[str] = frozenset()) -> None:
        self.words = _Words(_thai_words() | names)
        self.runs: dict[str, str] = {}
        self.pieces: dict[str, str] = {}  # the theme's pieces already marked (`markup`)

    def _run(self, run: str) -> str:
        marked = self.runs.get(run)
        if marked is None:
            from pythainlp.tokenize.newmm import segment

            words: list[str] = segment(run, self.words)  # type: ignore[arg-type]  # duck-typed: prefixes()
            kept = (f"{OPEN}{w}{CLOSE}" if 1 < len(w) <= LONGEST_WORD else w for w in words)
            marked = self.runs[run] = BREAK.join(kept)
        return marked

    def _escaped(self, text: str) -> str:
        """Text already escaped for HTML (Thai runs hold no `&` or `<`), each Thai run marked."""
        return _THAI_RUN.sub(lambda m: self._run(m.group(0)), text)

    def text(self, text: Any) -> str:
        """Plain text → escaped HTML with Thai word boundaries marked."""
        return self._escaped(escape(str(text), quote=False))

    def html(self, html: str) -> str:
        """Safe HTML → the same HTML with Thai word boundaries marked in its text (not in tags,
        attributes, or raw-text and code elements). One pass of the regular expression engine: a word
        already marked is not even matched, so marking a page that holds an item's marked text again
        costs little more than reading it (the theme marks whole content blocks)."""
        raw = [(m.start(), m.end()) for m in _RAW.finditer(html)] if _RAW_START.search(html) else []
        starts = [start for start, _ in raw]

        def mark(match: re.Match[str]) -> str:
            at = match.start()
            if html.rfind("<", 0, at) > html.rfind(">", 0, at):
                return match.group(0)  # inside a tag: an attribute's value
            inside = bisect.bisect_right(starts, at) - 1
            if inside >= 0 and at < raw[inside][1]:
                return match.group(0)  # <pre>, <code>, <script>, <style>, <svg>, <title>, <textarea>
            return self._run(match.group(0))

        return _UNMARKED_RUN.sub(mark, html)

    def markup(self, value: Any) -> Markup:
        """The theme's `words` filter: text (escaped first) or safe HTML, marked. The theme's own
        words (menu, headings, labels, dates) repeat on every page, so each distinct piece is marked once."""
        safe = hasattr(value, "__html__")
        html = str(value.__html__()) if safe else escape(str(value), quote=False)
        mark = self.html if safe else self._escaped  # escaped text holds no tag: no need to look for one
        if len(html) > _PIECE:
            return Markup(mark(html))  # a page's own text: marked once, not kept
        marked = self.pieces.get(html)
        if marked is None:
            if len(self.pieces) >= _PIECES:
                self.pieces.clear()
            marked = self.pieces[html] = mark(html)
        return Markup(marked)


@functools.lru_cache(maxsize=4)
def marker(names: frozenset[str] = frozenset()) -> Marker:
    """One marker a process for each set of names (its dictionary takes a fraction of a second)."""
    return Marker(names)


def plain(html: str) -> str:
    """The marks taken out again: the HTML as it was before `mark_html` (a word span holds Thai
    letters only, so the first `</span>` after its opening is its own)."""
    pieces = html.replace(BREAK, "").split(OPEN)
    return pieces[0] + "".join(piece.replace(CLOSE, "", 1) for piece in pieces[1:])


SUMMARY_LENGTH = 160  # a card's summary, cut as Jinja's `truncate` cuts (at a space, "...")


def card_summary(summary: str) -> str:
    """What a listing card shows of a summary: its text without tags, cut to SUMMARY_LENGTH
    as the theme's `|striptags|truncate(160)` would."""
    from jinja2 import Environment
    from jinja2.filters import do_truncate

    return str(do_truncate(Environment(), Markup(summary).striptags(), SUMMARY_LENGTH))
