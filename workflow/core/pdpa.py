"""Personal data (PDPA B.E. 2562) in what is about to be published: find it, mask it, say where.

Pure: takes texts (the body, the front matter's strings, and text the edge
extracted from attachments) and the office's public contacts; returns
findings. Whether a finding blocks is decided in `safety.py`, against the
item's reviewed exceptions (`pdpa_allow`).

What is found, each with a stable code:
  KS701 Thai national ID: 13 digits (Thai or Arabic, any dashes/spaces) with a
        valid checksum (`stdnum.th.pin`); a wrong checksum is not an ID.
  KS702 a phone number libphonenumber takes as valid in Thailand, unless the
        office lists it as its own (office.phone, office.allowed_contacts).
  KS703 an e-mail address, unless listed (office.email, office.allowed_contacts;
        an entry `@domain` allows the whole domain).
  KS704 a child's name (ด.ช., ด.ญ., เด็กชาย, เด็กหญิง) with a birth date or home
        address beside it.
  KS705 a bank account number after เลขที่บัญชี / เลขบัญชี / บัญชีเลขที่.
  KS708 a personal contact link: a LINE personal id (`line.me/ti/p/~id`).

Scanned in every form a reader sees it (issue 13): the text is folded first
(`fold`: Unicode digits and NFKC look-alikes to ASCII, dashes and spaces of
every script to `-` and ` `, zero-width and soft characters removed, HTML
entities and Markdown escapes decoded), findings are mapped back to offsets in
the original. Link targets are read as links (`tel:`, `mailto:`, WhatsApp,
LINE, percent-encoded query strings), file names as names (`scan_name`).
"""

from __future__ import annotations

import bisect
import html
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import unquote, unquote_plus

THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
MAX_SCAN_CHARS = 4_000_000  # per text: attachments are capped by the edge too; bounded time

# 13 digits with at most one separator between any two (the card's 1-2345-67890-12-1, 4-4-4-1,
# dots, spaces), letters glued on either side (`ID1234…`), but not inside a path, a slug or a longer
# number: `meeting-20250105-01234` and `/news/2567/x` are not IDs. The checksum decides the rest.
_ID = re.compile(r"(?<![0-9/_.\-@])[0-9](?:[ .\-]?[0-9]){12}(?![0-9/_\-@]|[.\-][0-9])")
# Link targets (Markdown, HTML attributes) and bare URLs are addresses: read as links (`_link_findings`),
# then blanked (same length) for the prose scan, where their slugs and ids would look like numbers.
# Bounded runs: an unclosed `](` or `href="` must not scan to the end of the body for each one
# (`![](` x 250k took minutes): a target stops at a bracket and at MAX_LINK characters.
MAX_LINK = 4096
_URL = re.compile(
    rf"\]\(\s{{0,64}}<?[^()\[\]\s]{{0,{MAX_LINK}}}\)|(?:href|src)\s{{0,8}}=\s{{0,8}}[\"'][^\"'\s]{{0,{MAX_LINK}}}[\"']"
    rf"|(?:https?://|www\.|tel:|sms:|mailto:|callto:)[^\s)<>\"']{{1,{MAX_LINK}}}",
    re.IGNORECASE,
)
_PATHLIKE = re.compile(r"^[A-Za-z0-9._-]+(?:/[A-Za-z0-9._-]+)+/?$")  # item ids, file refs: not text
# Only where a phone number can be does libphonenumber look (it is slow on long Thai text).
_DIGIT, _NOT_DIGIT = re.compile(r"[0-9]"), re.compile(r"[^0-9]")
_ANYTHING = re.compile(r"[0-9๐-๙@]|ด\.|เด็ก")  # no digit, no @, no child title: nothing to find
_PHONE_CANDIDATE = re.compile(r"\+?[0-9][0-9 ().\-]{6,}[0-9]")
MAX_PHONE_RUN, MAX_PHONE_RUNS = 200, 5000  # a longer run is a table of numbers; more runs: bounded time
_EMAIL = re.compile(  # Thai letters too: a local part or a domain (`.ไทย`) may be Thai
    r"(?<![A-Za-z0-9._%+\-\u0E01-\u0E4E])[A-Za-z0-9._%+\-\u0E01-\u0E4E]{1,64}"
    r"@[A-Za-z0-9\-\u0E01-\u0E4E]{1,63}(?:\.[A-Za-z0-9\-\u0E01-\u0E4E]{1,63}){0,8}"
    r"\.(?:[A-Za-z]{2,24}|[\u0E01-\u0E4E]{2,24})(?![A-Za-z0-9\-\u0E01-\u0E4E])"
)
_CHILD = re.compile(r"(?:ด\.\s?ช\.|ด\.\s?ญ\.|เด็กชาย|เด็กหญิง)\s*[\u0E01-\u0E4E]+(?:[ \t]+[\u0E01-\u0E4E]+)?")
_THAI_MONTHS = (
    "มกราคม|กุมภาพันธ์|มีนาคม|เมษายน|พฤษภาคม|มิถุนายน|กรกฎาคม|สิงหาคม|กันยายน|ตุลาคม|พฤศจิกายน|ธันวาคม|"
    r"ม\.ค\.|ก\.พ\.|มี\.ค\.|เม\.ย\.|พ\.ค\.|มิ\.ย\.|ก\.ค\.|ส\.ค\.|ก\.ย\.|ต\.ค\.|พ\.ย\.|ธ\.ค\."
)
_BIRTH = re.compile(r"เกิด|วันเดือนปีเกิด|อายุ\s*[0-9]+\s*ปี")
_ADDRESS = re.compile(
    r"บ้านเลขที่|ที่อยู่|อยู่บ้าน|อาศัยอยู่|[0-9]+/[0-9]+\s*(?:หมู่|ม\.)|หมู่ที่\s*[0-9]+"
    r"|ม\.\s?[0-9]+\s*ต\."
)
_DATE = re.compile(
    rf"[0-9]{{1,2}}\s*(?:{_THAI_MONTHS})\s*(?:พ\.ศ\.\s*)?[0-9]{{4}}"
    r"|[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}"
)
_ACCOUNT = re.compile(
    r"(?:เลขที่บัญชี|เลขบัญชี|บัญชีเลขที่|หมายเลขบัญชี|account\s*(?:no\.?|number))\s*[:：]?\s*"
    r"([0-9](?:[ \-]?[0-9]){8,14})(?![0-9])",
    re.IGNORECASE,
)
_CHILD_BEFORE, _CHILD_AFTER = 80, 160  # characters around a child's name searched for a birth date or address

