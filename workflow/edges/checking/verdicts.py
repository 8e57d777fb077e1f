"""The verdict cache: clean verdicts of earlier runs, reused when every input of a check is the same.

`check_items(..., cache_dir=...)` (the publish gate in `build`) keeps one file in
`cache_dir`, like ruff's or mypy's, and reuses an item's verdict only when every
input of its check is byte-identical:

- the run as a whole (`run_key`): office.yml's bytes, the schema files in use,
  the check's options (publish, safety), Khaosan's own code (every
  `workflow/**/*.py`), Python and the versions of the libraries the checks use.
  Any change there and no entry is used.
- the item (one entry per path): the sha256 of its bytes, the sha256 of every
  file its check hashed (the files it references; None when missing), and for
  every item id its check looked up (a clipping's `about`, a link to another
  item) whether that id existed. `Trace` records both while the item is checked.

Only verdicts with no problem at all are kept. `now` enters a check only
through "this time is not in the future" rules (`rules._times`,
`signoffs.evaluate`): a verdict with no problem at t0 holds for every
now >= t0, so an entry is used only when now >= the t0 it was checked at.
An item with any problem, a warning included, is checked again every run,
and ids that collide (`duplicate_ids`) are looked for over all paths every run.

The file is kept as `workflow/edges/kept.py` keeps results: plain data only (a
planted file cannot run code), a missing, corrupt, foreign or out-of-date file
means a full check, never an error, and so does one that cannot be written. It
is loaded once per run and written (whole, atomically) only when an entry changed.

A cache hit reads the item's bytes and hashes the files it names, nothing more:
no YAML is parsed and no rule runs.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import operator
from dataclasses import fields, replace
from datetime import datetime, timedelta, timezone, tzinfo
from pathlib import Path
from typing import Any, NamedTuple

from workflow.core.publication import Candidate
from workflow.core.validate import Context
from workflow.edges.checking.items import Verdict
from workflow.edges.files.repository import GATE_LIBRARIES, Repository, gate_inputs
from workflow.edges.kept import load_kept, run_key, save_kept

CACHE_FILE = "gate-cache.pickle"
CACHE_VERSION = 2  # 2: the run key names the check's options and comes from kept.run_key
# The libraries whose behaviour a verdict depends on (YAML, schemas, PDPA patterns, PDF/image/ZIP reading).


class _Entry(NamedTuple):
    source: str  # sha256 of the item file's bytes
    files: tuple[tuple[str, str | None], ...]
    ids: tuple[tuple[str, bool], ...]
    at: datetime  # the `now` it was checked at: valid for now >= at
    pending: bool
    candidate: Candidate
    stored: tuple[Any, ...] | None = None  # as read from the cache file: written back as it was


class _SeenIds(frozenset[str]):
    """The repository's item ids, noting each id a check asks about and whether it was there."""

    seen: dict[str, bool]

    def __contains__(self, key: object) -> bool:
        found = frozenset.__contains__(self, key)
        if isinstance(key, str):
            self.seen[key] = found
        return found


class Trace:
    """Records what one item's check looks at besides its own bytes: referenced files and item ids."""

    def __init__(self, repo: Repository, ids: frozenset[str]) -> None:
        self.repo = repo
        self.files: dict[str, str | None] = {}
        self.ids = _SeenIds(ids)
        self.ids.seen = {}

    def file_hash(self, ref: str) -> str | None:
        digest = self.repo.file_hash(ref)
        self.files[ref] = digest
        return digest

    def watching(self, ctx: Context) -> Context:
        """`ctx` with its file and id look-ups recorded here."""
        return replace(ctx, file_hash=self.file_hash, item_ids=self.ids)

    def start(self) -> None:
        self.files = {}
        self.ids.seen = {}

    def read(self, verdict: Verdict) -> Verdict:
        """`verdict` with what its check read besides the item, when it is clean (only clean ones are kept)."""
        if verdict.problems:
            return verdict
        return verdict._replace(files=tuple(sorted(self.files.items())), ids=tuple(sorted(self.ids.seen.items())))


class VerdictCache:
    """The clean verdicts kept in `folder` by earlier runs with the same run key."""

    def __init__(self, repo: Repository, folder: Path, office_raw: bytes, ctx: Context) -> None:
        self.repo, self.path = repo, folder / CACHE_FILE
        self.key = _run_key(repo, office_raw, ctx)
        self.entries: dict[str, _Entry] = load_kept(self.path, CACHE_VERSION, self.key, _entries_in) or {}

    def answers(self, paths: list[str], item_ids: frozenset[str], now: datetime) -> dict[str, Verdict]:
        """The kept verdicts that hold for `paths` as they are now."""
        found = {}
        for path in paths:
            entry = self.entries.get(path)
            if entry is not None and _holds(self.repo, item_ids, path, entry, now):
                found[path] = Verdict(path, (), entry.pending, entry.candidate, entry.files, entry.ids)
        return found

    def keep(self, fresh: list[Verdict], ordered: list[Verdict], every: list[str], now: datetime) -> None:
        """Write the clean verdicts of this run (paths gone or no longer clean drop out), unless nothing changed.

        `ordered`: this run's verdicts; `every`: the repository's item paths (entries of those this run
        did not check stay as they were)."""
        checked = {v.path for v in fresh}
        ran, alive = {v.path for v in ordered}, set(every)
        kept = {p: e for p, e in self.entries.items() if p not in ran and p in alive}
        for v in ordered:
            if v.problems or v.candidate is None:
                continue
            kept[v.path] = (
                _Entry(v.candidate.source, v.files, v.ids, now, v.pending, v.candidate)
                if v.path in checked
                else self.entries[v.path]
            )
        if any(not v.problems for v in fresh) or kept.keys() != self.entries.keys():
            _save(self.path, self.key, kept)


