"""The repository on disk: where it is, which item files it has, their bytes.

The only module that reads content from disk; everything it returns is plain
data for the core.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from workflow.core.ita import LIST_FOLDER
from workflow.core.office import OFFICE_FILE
from workflow.core.problems import CODES, Problem
from workflow.core.schema import COMMON, SCHEMA_FILES, Schemas
from workflow.core.structure import Office, is_item_path, item_id_for
from workflow.core.validate import check_office
from workflow.errors import KhaosanError

CONTENT = "content"
ASSET_DIRS = ("files", "images")
PACKAGE_ROOT = Path(__file__).resolve().parents[3]
MAX_READ = 16 * 1024 * 1024  # an item file is at most 1 MiB (KS009): never hold more than this of a hostile one


class UnsafeFile(KhaosanError):
    """An item path that is not a regular file inside the repository (a symlink out, a FIFO, a device)."""

    def __init__(self, rel: str, why: str) -> None:
        super().__init__("KS731", f"{rel}: {why}", "ไฟล์รายการต้องเป็นไฟล์จริงใต้ content/ ไม่ใช่ลิงก์ไปที่อื่น")
        self.rel = rel
        self.why = why


def find_root(start: Path | None = None) -> Path:
    """The nearest folder upward holding office.yml."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / OFFICE_FILE).is_file():
            return folder
    raise KhaosanError(
        "KS404", f"ไม่พบ {OFFICE_FILE} ใน {here} หรือโฟลเดอร์ที่อยู่เหนือขึ้นไป", "รันคำสั่งในโฟลเดอร์ของคลังข้อมูล หรือระบุ --root"
    )


def schema_folder(root: Path) -> Path:
    """The repository's `schemas/` when it has one, else the folder shipped with Khaosan."""
    return root / "schemas" if (root / "schemas" / COMMON).is_file() else PACKAGE_ROOT / "schemas"


def schema_file(root: Path, name: str) -> Path:
    """One schema file: the repository's own where its `schemas/` has it, else Khaosan's (a folder copied
    from an earlier Khaosan lacks the files added since, such as ita.schema.json)."""
    own = schema_folder(root) / name
    return own if own.is_file() else PACKAGE_ROOT / "schemas" / name


def _upgraded(own: dict[str, Any], shipped: dict[str, Any]) -> dict[str, Any]:
    """A repository's schema file over Khaosan's, key by key: its fields and definitions win (its labels),
    and those added to Khaosan since the file was copied (`complaint_statistics`, `$defs/procurement_entry`)
    come from Khaosan's, so an upgrade never meets a file that lacks what the code reads."""
    merged = dict(own)
    for section in ("properties", "$defs"):
        mine = own.get(section, {})
        if isinstance(mine, dict):
            merged[section] = {**shipped.get(section, {}), **mine}
    return merged


def schema_names() -> tuple[str, ...]:
    """The files of the schema folder that are read (common first)."""
    return (COMMON, *SCHEMA_FILES.values())


def ita_folder(root: Path) -> Path:
    """The repository's `data/ita/` (the OIT lists it edits) when it has one, else the lists shipped with Khaosan."""
    own = root / LIST_FOLDER
    return own if own.is_dir() else PACKAGE_ROOT / LIST_FOLDER


MAX_LIST = 1024 * 1024  # an OIT list is a few kilobytes: never hold more of a hostile one


def ita_texts(root: Path) -> dict[str, bytes | None]:
    """Each OIT list file's bytes, keyed by its path as people see it (`data/ita/2569.yml`). A symlink
    (it could point anywhere on the machine), a FIFO or a file over 1 MiB is None, never read: the
    list's check refuses it on its own file (KS255)."""
    folder = ita_folder(root)
    if not folder.is_dir():
        return {}
    found = {}
    for path in sorted(folder.iterdir()):
        if path.suffix != ".yml":
            continue
        mode = path.lstat().st_mode
        regular = stat.S_ISREG(mode) and path.lstat().st_size <= MAX_LIST
        found[f"{LIST_FOLDER}/{path.name}"] = path.read_bytes() if regular else None
    return found