LABELS = {
    "KS701": "เลขประจำตัวประชาชน",
    "KS702": "หมายเลขโทรศัพท์",
    "KS703": "อีเมล",
    "KS704": "ชื่อเด็กพร้อมวันเกิดหรือที่อยู่",
    "KS705": "เลขที่บัญชีธนาคาร",
    "KS708": "ช่องทางติดต่อส่วนบุคคล (LINE)",
}


@dataclass(frozen=True)
class Finding:
    code: str
    match: str  # normalised: digits only for numbers, lower case for e-mail, the name for children
    masked: str  # what may be shown: the middle hidden
    start: int  # offset in the scanned text
    end: int


@dataclass(frozen=True)
class Allowed:
    """The office's public contacts: normalised phone numbers, e-mail addresses and e-mail domains."""

    phones: frozenset[str] = frozenset()
    emails: frozenset[str] = frozenset()
    domains: frozenset[str] = frozenset()

    def has_email(self, address: str) -> bool:
        """The office's own address, or one of a domain it lists (`@domain`); `address` lower case."""
        return address in self.emails or address.rpartition("@")[2] in self.domains

    def has_phone(self, *forms: str) -> bool:
        """The office's own number, in any of the normalised `forms` given."""
        return any(form in self.phones for form in forms)


def _is_id(number: str) -> bool:
    """Thirteen ASCII digits that `stdnum.th.pin` takes as a national ID (no leading 0 or 9, the
    checksum), without its clean-up of separators: the one test for an ID, in text and in names."""
    from stdnum.th import pin  # imported on first use: plain `check` never pays for it

    return len(number) == 13 and number[0] not in "09" and pin.calc_check_digit(number) == number[12]


def digits(text: str) -> str:
    return "".join(ch for ch in text.translate(THAI_DIGITS) if ch.isascii() and ch.isdigit())


def normalise(code: str, text: str) -> str:
    """The form a `pdpa_allow.match` and a finding are compared in."""
    if code == "KS703":
        return text.strip().lower()
    if code == "KS704":
        return " ".join(text.split())
    number = digits(text)
    if code == "KS702" and number.startswith("66") and len(number) in (10, 11):
        number = "0" + number[2:]
    return number


def normalise_any(text: str) -> set[str]:
    """Every form `text` may take as an exception (a reviewer need not say which kind it is)."""
    return {normalise(code, text) for code in LABELS} - {""}


