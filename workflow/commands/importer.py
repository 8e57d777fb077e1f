"""`khaosan import wordpress EXPORT.xml [--uploads DIR] [--map FILE]` and
`khaosan import feed FEED.xml [--uploads DIR] [--map FILE]`: the office's earlier
website brought in as news items, each a file as `khaosan new` would write it.

Nothing is asked beyond the file: who wrote the posts and what kind of news they
are default from office.yml and are printed; an office that wants otherwise
writes a small mapping file (docs/import.md). Nothing is fetched from the network,
nothing is replaced (a second run reports what is already there), nothing is
signed: the report ends with what a person does next.

(The module is `importer`: `import` is a Python keyword; cli.py maps the verb.)
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from workflow.commands.common import add_common, now_of, repository
from workflow.core import yamlparse
from workflow.core.htmlbody import Note
from workflow.core.imported import (
    SOURCE_NAMES,
    Choices,
    MappingError,
    Plan,
    Planned,
    Site,
    choices_for,
    internal_links,
    item_text,
    plan,
    site_label,
)
from workflow.core.problems import CODES
from workflow.core.structure import Office
from workflow.core.thaitime import format_date, format_datetime
from workflow.core.wordpress import Export, XmlRefused, read_feed, read_wordpress
from workflow.edges.files.importing import Uploads, create_item, read_bounded, uploads_folder
from workflow.edges.files.repository import Repository
from workflow.errors import EXIT_OK, KhaosanError

HELP = "นำเข้าข่าวจากเว็บไซต์เดิม (ไฟล์ส่งออกของ WordPress หรือฟีด RSS/Atom)"
EPILOG = (
    "ไฟล์จับคู่ (--map) เป็น YAML เช่น  authors: {admin: somchai.p}  "
    "categories: {ข่าวนโยบาย: {plan: policy, topic_group: policy}}  defaults: {format: photo}"
)
STATE_SAID = {
    "earlier": "เผยแพร่บนเว็บไซต์เดิม {when}",
    "after-adoption": "เผยแพร่บนเว็บไซต์เดิม {when} หลังวันเริ่มใช้ระบบ: นำเข้าโดยไม่มี earlier_site ต้องลงนามตามปกติ",
    "draft": "ฉบับร่าง: ยังไม่เคยเผยแพร่",
    "scheduled": "ตั้งเวลาเผยแพร่ {when}: ไม่เผยแพร่ก่อนเวลานั้น (publish_at)",
}
NEXT_STEPS = (
    "ขั้นต่อไป:",
    "  1. ตรวจรายการที่นำเข้า: khaosan check content/news (และ khaosan check --publish ก่อนเผยแพร่: ข้อมูลส่วนบุคคล ไฟล์แนบ ลิงก์)",
    "  2. รายการที่นำเข้ายังไม่มีผู้ลงนาม จึงยังไม่ขึ้นเว็บไซต์: ผู้มีสิทธิ์ตรวจเนื้อหาแล้วลงนามทีละรายการ"
    " (ยืนยันข้อเท็จจริง แล้วตรวจสอบก่อนเผยแพร่) ด้วย khaosan approve หรือ Review → Approve ในคำขอบน GitHub",
    "  3. ส่งไฟล์เข้าคลังข้อมูลผ่านคำขอ (pull request) ตามปกติ",
)


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("import", help=HELP, description=HELP, epilog=EPILOG)
    parser.add_argument("source", choices=("wordpress", "feed"), help="wordpress: ไฟล์ส่งออก WXR; feed: ฟีด RSS หรือ Atom")
    parser.add_argument("file", type=Path, help="ไฟล์ .xml ที่ส่งออกหรือบันทึกจากเว็บไซต์เดิม")
    parser.add_argument("--uploads", type=Path, help="โฟลเดอร์ wp-content/uploads ที่คัดลอกจากเว็บไซต์เดิม (ภาพและเอกสาร)")
    parser.add_argument("--map", type=Path, help="ไฟล์ YAML จับคู่ผู้เขียนและหมวดของเว็บไซต์เดิม (ไม่บังคับ)")
    add_common(parser)
    parser.set_defaults(run=run)


def _export(source: str, path: Path) -> Export:
    data = read_bounded(path, "ไฟล์นำเข้า")
    try:
        return read_wordpress(data) if source == "wordpress" else read_feed(data)
    except XmlRefused as exc:
        raise KhaosanError(
            exc.code, f"{CODES[exc.code].message}: {path} ({exc.detail})", CODES[exc.code].hint
        ) from None


def _choices(office: Office, export: Export, path: Path | None) -> Choices:
    mapping = None
    if path is not None:
        try:
            text = read_bounded(path, "ไฟล์จับคู่").decode("utf-8")
            mapping = yamlparse.load(text)
        except UnicodeDecodeError:
            raise KhaosanError("KS235", f"{path}: ไม่ได้เข้ารหัส UTF-8", CODES["KS235"].hint) from None
        except yamlparse.FrontMatterError as exc:
            raise KhaosanError("KS235", f"{path} บรรทัด {exc.line + 1}: {exc}", CODES["KS235"].hint) from None
    try:
        return choices_for(office, export, mapping)
    except MappingError as exc:
        raise KhaosanError("KS235", f"{path}: {exc}", CODES["KS235"].hint) from None


def _office(args: argparse.Namespace) -> tuple[Office, Repository]:
    repo = repository(args)
    office, _problems = repo.office()
    if office is None:
        raise KhaosanError("KS903", "office.yml มีข้อผิดพลาด", "รัน khaosan check เพื่อดูรายละเอียด")
    if office.adopted is None:  # every earlier item's claim is held against it (KS220)
        raise KhaosanError(
            "KS220",
            "office.yml ไม่ได้ระบุวันเริ่มใช้ระบบ (office.adopted) จึงบอกไม่ได้ว่าโพสต์ใดเผยแพร่ก่อนใช้ระบบ",
            "เพิ่ม adopted: วันที่เริ่มใช้ Khaosan (เช่น 2026-11-01) ใต้ office: ใน office.yml แล้วสั่งนำเข้าอีกครั้ง",
        )
    return office, repo


def _said_of(planned: Planned, office: Office) -> str:
    when = planned.entry.when
    shown = format_datetime(when, digits=office.date_digits) if when is not None else ""
    return STATE_SAID[planned.state].format(when=shown)


def _header(export: Export, args: argparse.Namespace, office: Office, choices: Choices) -> None:
    version = f" WXR {export.version}" if export.version else ""
    print(f"นำเข้าจาก {SOURCE_NAMES[export.source]}{version}: {site_label(export)} {export.link}".rstrip())
    adopted = format_date(office.adopted, digits=office.date_digits) if office.adopted else ""
    print(f"สำนักงานเริ่มใช้ระบบ {adopted}: โพสต์ที่เผยแพร่ก่อนวันนั้นเก็บวันเผยแพร่เดิมไว้ใน earlier_site")
    if args.uploads is None:
        print("ไม่ได้ระบุ --uploads: ไม่นำภาพและเอกสารมา (ไม่ดึงจากอินเทอร์เน็ต)")
    print("ค่าที่เลือก" + (f" (ไฟล์จับคู่ {args.map})" if args.map else " (ไม่มีไฟล์จับคู่: ใช้ค่าเริ่มต้นจาก office.yml)") + ":")
    for line in choices.said:
        print(f"  {line}")


def _report(notes: Sequence[tuple[str, Note]], found: Plan, existing: Sequence[str]) -> None:
    """What could not be brought or was changed, item by item; then what each code means."""
    if not (notes or found.skipped or existing):
        return
    print("สิ่งที่นำมาไม่ได้หรือถูกเปลี่ยน:")
    by_item: dict[str, list[Note]] = {}
    for path, note in notes:
        by_item.setdefault(path, []).append(note)
    for path, said in by_item.items():
        print(f"  {path}")
        for note in said:
            print(f"    {note.code} {note.detail}")
    for skipped in found.skipped:
        print(f"  KS239 ไม่นำเข้า: {skipped.entry.title or skipped.entry.id} ({skipped.entry.link}): {skipped.why}")
    for path in existing:
        print(f"  KS238 มีอยู่แล้ว ไม่เขียนทับ: {path}")
    used = {n.code for _, n in notes} | ({"KS239"} if found.skipped else set()) | ({"KS238"} if existing else set())
    for code in sorted(used):
        print(f"  ({code} = {CODES[code].message} — {CODES[code].hint})")


def _write_all(
    found: Plan, site: Site, choices: Choices, office: Office, repo: Repository, uploads: Uploads
) -> tuple[int, list[str], list[tuple[str, Note]]]:
    """Each planned item written, unless its file is there already; what was noted on the way."""
    written = 0
    existing: list[str] = []
    notes: list[tuple[str, Note]] = []
    schema = repo.schemas.bundled["news"]
    internal = internal_links(site.export, found)
    for planned in found.items:
        target = repo.root / planned.path
        if target.exists() or target.is_symlink():
            existing.append(planned.path)
            continue
        place = uploads.placer(planned.be_year, planned.slug)
        result = item_text(planned, site, choices, office, schema, place, internal)
        if not create_item(target, result.text):
            existing.append(planned.path)
            continue
        written += 1
        print(f"  เขียน {planned.path} — {_said_of(planned, office)}")
        notes.extend((planned.path, note) for note in result.notes)
    return written, existing, notes


def run(args: argparse.Namespace) -> int:
    office, repo = _office(args)
    now = now_of(args)
    export = _export(args.source, args.file)
    choices = _choices(office, export, args.map)
    uploads = Uploads(uploads_folder(args.uploads), repo.content, office.attachments)
    _header(export, args, office, choices)
    assert office.adopted is not None
    found = plan(export, choices, office.adopted, now)
    written, existing, notes = _write_all(found, Site.of(export), choices, office, repo, uploads)
    _report(notes, found, existing)
    counts = {state: sum(1 for p in found.items if p.state == state) for state in STATE_SAID}
    print(
        f"สรุป: เขียนรายการใหม่ {written} รายการ, มีอยู่แล้ว {len(existing)}, ไม่นำเข้า {len(found.skipped)}"
        f"; เป็นฉบับร่าง {counts['draft']}, ตั้งเวลา {counts['scheduled']},"
        f" เผยแพร่หลังวันเริ่มใช้ระบบ {counts['after-adoption']};"
        f" คัดลอกไฟล์ {len(uploads.copied)} ไฟล์, ใช้ไฟล์เดิมที่มีอยู่ {len(uploads.reused)},"
        f" นำมาไม่ได้ {sum(1 for _, n in notes if n.code == 'KS236')}"
    )
    if written:
        print("\n".join(NEXT_STEPS))
    return EXIT_OK
