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
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
MAX_SCAN_CHARS = 4_000_000  # per text: attachments are capped by the edge too; bounded time

# The card's grouping 1-2345-67890-12-1 (dashes, spaces or none at those places only), not inside a
# word, a path or a number: `meeting-20250105-01234` and `/news/2567/x` are not IDs.
_ID = re.compile(
    r"(?<![A-Za-z0-9/_.\-@])[0-9][ \-]?[0-9]{4}[ \-]?[0-9]{5}[ \-]?[0-9]{2}[ \-]?[0-9]"
    r"(?![0-9A-Za-z/_\-@])"
)
# Link targets and bare URLs are addresses, not text: blanked (same length) before scanning.
_URL = re.compile(r"\]\(\s*<?[^)@\s]*\)|(?:https?://|www\.)[^\s)@]+", re.IGNORECASE)
_PATHLIKE = re.compile(r"^[A-Za-z0-9._-]+(?:/[A-Za-z0-9._-]+)+/?$")  # item ids, file refs: not text
# Only where a phone number can be does libphonenumber look (it is slow on long Thai text).
_THAI_DIGIT, _DIGIT = re.compile(r"[๐-๙]"), re.compile(r"[0-9]")
_ANYTHING = re.compile(r"[0-9๐-๙@]|ด\.|เด็ก")  # no digit, no @, no child title: nothing to find
_PHONE_CANDIDATE = re.compile(r"\+?[0-9][0-9 ().\-]{6,}[0-9]")
MAX_PHONE_RUN, MAX_PHONE_RUNS = 200, 5000  # a longer run is a table of numbers; more runs: bounded time
_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}"
    r"\.[A-Za-z]{2,24}(?![A-Za-z0-9-])"
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


def scan_text(text: str, allowed: Allowed = Allowed()) -> list[Finding]:
    """Every finding in one text, in order. Thai digits count as digits."""
    if not _ANYTHING.search(text):
        return []
    from stdnum.th import pin  # imported on first use: plain `check` never pays for it

    text = text[:MAX_SCAN_CHARS]
    if _THAI_DIGIT.search(text):  # translate() walks every character: only when there is a Thai digit
        text = text.translate(THAI_DIGITS)
    text = _URL.sub(lambda m: " " * len(m.group(0)), text)
    found: list[Finding] = []
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return not any(start < e and s < end for s, e in taken)

    for m in _ACCOUNT.finditer(text):
        number = digits(m.group(1))
        found.append(Finding("KS705", number, mask_digits(m.group(1), 3, 1), m.start(1), m.end(1)))
        taken.append((m.start(1), m.end(1)))
    for m in _ID.finditer(text):
        number = digits(m.group(0))
        if free(m.start(), m.end()) and pin.is_valid(number):
            found.append(Finding("KS701", number, mask_digits(m.group(0), 5, 1), m.start(), m.end()))
            taken.append((m.start(), m.end()))
    found.extend(_emails(text, allowed, taken))
    if _DIGIT.search(text):
        found.extend(_phones(text, allowed, free, taken))
    found.extend(_children(text))
    return sorted(found, key=lambda f: (f.start, f.code))


def _emails(text: str, allowed: Allowed, taken: list[tuple[int, int]]) -> Iterator[Finding]:
    """Addresses not allowed; every address, allowed or not, is taken so no phone is read inside it."""
    for m in _EMAIL.finditer(text):
        address = m.group(0).lower()
        domain = address.rpartition("@")[2]
        if address not in allowed.emails and domain not in allowed.domains:
            yield Finding("KS703", address, mask_email(address), m.start(), m.end())
        taken.append((m.start(), m.end()))


def _children(text: str) -> Iterator[Finding]:
    """A child's name counts only next to a birth date, a date or an address."""
    for m in _CHILD.finditer(text):
        window = text[max(0, m.start() - _CHILD_BEFORE) : m.end() + _CHILD_AFTER]
        if _BIRTH.search(window) or _DATE.search(window) or _ADDRESS.search(window):
            name = normalise("KS704", m.group(0))
            yield Finding("KS704", name, mask_name(name), m.start(), m.end())


def _phones(text: str, allowed: Allowed, free: Any, taken: list[tuple[int, int]]) -> Iterator[Finding]:
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
            if not free(start, end):
                continue
            number = normalise("KS702", m.raw_string)
            national = "0" + str(m.number.national_number) if m.number.country_code == 66 else number
            if number in allowed.phones or national in allowed.phones:
                continue
            taken.append((start, end))
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