def allowed_contacts(entries: Iterable[str]) -> Allowed:
    """Contacts an office publishes (office.yml `phone`, `email`, `allowed_contacts`); `@domain` allows a domain."""
    phones, emails, domains = set(), set(), set()
    for entry in entries:
        entry = entry.strip()
        if entry.startswith("@"):
            domains.add(entry[1:].lower())
        elif "@" in entry:
            emails.add(entry.lower())
        elif digits(entry):
            phones.add(normalise("KS702", entry))
    return Allowed(frozenset(phones), frozenset(emails), frozenset(domains))


def mask_digits(text: str, keep_start: int, keep_end: int) -> str:
    """Hide the middle digits, keep separators: `1-2345-67890-12-1` -> `1-2345-xxxxx-xx-1`."""
    plain = text.translate(THAI_DIGITS)
    total = sum(ch.isdigit() for ch in plain)
    out, seen = [], 0
    for ch in plain:
        if ch.isdigit():
            out.append(ch if seen < keep_start or seen >= total - keep_end else "x")
            seen += 1
        else:
            out.append(ch)
    return "".join(out)


def mask_email(address: str) -> str:
    local, _, domain = address.partition("@")
    shown = local[:1] + "x" * max(3, len(local) - 2) + (local[-1:] if len(local) > 2 else "")
    return f"{shown}@{domain}"


def mask_name(text: str) -> str:
    """`ด.ญ.สมใจ ใจดี` -> `ด.ญ.สxxx ใxxx`: the title stays, each name keeps its first letter."""
    title = re.match(r"ด\.\s?ช\.|ด\.\s?ญ\.|เด็กชาย|เด็กหญิง", text)
    head = title.group(0) if title else ""
    names = text[len(head) :].split()
    return head + " ".join(n[:1] + "xxx" for n in names)


def mask_any(text: str) -> str:
    """Mask an exception's value for display, whatever kind it is."""
    if "@" in text:
        return mask_email(text.strip())
    if len(digits(text)) >= 7:
        return mask_digits(text, 3, 1)
    return mask_name(" ".join(text.split()))


# -- folding: what a reader sees, as the scanner reads it ---------------------------------------------

_INVISIBLE = (  # soft hyphen, joiners, marks, word joiners, bidi controls, BOM
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"
)
# Removed (invisible) or decoded (entities, Markdown escapes) before matching; each changes the length.
_FOLD = re.compile(
    rf"[{_INVISIBLE}]+|&#[0-9]{{1,7}};?|&#[xX][0-9a-fA-F]{{1,6}};?|&[A-Za-z][A-Za-z0-9]{{1,31}};|\\[!-/:-@\[-`{{-~]"
)


@cache
def _look_alikes() -> dict[int, str]:
    """One character for one (so offsets stay): every decimal digit of any script and NFKC look-alikes
    (fullwidth, circled, superscript) to ASCII; dashes to `-`; spaces to ` `. Built once, on first use."""
    table: dict[int, str] = {}
    for cp in (*range(0x80, 0x10000), *range(0x1D7CE, 0x1D800)):
        ch = chr(cp)
        digit = unicodedata.decimal(ch, None)
        if digit is not None:
            table[cp] = str(digit)
            continue
        category = unicodedata.category(ch)
        if category == "Pd" or ch in "\u2212\u2796\u02d7":  # dashes, and the minus signs that look like one
            table[cp] = "-"
        elif category == "Zs":
            table[cp] = " "
        else:
            plain = unicodedata.normalize("NFKC", ch)
            if plain != ch and len(plain) == 1 and plain.isascii():
                table[cp] = plain
    return table


@dataclass(frozen=True)
class Folded:
    """A text as the scanner reads it, and the way back to offsets in the original."""

    text: str
    folded_at: tuple[int, ...] = ()  # offsets in `text` where a fold ended
    original_at: tuple[int, ...] = ()  # the same places in the original

    def original(self, offset: int) -> int:
        index = bisect.bisect_right(self.folded_at, offset) - 1
        if index < 0:
            return offset
        return self.original_at[index] + (offset - self.folded_at[index])


def _unfolded(match: re.Match[str]) -> str:
    found = match.group(0)
    if found[0] == "\\":
        return found[1]
    if found[0] == "&":
        decoded = html.unescape(found if found.endswith(";") else found + ";")
        return decoded if len(decoded) == 1 else found
    return ""  # invisible characters