def _holds(repo: Repository, item_ids: frozenset[str], path: str, entry: _Entry, now: datetime) -> bool:
    """Is every input of the entry's check as it was? (Reads the item's bytes, never parses them.)"""
    try:
        if now < entry.at:
            return False
        raw = repo.read(path)
    except Exception:  # an unreadable file, a naive `now`: check it, and the check says what is wrong
        return False
    if hashlib.sha256(raw).hexdigest() != entry.source:
        return False
    if any(repo.file_hash(ref) != digest for ref, digest in entry.files):
        return False
    return all((item_id in item_ids) == existed for item_id, existed in entry.ids)


# ---------------------------------------------------------------- the cache file ----


def _run_key(repo: Repository, office_raw: bytes, ctx: Context) -> str:
    """One digest of everything every verdict depends on, besides the item and what it names."""
    return run_key(
        f"gate publish={ctx.publish} safety={ctx.safety}",
        CACHE_VERSION,
        GATE_LIBRARIES,
        gate_inputs(repo.root, office_raw),
    )


# An entry is stored as plain data (it loads in a third of the time objects take): the candidate as the
# tuple of its fields, each time as (ISO 8601 text, zone name). Any change to `Candidate` changes the code
# digest, hence the run key: fields are never read in another order than they were written in.
_FIELDS = tuple(f.name for f in fields(Candidate))
_TIMES = tuple(i for i, f in enumerate(fields(Candidate)) if "datetime" in str(f.type))  # their places
_VALUES = operator.attrgetter(*_FIELDS)
_ZONES: dict[tuple[timedelta | None, str], tzinfo] = {}


def _time_out(moment: datetime) -> tuple[str, str | None]:
    if moment.tzinfo is not None and not isinstance(moment.tzinfo, timezone):
        raise TypeError("only fixed offsets are stored")  # never the case for parse_time's times
    return moment.isoformat(), moment.tzname()


@functools.lru_cache(maxsize=8192)  # entries checked in one run share their `at`
def _time_in(stored: object) -> datetime:
    if not (isinstance(stored, tuple) and len(stored) == 2 and isinstance(stored[0], str)):
        raise ValueError("not a stored time")
    moment = datetime.fromisoformat(stored[0])
    offset, name = moment.utcoffset(), stored[1]
    if offset is not None and isinstance(name, str) and moment.tzname() != name:  # a named zone: Bangkok
        zone = _ZONES.get((offset, name))
        if zone is None:
            zone = _ZONES[(offset, name)] = timezone(offset, name)
        moment = moment.replace(tzinfo=zone)
    return moment


def _entry_out(entry: _Entry) -> tuple[Any, ...]:
    if entry.stored is not None:
        return entry.stored
    values = list(_VALUES(entry.candidate))
    for i in _TIMES:
        if values[i] is not None:
            values[i] = _time_out(values[i])
    return entry.source, entry.files, entry.ids, _time_out(entry.at), entry.pending, tuple(values)


def _entry_in(path: object, value: object) -> _Entry:
    """An entry as stored, its shape checked: anything else raises."""
    if not (isinstance(path, str) and isinstance(value, tuple) and len(value) == 6):
        raise ValueError("not a gate cache entry")
    source, files, ids, at, pending, values = value
    if not (isinstance(values, tuple) and len(values) == len(_FIELDS)):
        raise ValueError("not a gate cache entry")
    args = list(values)
    for i in _TIMES:
        if args[i] is not None:
            args[i] = _time_in(args[i])
    c = Candidate(*args)
    if not (
        isinstance(source, str)
        and source == c.source
        and c.path == path
        and isinstance(pending, bool)
        and isinstance(files, tuple)
        and isinstance(ids, tuple)
        and all(isinstance(r, str) and (d is None or isinstance(d, str)) for r, d in files)
        and all(isinstance(i, str) and isinstance(e, bool) for i, e in ids)
    ):
        raise ValueError("not a gate cache entry")
    return _Entry(source, files, ids, _time_in(at), pending, c, value)


def _entries_in(stored: object) -> dict[str, _Entry]:
    """The entries of the file's payload (one dict, path → entry); a wrong shape raises."""
    if not isinstance(stored, dict):
        raise ValueError("not the gate's entries")
    return {path: _entry_in(path, value) for path, value in stored.items()}


def _save(path: Path, key: str, entries: dict[str, _Entry]) -> None:
    stored = {}
    for p, entry in entries.items():
        with contextlib.suppress(TypeError):  # a time with a zone other than a fixed offset: not kept
            stored[p] = _entry_out(entry)
    save_kept(path, CACHE_VERSION, key, stored)
