"""The publish gate: every item checked as `build` needs it, each clean verdict kept for the next run.

`run_gate` checks what `scan(repo, repo.item_paths(), now=now, safety=True)`
checks (PDPA, attachments, links included) and reports the same problems, but
keeps of each item only its `Candidate` (what publishing needs), so it can fork
like `check` does and remember verdicts between runs.

The verdict cache (one file in `cache_dir`, like ruff's or mypy's) reuses an
item's verdict only when every input of its check is byte-identical:

- the run as a whole (`_run_key`): office.yml's bytes, the schema files in use,
  Khaosan's own code (every `workflow/**/*.py`), Python and the versions of
  the libraries the checks use. Any change there and no entry is used.
- the item (one entry per path): the sha256 of its bytes, the sha256 of every
  file its check hashed (the files it references; None when missing), and for
  every item id its check looked up (a clipping's `about`, a link to another
  item) whether that id existed.

Only verdicts with no problem at all are kept. `now` enters a check only
through "this time is not in the future" rules (`rules._times`,
`signoffs.evaluate`): a verdict with no problem at t0 holds for every
now >= t0, so an entry is used only when now >= the t0 it was checked at.
An item with any problem, a warning included, is checked again every run,
and ids that collide (`duplicate_ids`) are looked for over all paths every run.

The file is a pickle of plain data (strings, tuples, one dict) read with an
unpickler that refuses every class and function, so a planted file cannot run
code; a missing, corrupt, foreign or out-of-date file means a full check, never
an error, and so does one that cannot be written. It is loaded once per run and
written (whole, atomically) only when an entry changed.

A cache hit reads the item's bytes and hashes the files it names, nothing more:
no YAML is parsed and no rule runs. When many items miss (a cold run), they are
checked in forked processes, each working mostly on its own run of consecutive
paths (`scan.in_runs`): the items of one folder name the same attachments, so
each attachment is opened by one process rather than by every one.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import operator
import pickle
import sys
import zlib
from dataclasses import dataclass, field, fields, replace
from datetime import datetime, timedelta, timezone, tzinfo
from pathlib import Path
from typing import Any, NamedTuple

from workflow.core.problems import Problem
from workflow.core.publication import Candidate, candidate
from workflow.core.rules import duplicate_ids
from workflow.core.structure import Office
from workflow.core.validate import Context
from workflow.edges.checking.items import check_path, context, default_jobs, in_runs, is_pending
from workflow.edges.files.atomic import write_file
from workflow.edges.files.repository import Repository, schema_folder, schema_names
from workflow.edges.kept import PlainUnpickler, code_digest, library_versions

CACHE_FILE = "gate-cache.pickle"
CACHE_VERSION = 1
# The libraries whose behaviour a verdict depends on (YAML, schemas, PDPA patterns, PDF/image/ZIP reading).
LIBRARIES = ("PyYAML", "jsonschema", "jsonschema-rs", "pypdf", "pillow", "phonenumbers", "python-stdnum")

FileDeps = tuple[tuple[str, str | None], ...]  # (ref, sha256 of content/<ref> or None), sorted
IdDeps = tuple[tuple[str, bool], ...]  # (item id, existed), sorted


@dataclass
class Gate:
    office: Office | None
    problems: list[Problem]  # repository-level first, then per item in path order (as Scan.problems)
    candidates: list[Candidate]  # one per item path, in path order (none when office.yml is broken)
    pending: list[str]  # paths of items not yet fully signed
    cached: int = 0  # items whose verdict came from the cache
    checked: list[str] = field(default_factory=list)  # paths checked this run (not from the cache)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


class Verdict(NamedTuple):
    """What a worker sends back for one item: never the parsed item."""

    path: str
    problems: tuple[Problem, ...]
    pending: bool
    candidate: Candidate
    files: FileDeps = ()  # what the check read besides the item (kept only for a clean verdict)
    ids: IdDeps = ()


class _Entry(NamedTuple):
    source: str  # sha256 of the item file's bytes
    files: FileDeps
    ids: IdDeps
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


class _Trace:
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

    def start(self) -> None:
        self.files = {}
        self.ids.seen = {}


def _verdict(repo: Repository, ctx: Context, trace: _Trace, path: str) -> Verdict:
    trace.start()
    result, raw = check_path(repo, ctx, path)
    found = candidate(
        result, source=hashlib.sha256(raw).hexdigest() if raw is not None else "", file_hash=repo.file_hash
    )
    if result.problems:
        return Verdict(path, result.problems, is_pending(result), found)
    return Verdict(
        path, (), is_pending(result), found, tuple(sorted(trace.files.items())), tuple(sorted(trace.ids.seen.items()))
    )


def run_gate(repo: Repository, now: datetime, *, cache_dir: Path | None = None, jobs: int | None = None) -> Gate:
    """Check every item with the publish gate's safety checks; `cache_dir` None: no cache.

    `jobs`: processes for the items not answered from the cache (default: fork when they are many).
    """
    office_raw = repo.office_bytes()
    office, office_problems = repo.office(office_raw)
    if office is None or any(p.severity == "error" for p in office_problems):
        return Gate(None, office_problems, [], [])
    every = repo.item_paths()
    ctx = context(repo, office, now, every, publish=False, safety=True)
    ids = ctx.item_ids
    trace = _Trace(repo, ids)
    ctx = replace(ctx, file_hash=trace.file_hash, item_ids=trace.ids)
    repo_problems = office_problems + duplicate_ids(every)

    key = _run_key(repo, office_raw) if cache_dir is not None else ""
    entries = _load(cache_dir / CACHE_FILE, key) if cache_dir is not None else {}
    verdicts: dict[str, Verdict] = {}
    for path in every:
        entry = entries.get(path)
        if entry is not None and _holds(repo, ids, path, entry, now):
            verdicts[path] = Verdict(path, (), entry.pending, entry.candidate, entry.files, entry.ids)
    cached = len(verdicts)
    misses = [p for p in every if p not in verdicts]
    if jobs is None:
        jobs = default_jobs(len(misses))
    work = functools.partial(_verdict, repo, ctx, trace)
    # In runs of consecutive paths when forked: items of one folder name the same attachments.
    fresh = [work(p) for p in misses] if jobs < 2 or len(misses) < jobs else in_runs(work, misses, jobs)
    verdicts.update((v.path, v) for v in fresh)

    ordered = [verdicts[p] for p in every]
    if cache_dir is not None:
        _keep(cache_dir / CACHE_FILE, key, entries, fresh, ordered, now)
    problems = list(repo_problems)
    for v in ordered:
        problems.extend(v.problems)
    return Gate(
        office, problems, [v.candidate for v in ordered], [v.path for v in ordered if v.pending], cached, misses
    )


def _keep(
    path: Path, key: str, entries: dict[str, _Entry], fresh: list[Verdict], ordered: list[Verdict], now: datetime
) -> None:
    """Write the clean verdicts of this run (paths gone or no longer clean drop out), unless nothing changed."""
    checked = {v.path for v in fresh}
    kept = {
        v.path: _Entry(v.candidate.source, v.files, v.ids, now, v.pending, v.candidate)
        if v.path in checked
        else entries[v.path]
        for v in ordered
        if not v.problems
    }
    if any(not v.problems for v in fresh) or kept.keys() != entries.keys():
        _save(path, key, kept)


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


def _run_key(repo: Repository, office_raw: bytes) -> str:
    """One digest of everything every verdict depends on, besides the item and what it names."""
    sha = hashlib.sha256(f"khaosan-gate {CACHE_VERSION} publish=False safety=True\n".encode())
    sha.update(f"python {sys.version} {sys.platform}\n".encode())
    sha.update(_libraries().encode())
    sha.update(code_digest().encode())
    sha.update(b"office.yml\0" + hashlib.sha256(office_raw).digest())
    folder = schema_folder(repo.root)
    for name in schema_names():
        sha.update(f"schemas/{name}\0".encode() + hashlib.sha256((folder / name).read_bytes()).digest())
    return sha.hexdigest()


def _libraries() -> str:
    import yaml

    return library_versions(LIBRARIES) + (
        f"libyaml={getattr(yaml, '__with_libyaml__', None)} zlib={zlib.ZLIB_RUNTIME_VERSION}\n"
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


def _load(path: Path, key: str) -> dict[str, _Entry]:
    """The entries of the cache file when it was written for this exact `key`; else none."""
    try:
        data = PlainUnpickler(io.BytesIO(path.read_bytes())).load()  # no class at all
        if not (
            isinstance(data, tuple)
            and len(data) == 3
            and data[0] == CACHE_VERSION
            and data[1] == key
            and isinstance(data[2], dict)
        ):
            return {}
        return {path: _entry_in(path, value) for path, value in data[2].items()}
    except Exception:  # missing, unreadable, truncated, foreign: a full check, never an error
        return {}


def _save(path: Path, key: str, entries: dict[str, _Entry]) -> None:
    stored = {}
    for p, entry in entries.items():
        with contextlib.suppress(TypeError):  # a time with a zone other than a fixed offset: not kept
            stored[p] = _entry_out(entry)
    data = (CACHE_VERSION, key, stored)
    with contextlib.suppress(OSError):  # a read-only or full disk costs the next run time, not this run
        write_file(path, pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))