def fold(text: str) -> Folded:
    """`text` with look-alikes made plain, invisible characters dropped, entities and escapes decoded."""
    pieces: list[str] = []
    folded_at: list[int] = []
    original_at: list[int] = []
    last, length = 0, 0
    for m in _FOLD.finditer(text):
        pieces.append(text[last : m.start()])
        replacement = _unfolded(m)
        pieces.append(replacement)
        length += m.start() - last + len(replacement)
        last = m.end()
        folded_at.append(length)
        original_at.append(last)
    if not folded_at:
        plain = text
    else:
        pieces.append(text[last:])
        plain = "".join(pieces)
    if not plain.isascii():
        plain = plain.translate(_look_alikes())
    return Folded(plain, tuple(folded_at), tuple(original_at))


class _Taken:
    """Spans already found (disjoint), so one number is not found twice: a lookup is a bisection."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    def free(self, start: int, end: int) -> bool:
        index = bisect.bisect_right(self.starts, start)
        before = index - 1 >= 0 and self.ends[index - 1] > start
        after = index < len(self.starts) and self.starts[index] < end
        return not (before or after)

    def add(self, start: int, end: int) -> None:
        if self.free(start, end):
            index = bisect.bisect_right(self.starts, start)
            self.starts.insert(index, start)
            self.ends.insert(index, end)


def scan_text(text: str, allowed: Allowed = Allowed()) -> list[Finding]:
    """Every finding in one text, in order, with offsets in `text` as given; its links read as links."""
    text = text[:MAX_SCAN_CHARS]
    folded = fold(text)
    found = _scan_folded(folded.text, allowed)
    return sorted(
        (
            Finding(f.code, f.match, f.masked, folded.original(f.start), max(folded.original(f.end - 1) + 1, 0))
            for f in found
        ),
        key=lambda f: (f.start, f.code),
    )


def _scan_folded(text: str, allowed: Allowed, *, as_links: bool = True) -> list[Finding]:
    links = list(_URL.finditer(text)) if as_links else []
    found = [f for m in links for f in _link_findings(m, allowed)]
    if links:  # link targets are read as links above; as prose they are blanked (same length)
        text = _URL.sub(lambda m: " " * len(m.group(0)), text)
    if not _ANYTHING.search(text):
        return found
    taken = _Taken()
    for m in _ACCOUNT.finditer(text):
        number = digits(m.group(1))
        found.append(Finding("KS705", number, mask_digits(m.group(1), 3, 1), m.start(1), m.end(1)))
        taken.add(m.start(1), m.end(1))
    for m in _ID.finditer(text):
        number = _NOT_DIGIT.sub("", m.group(0))  # the text is folded: ASCII digits and separators
        if taken.free(m.start(), m.end()) and _is_id(number):
            found.append(Finding("KS701", number, mask_digits(m.group(0), 5, 1), m.start(), m.end()))
            taken.add(m.start(), m.end())
    found.extend(_emails(text, allowed, taken))
    if _DIGIT.search(text):
        found.extend(_phones(text, allowed, taken))
    found.extend(_children(text))
    return found


# -- links and names: where personal data hides from prose ---------------------------------------

_PHONE_LINK = re.compile(
    r"^(?:tel|sms|callto|facetime):(?://)?(?P<a>[+0-9 ().\-]+)"
    r"|^(?:https?://)?(?:www\.)?(?:wa\.me/|api\.whatsapp\.com/send/?\?(?:.*&)?phone=)\+?(?P<b>[0-9]+)",
    re.IGNORECASE,
)
_MAILTO = re.compile(r"^mailto:([^?]+)", re.IGNORECASE)
_LINE_PERSON = re.compile(r"line\.me/(?:R/)?ti/p/~([A-Za-z0-9._\-]+)", re.IGNORECASE)
_URL_PARTS = re.compile(r"[/?&=#+:;,]")


def _link_findings(m: re.Match[str], allowed: Allowed) -> Iterator[Finding]:
    """A link target as the address it is: a phone to call, a mailbox, a LINE account, and the
    values in its path and query (percent-decoded) read as text."""
    raw = m.group(0)
    if raw.startswith("]("):
        target = raw[2:-1].strip().strip("<>").strip()
    elif raw[-1] in "\"'":
        target = raw[raw.index(raw[-1]) + 1 : -1]
    else:
        target = raw
    offset = m.start() + max(raw.find(target), 0)
    end = offset + len(target)
    phone = _PHONE_LINK.match(target)
    if phone is not None:
        number = normalise("KS702", phone.group("a") or phone.group("b"))
        if len(number) >= 9 and not allowed.has_phone(number):
            yield Finding("KS702", number, mask_digits(number, 3, 2), offset, end)
    mail = _MAILTO.match(target)
    if mail is not None:
        address = unquote(mail.group(1)).strip().lower()
        if not allowed.has_email(address):
            yield Finding("KS703", address, mask_email(address), offset, end)
    line = _LINE_PERSON.search(target)
    if line is not None:
        yield Finding("KS708", line.group(1).lower(), mask_any(line.group(1)), offset, end)
    if phone is None and mail is None:
        values = _URL_PARTS.sub(" ", unquote_plus(target))
        for f in _scan_folded(fold(values).text, allowed, as_links=False):
            yield Finding(f.code, f.match, f.masked, offset, end)


def scan_name(name: str, allowed: Allowed = Allowed()) -> list[Finding]:
    """A file or item name (it becomes a URL, the sitemap, the open data): each run of digits as a
    number of its own (an ID, a phone), and any address in it; offsets are in `name`."""
    folded = fold(unquote(name)).text
    found = []
    for m in re.finditer(r"[0-9]+", folded):
        run = m.group(0)
        if _is_id(run):
            found.append(Finding("KS701", run, mask_digits(run, 5, 1), 0, len(name)))
    spaced = re.sub(r"[_./\-]", " ", folded)
    found += [
        Finding(f.code, f.match, f.masked, 0, len(name))
        for f in _scan_folded(folded.replace("_", " "), allowed, as_links=False)
        + _scan_folded(spaced, allowed, as_links=False)
        if f.code in ("KS702", "KS703")
    ]
    unique = {(f.code, f.match): f for f in found}
    return list(unique.values())


def _emails(text: str, allowed: Allowed, taken: _Taken) -> Iterator[Finding]:
    """Addresses not allowed; every address, allowed or not, is taken so no phone is read inside it."""
    for m in _EMAIL.finditer(text):
        address = m.group(0).lower()
        if not allowed.has_email(address):
            yield Finding("KS703", address, mask_email(address), m.start(), m.end())
        taken.add(m.start(), m.end())


def _children(text: str) -> Iterator[Finding]:
    """A child's name counts only next to a birth date, a date or an address."""
    for m in _CHILD.finditer(text):
        window = text[max(0, m.start() - _CHILD_BEFORE) : m.end() + _CHILD_AFTER]
        if _BIRTH.search(window) or _DATE.search(window) or _ADDRESS.search(window):
            name = normalise("KS704", m.group(0))
            yield Finding("KS704", name, mask_name(name), m.start(), m.end())