# The libraries whose versions a gate verdict depends on (YAML, schemas, PDF and image insides, phones, IDs)
GATE_LIBRARIES = ("PyYAML", "jsonschema", "jsonschema-rs", "pypdf", "pillow", "phonenumbers", "python-stdnum")


def gate_inputs(root: Path, office_raw: bytes) -> list[tuple[str, bytes]]:
    """What every gate verdict depends on besides the item and the files it names: office.yml, the schema
    files in use (a repository's own are completed from Khaosan's, `_upgraded`) and the OIT lists an
    item's `ita:` is read against (labelled, for `kept.run_key`)."""
    shipped = PACKAGE_ROOT / "schemas"
    own = schema_folder(root) != shipped  # then Khaosan's files complete the repository's: both count
    return [
        ("office.yml", office_raw),
        *((f"schemas/{name}", schema_file(root, name).read_bytes()) for name in schema_names()),
        *((f"khaosan/schemas/{name}", (shipped / name).read_bytes()) for name in schema_names() if own),
        *((name, data or b"") for name, data in ita_texts(root).items()),
    ]


def load_schemas(root: Path) -> Schemas:
    """Schemas from the repository's `schemas/`, else the ones shipped with Khaosan; with the OIT lists."""
    raw: dict[str, Any] = {}
    for name in schema_names():
        path = schema_file(root, name)
        try:
            raw[name] = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            where = path.relative_to(root) if path.is_relative_to(root) else path
            broken = f"{where} บรรทัด {exc.lineno}: ไฟล์ schema ไม่ใช่ JSON ที่ถูกต้อง ({exc.msg})"
            raise KhaosanError("KS950", broken, CODES["KS950"].hint) from None
        except (OSError, UnicodeDecodeError) as exc:
            raise KhaosanError("KS950", f"{path}: อ่านไฟล์ schema ไม่ได้ ({exc})", CODES["KS950"].hint) from None
        shipped = PACKAGE_ROOT / "schemas" / name
        if path != shipped and isinstance(raw[name], dict):
            raw[name] = _upgraded(raw[name], json.loads(shipped.read_text(encoding="utf-8")))
    texts: dict[str, str | None] = {}
    for name, data in ita_texts(root).items():
        try:
            texts[name] = data.decode("utf-8") if data is not None else None
        except UnicodeDecodeError:
            texts[name] = None  # refused on its own file (KS255)
    return Schemas(raw, texts)


