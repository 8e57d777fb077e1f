"""Problems are values: a frozen record per finding, collected, then rendered once.

Every code is stable English (`KS…`) and carries a Thai message and a Thai hint
(what to do). The catalogue below is the single list of codes; the README's
table is generated from it (`khaosan codes`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Literal

Severity = Literal["error", "warning"]
Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Code:
    code: str
    message: str
    hint: str


def _catalogue(*codes: Code) -> dict[str, Code]:
    return {c.code: c for c in codes}


CODES: dict[str, Code] = _catalogue(
    # -- the file itself ---------------------------------------------------
    Code("KS001", "ไฟล์ไม่ได้เข้ารหัส UTF-8", "บันทึกไฟล์ใหม่เป็น UTF-8 (ในโปรแกรมแก้ไขเลือก Encoding: UTF-8)"),
    Code("KS002", "ไฟล์ขึ้นต้นด้วย BOM", "บันทึกไฟล์ใหม่เป็น UTF-8 แบบไม่มี BOM"),
    Code("KS003", "ไฟล์ใช้การขึ้นบรรทัดแบบ Windows (CRLF)", "ตั้งโปรแกรมแก้ไขให้ขึ้นบรรทัดแบบ LF แล้วบันทึกใหม่"),
    Code("KS004", "ใช้แท็บย่อหน้าในส่วนหัว YAML", "เปลี่ยนแท็บเป็นช่องว่าง 2 ช่อง (YAML ไม่รับแท็บ)"),
    Code("KS005", "ไฟล์มีอักขระ NUL หรือเป็นไฟล์ไบนารี", "ไฟล์ .md ต้องเป็นข้อความ ให้คัดลอกเนื้อหามาวางในไฟล์ใหม่"),
    Code("KS006", "ไฟล์ว่างเปล่า", "ใช้คำสั่ง khaosan new เพื่อสร้างไฟล์ตั้งต้น หรือลบไฟล์นี้"),
    Code("KS007", "ไม่มีส่วนหัว (front matter)", "บรรทัดแรกของไฟล์ต้องเป็น --- ตามด้วยข้อมูล YAML แล้วปิดด้วย ---"),
    Code("KS008", "ส่วนหัวไม่ได้ปิด", "เพิ่มบรรทัด --- หลังข้อมูล YAML ก่อนเนื้อหาข่าว"),
    Code("KS009", "ไฟล์ใหญ่เกินกำหนด", "แยกเนื้อหายาวเป็นไฟล์แนบ PDF ใต้ content/files/ แล้วอ้างถึงใน attachments"),
    Code("KS010", "ไวยากรณ์ YAML ผิด", "ตรวจเครื่องหมาย : การย่อหน้า และเครื่องหมายคำพูดในบรรทัดนี้"),
    Code("KS011", "ชื่อช่องซ้ำในส่วนหัว", "ลบช่องที่ซ้ำให้เหลือช่องเดียว"),
    Code("KS012", "ใช้ anchor/alias ของ YAML (& หรือ *)", "เขียนค่าเต็มแทนการอ้าง alias"),
    Code("KS013", "ส่วนหัวไม่ใช่ชุดข้อมูลแบบ ชื่อ: ค่า", "ส่วนหัวต้องเป็นบรรทัดแบบ ชื่อช่อง: ค่า เช่น title: ประชุมผู้บริหาร"),
    Code("KS014", "ค่า yes/no/on/off ไม่ชัดเจนใน YAML", "เขียน true หรือ false หรือใส่เครื่องหมายคำพูดถ้าหมายถึงข้อความ"),
    Code("KS015", "ส่วนหัวซ้อนลึกเกินไป", "ลดการซ้อนของข้อมูลในส่วนหัว"),
    Code("KS016", "ชื่อช่องต้องเป็นข้อความ", "ใช้ชื่อช่องตามแบบฟอร์ม เช่น title, approvals"),
    # -- schema -----------------------------------------------------------
    Code("KS101", "ขาดช่องที่ต้องกรอก", "เพิ่มช่องนี้ในส่วนหัว (ดูตัวอย่างจาก khaosan new)"),
    Code("KS102", "มีช่องที่ไม่รู้จัก", "ตรวจการสะกดชื่อช่อง หรือลบช่องนี้"),
    Code("KS103", "ชนิดของค่าไม่ถูกต้อง", "แก้ค่าให้เป็นชนิดที่ระบุ"),
    Code("KS104", "ค่าไม่อยู่ในรายการที่กำหนด", "เลือกค่าจากรายการที่ระบุ"),
    Code("KS105", "รูปแบบค่าไม่ถูกต้อง", "แก้ค่าตามรูปแบบที่ระบุ"),
    Code("KS106", "ค่าไม่ผ่านเงื่อนไขของแบบข้อมูล", "แก้ค่าตามเงื่อนไขที่ระบุ"),
    Code("KS107", "ไม่รู้จักชนิดรายการ (type)", "ใช้ type: news, disclosure หรือ clipping"),
    # -- rules no schema can say -----------------------------------------
    Code("KS201", "ไม่รู้จักรหัสบุคคลนี้", "เพิ่มบุคคลใน office.yml หรือแก้รหัสให้ตรงกับรายชื่อ"),
    Code("KS202", "ไม่รู้จักรหัสกลุ่มนี้", "ใช้รหัสกลุ่มจาก office.yml"),
    Code("KS203", "วันเวลาไม่ถูกต้อง", "เขียนแบบ 2026-11-20T12:00:00+07:00"),
    Code("KS204", "category_other ไม่สอดคล้องกับ category",
         "ใส่ category_other เฉพาะเมื่อ category: other และต้องใส่ทุกครั้งที่เป็น other"),
    Code("KS205", "เวลาเสร็จกิจกรรมอยู่ก่อนเวลาเริ่ม", "แก้ event.ends_at ให้ไม่ก่อน event.starts_at"),
    Code("KS206", "ข่าวประเภทนี้ต้องมีเวลาของกิจกรรม", "เพิ่ม event: พร้อม starts_at และ ends_at เพื่อคำนวณมาตรฐานเวลา"),
    Code("KS207", "ไม่พบไฟล์ที่อ้างถึง", "วางไฟล์ไว้ใต้ content/ ตามที่อยู่ที่ระบุ หรือแก้ที่อยู่ให้ถูก"),
    Code("KS208", "ข้อความที่อ้างอิงจากที่อื่นไม่ระบุแหล่งที่มา", "เพิ่ม sources: พร้อมชื่อแหล่งที่มา (ประกาศข้อ 7.3)"),
    Code("KS209", "รหัสรายการซ้ำกัน", "เปลี่ยนชื่อไฟล์ให้ไม่ซ้ำกับรายการอื่น"),
    Code("KS210", "ชื่อไฟล์หรือที่อยู่ไฟล์ไม่เป็นไปตามแบบ", "ตั้งชื่อไฟล์เป็นอักษรอังกฤษตัวเล็ก ตัวเลข และ - ลงท้าย .md"),
    Code("KS211", "ไฟล์อยู่ผิดโฟลเดอร์สำหรับชนิดหรือหมวดของรายการ", "ย้ายไฟล์ไปโฟลเดอร์ที่ระบุ"),
    Code("KS212", "เวลาอยู่ในอนาคต", "ตรวจวันเวลาและปี ค.ศ. (ไม่ใช่ พ.ศ.)"),
    Code("KS213", "อ้างถึงรายการที่ไม่มีอยู่", "แก้รหัสรายการให้ตรงกับไฟล์ใต้ content/"),
    # -- sign-offs ----------------------------------------------------------
    Code("KS301", "ผู้ลงนามไม่มีสิทธิ์ลงนามขั้นนี้", "ให้ผู้มีสิทธิ์ตามที่ระบุเป็นผู้ลงนาม"),
    Code("KS302", "ลงนามรับรองรายการของตนเอง", "ให้ผู้อื่นที่มีสิทธิ์เป็นผู้ลงนาม"),
    Code("KS303", "ลงนามข้ามขั้น", "ลงนามขั้นก่อนหน้าให้ครบก่อน"),
    Code("KS304", "การลงนามล้าสมัย: เนื้อหาเปลี่ยนหลังลงนาม", "ให้ผู้ลงนามตรวจเนื้อหาใหม่แล้วลงนามอีกครั้ง (khaosan approve)"),
    Code("KS305", "ยังลงนามไม่ครบ", "รอการลงนามจากผู้มีสิทธิ์ตามที่ระบุ ก่อนเผยแพร่"),
    Code("KS306", "ลงนามก่อนเวลาที่ขอหรือจัดทำรายการ", "ตรวจเวลาที่ลงนาม"),
    Code("KS307", "ขั้นการลงนามนี้ไม่ใช้กับรายการชนิดนี้",
         "ใช้ขั้นตามชนิดรายการ: ข่าว facts แล้ว check; ข้อมูลเผยแพร่ content แล้ว permit; ข่าวจากสื่อ check"),
    Code("KS308", "ผู้สั่งเผยแพร่ด่วนไม่มีสิทธิ์", "ให้รองผู้อำนวยการ ผู้อำนวยการ หรือ ผอ.กลุ่มอำนวยการเป็นผู้สั่ง"),
    Code("KS309", "เผยแพร่ด่วนโดยยังลงนามไม่ครบ", "บันทึกการลงนามที่ขาดเมื่อผู้มีสิทธิ์ลงนามได้"),
    # -- office.yml -------------------------------------------------------
    Code("KS401", "รหัสซ้ำใน office.yml", "ใช้รหัสที่ไม่ซ้ำกัน"),
    Code("KS402", "อ้างถึงกลุ่มที่ไม่มีใน office.yml", "เพิ่มกลุ่มใน groups หรือแก้รหัสกลุ่ม"),
    Code("KS403", "ไม่มีผู้อำนวยการใน office.yml", "เพิ่มบุคคลที่มีบทบาท director"),
    Code("KS404", "ไม่พบ office.yml", "รันคำสั่งในโฟลเดอร์ของคลังข้อมูล หรือสร้าง office.yml"),
    # -- using the commands -------------------------------------------------
    Code("KS901", "ไม่พบไฟล์หรือโฟลเดอร์", "ตรวจที่อยู่ที่พิมพ์ (นับจากโฟลเดอร์ของคลังข้อมูล)"),
    Code("KS902", "มีไฟล์นี้อยู่แล้ว จะไม่เขียนทับ", "ใช้ --slug ตั้งชื่อไฟล์ใหม่"),
    Code("KS903", "ค่าที่สั่งไม่ถูกต้อง", "ดูวิธีใช้ด้วย khaosan <คำสั่ง> --help"),
    Code("KS904", "แก้ไขไฟล์อย่างปลอดภัยไม่ได้", "เพิ่มการลงนามด้วยมือตามรูปแบบใน README แล้วรัน khaosan check"),
    Code("KS905", "สร้างเว็บไซต์ไม่สำเร็จ เว็บไซต์เดิมยังอยู่ครบ", "แก้ตามข้อความด้านบนแล้วสั่ง khaosan build อีกครั้ง"),
)


@dataclass(frozen=True)
class Problem:
    """One finding about one file: where, which rule, what to do."""

    code: str
    path: str
    line: int = 1
    column: int = 1
    detail: str = ""
    hint: str = ""
    severity: Severity = "error"
    where: Path | None = field(default=None, compare=False)  # front matter keys; None: line is given

    @property
    def message(self) -> str:
        base = CODES[self.code].message
        return f"{base}: {self.detail}" if self.detail else base

    @property
    def fix(self) -> str:
        return self.hint or CODES[self.code].hint

    def at(self, line: int, column: int) -> Problem:
        return replace(self, line=line, column=column)


def problem(code: str, path: str, *, detail: str = "", hint: str = "", where: Path | None = None,
            line: int = 1, column: int = 1, severity: Severity = "error") -> Problem:
    if code not in CODES:  # a programming error, not a content error
        raise KeyError(code)
    return Problem(code, path, line, column, detail, hint, severity, where)