def _phones(text: str, allowed: Allowed, taken: _Taken) -> Iterator[Finding]:
    import phonenumbers

    for count, candidate in enumerate(_PHONE_CANDIDATE.finditer(text)):
        if count >= MAX_PHONE_RUNS:
            break
        if candidate.end() - candidate.start() > MAX_PHONE_RUN or len(_DIGIT.findall(candidate.group(0))) < 9:
            continue  # a Thai number has 9 or 10 digits (11 with 66): times and dates have 8
        lo = max(0, candidate.start() - 4)  # room for a leading "+" or "(" the candidate left out
        window = text[lo : candidate.end() + 4]
        try:
            matches = list(
                phonenumbers.PhoneNumberMatcher(window, "TH", leniency=phonenumbers.Leniency.VALID, max_tries=50)
            )
        except Exception:  # libphonenumber on hostile text: no phone found rather than no answer
            continue
        for m in matches:
            start, end = lo + m.start, lo + m.end
            if not taken.free(start, end):
                continue
            number = normalise("KS702", m.raw_string)
            national = "0" + str(m.number.national_number) if m.number.country_code == 66 else number
            if allowed.has_phone(number, national):
                continue
            taken.add(start, end)
            yield Finding("KS702", national, mask_digits(m.raw_string, 3, 2), start, end)


def strings(
    data: Any, skip: Iterable[str] = ("approvals", "pdpa_allow")
) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Every string in the front matter with its key path (`skip`: top-level keys not scanned)."""
    skipped = set(skip)
    stack: list[tuple[tuple[str | int, ...], Any]] = [((), data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, str):
            if not _PATHLIKE.match(value):
                yield path, value
        elif isinstance(value, dict):
            for key, inner in value.items():
                if not (path == () and key in skipped):
                    stack.append(((*path, str(key)), inner))
        elif isinstance(value, list):
            for index, inner in enumerate(value):
                stack.append(((*path, index), inner))