@dataclass
class Repository:
    root: Path
    _hashes: dict[str, str | None] = field(default_factory=dict, repr=False)
    _paths: list[str] | None = field(default=None, repr=False)
    _content_real: str | None = field(default=None, repr=False)

    @cached_property
    def schemas(self) -> Schemas:
        return load_schemas(self.root)

    def office_bytes(self) -> bytes:
        return (self.root / OFFICE_FILE).read_bytes()

    def office(self, raw: bytes | None = None) -> tuple[Office | None, list[Problem]]:
        """office.yml (or `raw`, bytes already read from it) parsed and checked."""
        return check_office(self.office_bytes() if raw is None else raw, self.schemas)

    @property
    def content(self) -> Path:
        return self.root / CONTENT

    def rel(self, path: Path) -> str:
        return path.resolve().relative_to(self.root).as_posix()

    def item_paths(self) -> list[str]:
        """Every `.md` under content/ except the asset folders, sorted, repo-relative (listed once)."""
        if self._paths is None:
            self._paths = self._list_items()
        return list(self._paths)

    def _list_items(self) -> list[str]:
        found: list[str] = []
        content = str(self.content)
        if not os.path.isdir(content):
            return found
        cut = len(str(self.root)) + 1
        stack = [content]
        while stack:
            folder = stack.pop()
            with os.scandir(folder) as entries:
                for entry in entries:
                    if entry.is_dir(follow_symlinks=False):
                        if not (folder == content and entry.name in ASSET_DIRS) and not entry.name.startswith("."):
                            stack.append(entry.path)
                    elif is_item_path(rel := entry.path[cut:].replace(os.sep, "/")):  # asset folders never entered
                        found.append(rel)
        return sorted(found)

    def item_ids(self, paths: list[str] | None = None) -> frozenset[str]:
        """Ids of the items at `paths` (default: every item), for cross-references."""
        return frozenset(i for i in map(item_id_for, self.item_paths() if paths is None else paths) if i)

    def select(self, args: list[str]) -> list[str]:
        """Item paths named on the command line (files or folders); all when none."""
        every = self.item_paths()
        if not args:
            return every
        chosen: list[str] = []
        for arg in args:
            path = Path(arg)
            path = path if path.is_absolute() else Path.cwd() / path
            if not path.exists():
                raise KhaosanError("KS901", f"ไม่พบ {arg}")
            try:
                rel = self.rel(path)
            except ValueError:
                raise KhaosanError("KS901", f"{arg} อยู่นอกคลังข้อมูล {self.root}") from None
            if path.is_dir():
                prefix = "" if rel == "." else rel + "/"
                chosen.extend(p for p in every if p.startswith(prefix))
            elif rel == OFFICE_FILE:
                continue  # every command reads and checks office.yml anyway
            elif is_item_path(rel):  # the one rule: not an attachment or image named .md
                chosen.append(rel)
            else:
                raise KhaosanError("KS903", f"{arg} ไม่ใช่ไฟล์รายการ", f"ระบุไฟล์ .md ใต้ {CONTENT}/ หรือโฟลเดอร์ที่มีไฟล์เหล่านั้น")
        return list(dict.fromkeys(chosen))

    def read(self, rel: str) -> bytes:
        """An item file's bytes (at most MAX_READ); UnsafeFile when it leads outside the repository.

        Listing never enters symlinked folders, so only the file itself can be a link, and a link
        is refused wherever it points: what reviewers see on GitHub is the link, never the item.
        """
        path = os.path.join(self.root, rel)
        try:
            info = os.lstat(path)
        except FileNotFoundError:
            raise UnsafeFile(rel, "ไม่มีไฟล์นี้") from None
        if stat.S_ISLNK(info.st_mode):  # even to a file inside: GitHub shows a link, not the item, to reviewers
            raise UnsafeFile(rel, f"เป็นลิงก์ (symlink) ไปที่ {os.readlink(path)}")
        if not stat.S_ISREG(info.st_mode):
            raise UnsafeFile(rel, "ไม่ใช่ไฟล์ปกติ (เช่น FIFO หรืออุปกรณ์)")
        with open(path, "rb") as handle:  # read(n) would allocate n bytes up front: only for huge files
            return handle.read() if info.st_size < MAX_READ else handle.read(MAX_READ)

    def asset_path(self, ref: str) -> str | None:
        """The real path of content/<ref> when it is a regular file inside content/ reached through
        no symlink at all (a linked file is not what reviewers saw), else None."""
        if self._content_real is None:
            self._content_real = os.path.realpath(self.content) + os.sep
        resolved = os.path.realpath(os.path.join(self.content, ref))
        try:
            ok = resolved == self._content_real + os.path.normpath(ref) and stat.S_ISREG(os.stat(resolved).st_mode)
        except OSError:
            ok = False
        return resolved if ok else None

    def file_hash(self, ref: str) -> str | None:
        """sha256 hex of content/<ref>, None when it is missing or leaves content/."""
        if ref in self._hashes:
            return self._hashes[ref]
        digest: str | None = None
        resolved = self.asset_path(ref)
        try:
            if resolved is not None:
                sha = hashlib.sha256()
                with open(resolved, "rb") as handle:
                    for block in iter(lambda: handle.read(1 << 20), b""):
                        sha.update(block)
                digest = sha.hexdigest()
        except OSError:
            digest = None
        self._hashes[ref] = digest
        return digest
