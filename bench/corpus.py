"""Build a synthetic, realistic Khaosan repository for benchmarking.

    python bench/corpus.py --n 10000 [--out DIR] [--seed 2569]
    python bench/corpus.py --self-check          # small corpus, must pass `khaosan check --publish`

The mix follows a real office: ~60 % news (all four news_types, each with its
event), ~30 % disclosures over all seven categories, ~10 % media clippings.
Bodies are Thai, 300-2,000 characters in several paragraphs. Front matter uses
every field the schemas allow (summary, event, channels, images with alt and
credit, attachments, sources, tags, webmaster, live_check, and on a few items
publish_at, urgent and withdrawn). Every item carries the sign-offs the rules
in workflow/core/signoffs.py require, by people from office.yml, with the
digest workflow/core/digest.py computes over the item and the real bytes of
the (small, shared) attachment and image files it names.

Deterministic: the same N and seed give byte-identical files. The files are
written with a small YAML emitter of our own (plain scalars where the strict
loader reads them back unchanged, JSON-quoted otherwise) and every front
matter is parsed back with workflow.core.yamlparse and compared to what was
meant, so a generator bug fails here rather than as a benchmark artefact.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import shutil
import subprocess
import sys
import tempfile
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parents[1]
if str(PROJECT) not in sys.path:
    sys.path.insert(0, str(PROJECT))

from workflow.core import digest as digests  # noqa: E402
from workflow.core import yamlparse  # noqa: E402
from workflow.core.thaitime import BANGKOK, be_year, format_date  # noqa: E402

NOW = "2026-11-25T12:00:00+07:00"
NOW_DT = datetime.fromisoformat(NOW)
# Items are spread over two fiscal years and a bit (FY 2568 to 2570), all before NOW.
SPAN_START = datetime(2024, 10, 1, tzinfo=BANGKOK)
SPAN_END = datetime(2026, 11, 20, tzinfo=BANGKOK)
DEFAULT_SEED = 2569
GENERATOR_VERSION = "1"  # bump when the output changes, so cached corpora are rebuilt

# ---------------------------------------------------------------- people ----


class People:
    """Who may do what, read from office.yml (never hard-coded ids)."""

    def __init__(self, office: dict[str, Any]) -> None:
        people = office["people"]
        self.by_id = {p["id"]: p for p in people}
        self.groups = {g["id"]: g["name"] for g in office["groups"]}
        self.short_name = office["office"]["short_name"]
        self.site_url = office["office"]["site_url"].rstrip("/")

        def has(p: dict[str, Any], role: str) -> bool:
            return role in p["roles"]

        self.executives = [p["id"] for p in people if has(p, "director") or has(p, "deputy-director")]
        self.director = next(p["id"] for p in people if has(p, "director"))
        self.deputies = [p["id"] for p in people if has(p, "deputy-director")]
        self.pr = [p["id"] for p in people if has(p, "pr-officer")]
        self.webmasters = [p["id"] for p in people if has(p, "webmaster")]
        self.group_director = {p["group"]: p["id"] for p in people if has(p, "group-director")}
        self.members: dict[str, list[str]] = {g: [] for g in self.groups}
        for p in people:
            self.members[p["group"]].append(p["id"])
        # news check: the admin group's director, a deputy, or the director
        self.checkers = [self.group_director["admin"], *self.executives]
        # a requester needs a group director other than themself (nobody signs their own)
        self.requesters = [
            p["id"]
            for p in people
            if (has(p, "staff") or has(p, "pr-officer")) and self.group_director.get(p["group"]) not in (None, p["id"])
        ]

    def group_of(self, person: str) -> str:
        return self.by_id[person]["group"]


# ------------------------------------------------------------ Thai text ----

SCHOOLS = [
    "บ้านหนองบัว",
    "บ้านโนนสว่าง",
    "บ้านห้วยทราย",
    "ชุมชนภูผาหมอก",
    "บ้านดอนแดง",
    "บ้านนาคำ",
    "อนุบาลภูผาหมอก",
    "บ้านป่าแดง",
    "บ้านโคกกลาง",
    "บ้านหนองแวง",
    "ชุมชนหมอกงาม",
    "บ้านนาดี",
    "บ้านท่าช้าง",
    "บ้านสร้างแก้ว",
    "บ้านหัวฝาย",
    "บ้านคำม่วง",
    "บ้านโนนทอง",
    "บ้านหนองไผ่",
]
PLACES = [
    "หอประชุมสำนักงานเขตพื้นที่การศึกษา",
    "ห้องประชุมภูผาหมอก ชั้น 2",
    "ห้องประชุมหมอกงาม",
    "ห้องประชุมกลุ่มนิเทศ ติดตามและประเมินผล",
    "หอประชุมโรงเรียนอนุบาลภูผาหมอก",
    "ห้องประชุมออนไลน์ผ่านระบบ Zoom",
    "ศาลากลางจังหวัดภูผาหมอก",
]
TOPICS = [
    "การยกระดับคุณภาพการศึกษา",
    "การอ่านออกเขียนได้ของนักเรียนชั้นประถมศึกษาปีที่ 1",
    "การพัฒนาทักษะการคิดวิเคราะห์",
    "ความปลอดภัยของนักเรียนในสถานศึกษา",
    "การจัดการเรียนรู้เชิงรุก (Active Learning)",
    "การประเมินคุณภาพภายในสถานศึกษา",
    "การใช้เทคโนโลยีดิจิทัลเพื่อการเรียนรู้",
    "การป้องกันยาเสพติดในสถานศึกษา",
    "การส่งเสริมสุขภาวะนักเรียน",
    "การบริหารงบประมาณอย่างโปร่งใส",
    "การพัฒนาครูด้วยชุมชนแห่งการเรียนรู้ทางวิชาชีพ",
    "โครงการอาหารกลางวันและนมโรงเรียน",
    "การลดภาระงานครู",
    "การทดสอบระดับชาติขั้นพื้นฐาน (O-NET)",
    "การรับนักเรียนปีการศึกษาใหม่",
    "การจัดการศึกษาพิเศษและเรียนรวม",
    "ลูกเสือ เนตรนารี และยุวกาชาด",
]
MEETINGS = [
    "การประชุมผู้บริหารสถานศึกษา",
    "การประชุมคณะกรรมการติดตาม ตรวจสอบ และประเมินผล",
    "การประชุมคณะกรรมการเขตพื้นที่การศึกษา",
    "การประชุมศึกษานิเทศก์",
    "การประชุมประธานกลุ่มโรงเรียน",
    "การประชุมคณะทำงานขับเคลื่อนนโยบาย",
    "การประชุมชี้แจงแนวทางการจัดสรรงบประมาณ",
]
OUTLETS = [
    ("หนังสือพิมพ์ภูผาหมอกรายวัน", "newspaper"),
    ("สถานีวิทยุกระจายเสียงแห่งประเทศไทย จังหวัดภูผาหมอก", "radio"),
    ("สถานีโทรทัศน์ช่องภูมิภาค", "tv"),
    ("ข่าวภูผาหมอกออนไลน์", "online"),
    ("เพจเฟซบุ๊ก คนภูผาหมอก", "social"),
    ("จดหมายข่าวสมาคมผู้ปกครอง", "other"),
    ("สำนักข่าวการศึกษาไทย", "online"),
    ("หนังสือพิมพ์ข่าวภาคอีสาน", "newspaper"),
]
CREDITS = [
    "งานประชาสัมพันธ์ สพป.ภูผาหมอก เขต 1",
    "กลุ่มนิเทศ ติดตามและประเมินผลการจัดการศึกษา",
    "โรงเรียนในสังกัด",
    "สำนักงานประชาสัมพันธ์จังหวัดภูผาหมอก",
    "หนังสือพิมพ์ภูผาหมอกรายวัน",
]

OPENERS = {
    "meeting": "วันที่ {date} {who} เป็นประธาน{meeting} ครั้งที่ {k}/{be} ณ {place} "
    "โดยมีผู้บริหารสถานศึกษา ผู้อำนวยการกลุ่ม และศึกษานิเทศก์เข้าร่วมประชุมจำนวน {n} คน",
    "inspection": "วันที่ {date} {who} พร้อมด้วยคณะ ลงพื้นที่ติดตามการจัดการเรียนการสอนและตรวจเยี่ยมโรงเรียน{school} "
    "เพื่อรับฟังปัญหาและให้กำลังใจครูและบุคลากรทางการศึกษา ตามนโยบาย{topic}",
    "press-conference": "วันที่ {date} {who} แถลงข่าว{topic} ณ {place} ต่อสื่อมวลชนในพื้นที่ "
    "เพื่อชี้แจงแนวทางการดำเนินงานและกำหนดการที่เกี่ยวข้องให้ประชาชนได้รับทราบ",
    "general": "{office} จัดกิจกรรม{topic} เมื่อวันที่ {date} ณ โรงเรียน{school} "
    "โดยได้รับความร่วมมือจากผู้ปกครอง ชุมชน และหน่วยงานที่เกี่ยวข้องเป็นอย่างดี",
}
SENTENCES = [
    "ในการนี้ ที่ประชุมได้รับทราบผลการดำเนินงานตามแผนปฏิบัติราชการประจำปีงบประมาณ พ.ศ. {be} ไตรมาสที่ {q}",
    "ประธานได้เน้นย้ำให้สถานศึกษาทุกแห่งดำเนินการเรื่อง{topic}อย่างต่อเนื่องและรายงานผลภายในกำหนด",
    "ทั้งนี้ สำนักงานเขตพื้นที่การศึกษาได้จัดทำแนวทางการดำเนินงานและแบบรายงานเผยแพร่ให้โรงเรียนในสังกัดทุกแห่งแล้ว",
    "โรงเรียน{school}ได้นำเสนอแนวปฏิบัติที่ดีในการจัดการเรียนรู้ ซึ่งสามารถเป็นต้นแบบให้กับโรงเรียนอื่นในกลุ่มเครือข่าย",
    "ผู้บริหารได้มอบหมายให้ศึกษานิเทศก์ติดตาม ให้คำแนะนำ และช่วยเหลือครูในการจัดกิจกรรมการเรียนรู้อย่างใกล้ชิด",
    "นอกจากนี้ ยังได้ชี้แจงปฏิทินการดำเนินงานในภาคเรียนที่ {term} ปีการศึกษา {be} ให้ผู้เกี่ยวข้องได้รับทราบ",
    "จากการติดตามพบว่านักเรียนมีพัฒนาการที่ดีขึ้นร้อยละ {pct} เมื่อเทียบกับผลการประเมินในปีที่ผ่านมา",
    "ครูและบุคลากรทางการศึกษาจำนวน {n} คนเข้าร่วมการอบรมเชิงปฏิบัติการ และได้รับเกียรติบัตรเมื่อผ่านการประเมิน",
    "คณะกรรมการได้พิจารณาข้อเสนอแนะจากสถานศึกษาและมีมติให้ปรับปรุงแนวทางให้สอดคล้องกับบริบทของพื้นที่",
    "สำหรับงบประมาณที่ได้รับจัดสรรจำนวน {money} บาท จะใช้ในการพัฒนาคุณภาพผู้เรียนและปรับปรุงสภาพแวดล้อมในโรงเรียน",
    "ผู้ปกครองและคณะกรรมการสถานศึกษาขั้นพื้นฐานให้ความร่วมมือเป็นอย่างดีและพร้อมสนับสนุนการดำเนินงาน",
    "การดำเนินงานดังกล่าวเป็นไปตามนโยบายของกระทรวงศึกษาธิการและสำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน",
    "ในช่วงบ่าย คณะได้เยี่ยมชมห้องเรียน ห้องสมุด และโรงอาหาร พร้อมพูดคุยกับนักเรียนเรื่องความเป็นอยู่",
    "ที่ประชุมได้ร่วมกันแลกเปลี่ยนเรียนรู้ปัญหาและอุปสรรค พร้อมเสนอแนวทางแก้ไขที่เป็นรูปธรรม",
    "สำนักงานเขตพื้นที่การศึกษาขอขอบคุณทุกภาคส่วนที่ให้การสนับสนุนการจัดการศึกษาของเด็กและเยาวชนในพื้นที่",
    "ผู้สนใจสามารถติดตามรายละเอียดเพิ่มเติมได้ทางเว็บไซต์และเพจเฟซบุ๊กของสำนักงาน",
    "โรงเรียนที่ได้รับรางวัลระดับดีเด่นจำนวน {k} โรงเรียนจะได้รับโล่และเกียรติบัตรในพิธีมอบรางวัลประจำปี",
    "กลุ่มนิเทศ ติดตามและประเมินผลการจัดการศึกษาจะสรุปผลการดำเนินงานและรายงานต่อผู้บริหารภายในสิ้นเดือน",
    "ผลการทดสอบความสามารถด้านการอ่านของนักเรียนชั้นประถมศึกษาปีที่ {k} มีคะแนนเฉลี่ยสูงกว่าระดับประเทศ",
    "ทั้งนี้ ได้กำชับให้ทุกโรงเรียนดูแลความปลอดภัยของนักเรียนทั้งในและนอกสถานศึกษา โดยเฉพาะในช่วงฤดูฝน",
]
QUOTES = [
    "การศึกษาที่มีคุณภาพเริ่มต้นจากครูที่มีความสุขและนักเรียนที่ได้เรียนรู้อย่างมีความหมาย",
    "เราจะทำงานร่วมกับโรงเรียนทุกแห่งเพื่อให้เด็กทุกคนอ่านออกเขียนได้ตั้งแต่ชั้นประถมศึกษาปีที่ 1",
    "ความโปร่งใสในการใช้งบประมาณเป็นหัวใจของการบริหารราชการที่ประชาชนไว้วางใจ",
]
ALTS = ["ผู้บริหารกล่าวเปิดงาน", "ผู้เข้าร่วมประชุม", "นักเรียนร่วมกิจกรรม", "คณะตรวจเยี่ยมห้องเรียน"]
HEADINGS = ["ประเด็นสำคัญ", "ผลการดำเนินงาน", "ข้อสั่งการของผู้บริหาร", "แนวทางต่อไป", "รายละเอียดเพิ่มเติม"]
BULLETS = [
    "ให้สถานศึกษารายงานผลภายในวันที่ {d} ของเดือน",
    "จัดทำแผนพัฒนาคุณภาพการศึกษาให้แล้วเสร็จ",
    "ส่งรายชื่อผู้เข้าร่วมอบรมผ่านระบบสารบรรณอิเล็กทรอนิกส์",
    "ตรวจสอบความปลอดภัยของอาคารเรียน",
    "ประสานผู้ปกครองเพื่อติดตามนักเรียนที่ขาดเรียนต่อเนื่อง",
]
DISCLOSURE_SUBJECTS = {
    "organization": [
        "โครงสร้างการบริหารงาน{office}",
        "อำนาจหน้าที่ของกลุ่มงานใน{office}",
        "ทำเนียบผู้บริหาร{office}",
        "ข้อมูลการติดต่อหน่วยงาน{office}",
    ],
    "policy-strategy": [
        "นโยบายและจุดเน้นของ{office} ปีงบประมาณ พ.ศ. {be}",
        "ยุทธศาสตร์การพัฒนาการศึกษาระยะ 5 ปี",
        "แผนพัฒนาการศึกษาขั้นพื้นฐาน พ.ศ. {be} - {be4}",
    ],
    "action-plan": [
        "แผนปฏิบัติราชการประจำปีงบประมาณ พ.ศ. {be}",
        "รายงานผลการดำเนินงานตามแผนปฏิบัติราชการ รอบ 6 เดือน",
        "รายงานผลการดำเนินงานตามแผนปฏิบัติราชการ รอบ 12 เดือน",
        "แผนการใช้จ่ายงบประมาณประจำปี พ.ศ. {be}",
    ],
    "procurement": [
        "ประกาศเชิญชวนจ้างซ่อมแซมอาคารเรียน โรงเรียน{school}",
        "แผนการจัดซื้อจัดจ้างประจำปีงบประมาณ พ.ศ. {be}",
        "สรุปผลการจัดซื้อจัดจ้างประจำเดือน{month} {be}",
        "ร่างขอบเขตของงาน (TOR) จัดซื้อครุภัณฑ์คอมพิวเตอร์",
        "ประกาศผู้ชนะการเสนอราคาจ้างปรับปรุงห้องน้ำนักเรียน",
    ],
    "work-manual": [
        "คู่มือการปฏิบัติงานด้านการเงินและบัญชี",
        "คู่มือการปฏิบัติงานการบริหารงานบุคคล",
        "คู่มือการปฏิบัติงานพัสดุ",
        "คู่มือการปฏิบัติงานสารบรรณอิเล็กทรอนิกส์",
    ],
    "service-standard": [
        "มาตรฐานการให้บริการขอหนังสือรับรองเงินเดือน",
        "ขั้นตอนการขออนุญาตลาศึกษาต่อ",
        "มาตรฐานการให้บริการขอเบิกค่ารักษาพยาบาล",
        "ขั้นตอนการขอย้ายข้าราชการครู",
    ],
    "other": [
        "รายงานการประเมินความเสี่ยงการทุจริต ประจำปี พ.ศ. {be}",
        "มาตรการส่งเสริมคุณธรรมและความโปร่งใส",
        "รายงานสถิติการให้บริการข้อมูลข่าวสาร ประจำปี {be}",
        "ประกาศเจตจำนงสุจริตของผู้บริหาร",
    ],
}
OTHER_TOPICS = ["การประเมินคุณธรรมและความโปร่งใส (ITA)", "การป้องกันการทุจริต", "สถิติการให้บริการ"]
CATEGORY_GROUPS = {  # which group usually asks to publish what
    "organization": ["admin", "personnel"],
    "policy-strategy": ["policy"],
    "action-plan": ["policy", "finance"],
    "procurement": ["finance"],
    "work-manual": ["finance", "personnel", "ict", "admin"],
    "service-standard": ["personnel", "promotion", "finance"],
    "other": ["policy", "supervision", "ict", "promotion"],
}
CATEGORY_FILE_PREFIX = {
    "organization": "org",
    "policy-strategy": "policy",
    "action-plan": "plan",
    "procurement": "proc",
    "work-manual": "manual",
    "service-standard": "service",
    "other": "other",
}

# ------------------------------------------------------- YAML emission ----

_UNSAFE_FIRST = set("-?:,[]{}#&*!|>'\"%@` ")
_CORE = re.compile(
    r"^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE|[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+"
    r"|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
)


def _scalar(value: Any, flow: bool = False) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    text = str(value)
    plain = (
        text
        and text == text.strip()
        and text[0] not in _UNSAFE_FIRST
        and "\n" not in text
        and ": " not in text
        and " #" not in text
        and not text.endswith(":")
        and not _CORE.match(text)
        and not (flow and any(c in text for c in ",[]{}"))
    )
    return text if plain else json.dumps(text, ensure_ascii=False)


def _emit(key: str, value: Any, indent: int, out: list[str]) -> None:
    pad = " " * indent
    if isinstance(value, dict):
        out.append(f"{pad}{key}:")
        for k, v in value.items():
            _emit(k, v, indent + 2, out)
    elif isinstance(value, list):
        if not value:
            out.append(f"{pad}{key}: []")
        elif all(not isinstance(v, (dict, list)) for v in value):
            out.append(f"{pad}{key}: [" + ", ".join(_scalar(v, flow=True) for v in value) + "]")
        else:
            out.append(f"{pad}{key}:")
            for entry in value:
                first = True
                for k, v in entry.items():
                    lead = f"{pad}  - " if first else f"{pad}    "
                    if isinstance(v, (dict, list)):
                        raise ValueError("nested containers in list entries are not generated")
                    out.append(f"{lead}{k}: {_scalar(v)}")
                    first = False
    else:
        out.append(f"{pad}{key}: {_scalar(value)}")


# A valid 1x1 JPEG (SOI, APP0, DQT, SOF0, DHT, SOS, EOI) with `filler` in COM segments before its scan.
_JPEG_HEAD = bytes.fromhex(
    "ffd8ffe000104a46494600010100000100010000ffdb004300080606070605080707070909080a0c140d0c0b0b0c1912130f14"
    "1d1a1f1e1d1a1c1c20242e2720222c231c1c2837292c30313434341f27393d38323c2e333432ffc0000b080001000101011100"
    "ffc4001f0000010501010101010100000000000000000102030405060708090a0bffc400b51000020103030204030505040400"
    "00017d01020300041105122131410613516107227114328191a1082342b1c11552d1f02433627282090a161718191a25262728"
    "292a3435363738393a434445464748494a535455565758595a636465666768696a737475767778797a838485868788898a9293"
    "9495969798999aa2a3a4a5a6a7a8a9aab2b3b4b5b6b7b8b9bac2c3c4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae1e2e3e4e5e6e7e8"
    "e9eaf1f2f3f4f5f6f7f8f9faffda0008010100003f00fbd3ffd9"
)


def tiny_jpeg(filler: bytes) -> bytes:
    scan = _JPEG_HEAD.index(b"\xff\xda")
    comments = b"".join(
        b"\xff\xfe" + (len(chunk) + 2).to_bytes(2, "big") + chunk
        for chunk in (filler[i : i + 60000] for i in range(0, len(filler), 60000))
    )
    return _JPEG_HEAD[:scan] + comments + _JPEG_HEAD[scan:]


def tiny_pdf(filler: bytes) -> bytes:
    """A valid one-page PDF with `filler` (as hex, in a comment) to reach a realistic size."""
    out = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n%" + filler.hex().encode()[: len(filler)] + b"\n"
    offsets = []
    for number, body in enumerate(
        (
            b"<</Type/Catalog/Pages 2 0 R>>",
            b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
            b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>",
        ),
        start=1,
    ):
        offsets.append(len(out))
        out += b"%d 0 obj " % number + body + b" endobj\n"
    xref = len(out)
    out += b"xref\n0 4\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    return out + b"trailer <</Size 4/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % xref


def front_matter(data: dict[str, Any]) -> str:
    out: list[str] = []
    for key, value in data.items():
        _emit(key, value, 0, out)
    return "\n".join(out) + "\n"


# ------------------------------------------------------------ the corpus ----


def iso(moment: datetime) -> str:
    return moment.astimezone(BANGKOK).replace(microsecond=0).isoformat()


class Generator:
    def __init__(self, root: Path, n: int, seed: int) -> None:
        import yaml

        self.root = root
        self.content = root / "content"
        self.n = n
        self.rng = random.Random(seed)
        office = yaml.safe_load((PROJECT / "office.yml").read_text(encoding="utf-8"))
        self.people = People(office)
        self.file_sha: dict[str, str] = {}
        self.images: dict[int, list[str]] = {}
        self.attachments: dict[str, list[str]] = {}
        self.news_ids: list[str] = []
        self.slugs: set[str] = set()

    # -- helpers -----------------------------------------------------------
    def pick(self, seq: list[Any] | tuple[Any, ...]) -> Any:
        return seq[self.rng.randrange(len(seq))]

    def moment(self) -> datetime:
        """A working-day-ish moment within the span, on a 5-minute grid."""
        span = int((SPAN_END - SPAN_START).total_seconds() // 86400)
        day = SPAN_START + timedelta(days=self.rng.randrange(span))
        while day.weekday() >= 5:
            day -= timedelta(days=1)
        return day.replace(hour=self.rng.randint(8, 14), minute=self.rng.choice(range(0, 60, 5)))

    def later(self, moment: datetime, lo_min: int, hi_min: int) -> datetime:
        return moment + timedelta(minutes=self.rng.randint(lo_min, hi_min))

    def fill(self, template: str, when: datetime, **fixed: Any) -> str:
        be = be_year(when)
        values = dict(
            date=format_date(when),
            be=be,
            be4=be + 4,
            k=self.rng.randint(1, 12),
            n=self.rng.randint(25, 480),
            q=self.rng.randint(1, 4),
            term=self.rng.randint(1, 2),
            pct=self.rng.randint(5, 35),
            money=f"{self.rng.randint(50, 4800) * 1000:,}",
            school=self.pick(SCHOOLS),
            place=self.pick(PLACES),
            topic=self.pick(TOPICS),
            meeting=self.pick(MEETINGS),
            office=self.people.short_name,
            who=self.pick(["ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษา", "รองผู้อำนวยการสำนักงานเขตพื้นที่การศึกษา"]),
            month=self.pick(["ตุลาคม", "พฤศจิกายน", "ธันวาคม", "มกราคม", "กุมภาพันธ์", "มีนาคม"]),
            d=self.rng.randint(5, 25),
        )
        values.update(fixed)
        return template.format(**values)

    def body_length(self) -> int:
        """300-2,000 characters, most between 500 and 1,200."""
        return int(min(2000, max(300, self.rng.lognormvariate(6.75, 0.45))))

    def body(self, opener: str, when: datetime, *, quote: bool, image: str | None, **fixed: Any) -> str:
        """Paragraphs up to a drawn length; the whole body stays within 300-2,000 characters."""
        target = self.body_length()
        head = [self.fill(opener, when, **fixed)]
        if image:
            head.append(f"![ภาพประกอบกิจกรรม]({{static}}/{image})")
        if quote:
            head.append(f"> {self.pick(QUOTES)}")
        extras: list[str] = []
        if self.rng.random() < 0.35:
            extras = [
                f"## {self.pick(HEADINGS)}",
                "\n".join(f"- {self.fill(b, when)}" for b in self.rng.sample(BULLETS, self.rng.randint(2, 4))),
            ]

        def size(parts: list[str]) -> int:
            return len("\n\n".join(parts))

        paragraphs: list[str] = []
        while size(head + paragraphs + extras) < target:
            sentences = [self.fill(self.pick(SENTENCES), when) for _ in range(self.rng.randint(2, 4))]
            while sentences and size(head + paragraphs + extras + [" ".join(sentences)]) > 2000:
                sentences.pop()
            if not sentences:
                break
            paragraphs.append(" ".join(sentences))
        if size(head + paragraphs + extras) > 2000:
            extras = []
        parts = head[:1] + paragraphs[:1] + head[1:] + paragraphs[1:2] + extras + paragraphs[2:]
        return "\n\n".join(parts) + "\n"

    def slug(self, base: str) -> str:
        slug = base
        n = 2
        while slug in self.slugs:
            slug = f"{base}-{n}"
            n += 1
        self.slugs.add(slug)
        return slug

    # -- shared binary files --------------------------------------------------
    def _write_binary(self, ref: str, header: bytes, size: int) -> None:
        """A real file of about `size` bytes: the publish gate opens attachments and images (issue 7)."""
        path = self.content / ref
        path.parent.mkdir(parents=True, exist_ok=True)
        filler = self.rng.randbytes(max(0, size - 400))
        data = tiny_jpeg(filler) if header.startswith(b"\xff\xd8") else tiny_pdf(filler)
        path.write_bytes(data)
        self.file_sha[ref] = hashlib.sha256(data).hexdigest()

    def image_pool(self, year: int) -> list[str]:
        pool = self.images.get(year)
        if pool is None:
            size = max(8, self.n // 60)
            pool = self.images[year] = [f"images/{year}/photo-{i:04d}.jpg" for i in range(1, size + 1)]
            for ref in pool:
                self._write_binary(ref, b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", self.rng.randint(3000, 20000))
        return pool

    def attachment_pool(self, folder: str, prefix: str) -> list[str]:
        key = f"{folder}/{prefix}"
        pool = self.attachments.get(key)
        if pool is None:
            size = max(4, self.n // 150)
            pool = self.attachments[key] = [f"files/{folder}/{prefix}-{i:03d}.pdf" for i in range(1, size + 1)]
            for ref in pool:
                self._write_binary(ref, b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", self.rng.randint(2000, 30000))
        return pool

    def images_for(self, when: datetime, credit: str, count: int) -> list[dict[str, str]]:
        pool = self.image_pool(be_year(when))
        chosen = self.rng.sample(pool, min(count, len(pool)))
        return [
            {"file": ref, "alt": f"ภาพกิจกรรมที่ {i + 1} {self.pick(ALTS)}", "credit": credit, "caption": f"ภาพที่ {i + 1}"}
            for i, ref in enumerate(chosen)
        ]

    def sources(self) -> list[dict[str, str]]:
        out = [
            {
                "title": "หนังสือสั่งการ สำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน",
                "url": f"https://www.obec.example/documents/{self.rng.randint(1000, 9999)}",
                "publisher": "สำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน",
            }
        ]
        if self.rng.random() < 0.4:
            out.append({"title": "สรุปผลการประชุมของสำนักงาน"})
        return out

    # -- approvals ------------------------------------------------------------
    def finish(self, rel: str, data: dict[str, Any], body: str, steps: list[tuple[str, str, datetime]]) -> None:
        """Write the file: approvals carry the digest of the content as written."""
        data = dict(data)
        data["approvals"] = []
        parsed = yamlparse.load(front_matter(data))
        if parsed != data:
            raise AssertionError(f"{rel}: front matter does not read back as generated")
        refs = digests.referenced_files(parsed, body)
        missing = [r for r in refs if r not in self.file_sha]
        if missing:
            raise AssertionError(f"{rel}: references {missing} that were not generated")
        digest = digests.compute(parsed, body, {r: self.file_sha[r] for r in refs})
        data["approvals"] = [{"by": by, "step": step, "at": iso(at), "digest": digest} for step, by, at in steps]
        yaml_text = front_matter(data)
        if yamlparse.load(yaml_text) != data:
            raise AssertionError(f"{rel}: approvals do not read back as generated")
        text = "---\n" + yaml_text + "---\n" + body
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    def not_by(self, candidates: list[str], *exclude: str | None) -> str:
        pool = [c for c in candidates if c not in exclude]
        return self.pick(pool)

    # -- kinds ------------------------------------------------------------------
    def news(self, index: int) -> None:
        rng, p = self.rng, self.people
        news_type = self.pick(["meeting"] * 40 + ["inspection"] * 20 + ["press-conference"] * 10 + ["general"] * 30)
        base = self.moment()
        if news_type == "meeting":
            starts = base.replace(hour=rng.choice([9, 13]), minute=rng.choice([0, 30]))
            ends = self.later(starts, 90, 240)
            produced = self.later(ends, 30, 170)
        elif news_type == "inspection":
            starts = base.replace(hour=8, minute=30)
            ends = self.later(starts, 300, 420 + (1440 if rng.random() < 0.2 else 0))
            produced = self.later(ends, 60, 1200)
        elif news_type == "press-conference":
            starts = base.replace(hour=rng.choice([10, 13]), minute=30)
            ends = self.later(starts, 45, 120)
            produced = starts - timedelta(minutes=rng.randint(180, 1440))
        else:
            starts = base
            ends = self.later(starts, 60, 360)
            produced = self.later(ends, 60, 2880)
        author = self.pick(p.pr)
        topic_group = self.pick(list(p.groups))
        topic, school, meeting, k = self.pick(TOPICS), self.pick(SCHOOLS), self.pick(MEETINGS), rng.randint(1, 12)
        be = be_year(produced)
        title = {
            "meeting": f"{meeting} ครั้งที่ {k}/{be_year(starts)}",
            "inspection": f"ผู้บริหารตรวจเยี่ยมโรงเรียน{school} ติดตาม{topic}",
            "press-conference": f"แถลงข่าว{topic} ประจำปีการศึกษา {be_year(starts)}",
            "general": f"{self.people.short_name} จัดกิจกรรม{topic}",
        }[news_type]
        has_sources = rng.random() < 0.5
        images = self.images_for(produced, self.pick(CREDITS[:3]), rng.randint(1, 4))
        body_image = images[0]["file"] if rng.random() < 0.3 else None
        body = self.body(
            OPENERS[news_type],
            starts,
            quote=has_sources and rng.random() < 0.6,
            image=body_image,
            topic=topic,
            school=school,
            meeting=meeting,
            k=k,
        )
        event = {
            "name": title if news_type != "inspection" else f"การตรวจเยี่ยมโรงเรียน{school}",
            "place": self.pick(PLACES),
            "starts_at": iso(starts),
            "ends_at": iso(ends),
        }
        data: dict[str, Any] = {
            "type": "news",
            "title": title,
            "summary": f"{self.people.short_name} {self.pick(['ประชุม', 'ติดตาม', 'ขับเคลื่อน', 'ชี้แจง'])}{topic} "
            f"เพื่อยกระดับคุณภาพการศึกษาในพื้นที่",
            "news_type": news_type,
            "plan": self.pick(["policy"] * 5 + ["proactive"] * 4 + ["royal"]),
            "format": self.pick(["press-release"] * 6 + ["article", "feature", "photo", "photo"]),
            "source": {"meeting": "meeting", "inspection": "inspection"}.get(
                news_type, self.pick(["meeting", "document"])
            ),
            "author": author,
            "topic_group": topic_group,
            "produced_at": iso(produced),
            "event": event,
            "channels": rng.sample(
                ["website", "facebook", "line", "obec", "print", "broadcast", "other"], rng.randint(1, 4)
            ),
            "images": images,
        }
        data["channels"].sort(key=["website", "facebook", "line", "obec", "print", "broadcast", "other"].index)
        if rng.random() < 0.2:
            pool = self.attachment_pool("news", f"news-{be}")
            data["attachments"] = [
                {"file": ref, "title": f"เอกสารประกอบการประชุม ชุดที่ {i + 1}"}
                for i, ref in enumerate(rng.sample(pool, rng.randint(1, 2)))
            ]
        if has_sources:
            data["sources"] = self.sources()
        data["tags"] = rng.sample(
            ["คุณภาพการศึกษา", "ผู้บริหาร", "โรงเรียน", "ครู", "นักเรียน", "นโยบาย", "งบประมาณ"], rng.randint(1, 3)
        )
        if news_type == "press-conference" and rng.random() < 0.7:
            data["publish_at"] = iso(starts)
        # sign-offs: facts by the topic group (mostly its director) or an executive, then the check
        members = [m for m in p.members[topic_group] if m != author]
        director = p.group_director.get(topic_group)
        facts_pool = ([director] * 6 if director and director != author else []) + members + p.executives
        facts_by = self.not_by(facts_pool, author)
        facts_at = self.later(produced, 10, 90)
        # one person never signs both steps (KS310): the check is by someone other than the facts' signer
        check_by = self.not_by([p.group_director["admin"]] * 4 + p.checkers, author, facts_by)
        check_at = self.later(facts_at, 5, 60)
        if rng.random() < 0.02:
            data["urgent"] = {
                "by": self.pick(p.deputies),
                "reason": "ติดต่อผู้ตรวจสอบไม่ได้ทันมาตรฐานเวลา",
                "at": iso(self.later(produced, 1, 9)),
            }
        withdrawn_at = self.later(check_at, 600, 4000)
        if rng.random() < 0.01 and withdrawn_at <= NOW_DT:
            data["withdrawn"] = {
                "at": iso(withdrawn_at),
                "by": p.director,
                "reason": "ข้อมูลในข่าวคลาดเคลื่อน จะเผยแพร่ฉบับแก้ไขแทน",
            }
        slug = self.slug(f"{news_type}-{starts:%Y%m%d}-{index:05d}")
        rel = f"content/news/{be}/{slug}.md"
        self.news_ids.append(f"news/{be}/{slug}")
        self.finish(rel, data, body, [("facts", facts_by, facts_at), ("check", check_by, check_at)])

    def disclosure(self, index: int) -> None:
        rng, p = self.rng, self.people
        category = self.pick(
            [
                "organization",
                "policy-strategy",
                "action-plan",
                "procurement",
                "procurement",
                "procurement",
                "work-manual",
                "service-standard",
                "other",
            ]
        )
        groups = [g for g in CATEGORY_GROUPS[category] if any(p.group_of(r) == g for r in p.requesters)]
        group = self.pick(groups) if groups and rng.random() < 0.85 else None
        requesters = [r for r in p.requesters if group is None or p.group_of(r) == group]
        requester = self.pick(requesters)
        requested = self.moment()
        be = be_year(requested)
        subject = self.fill(self.pick(DISCLOSURE_SUBJECTS[category]), requested)
        content_by = p.group_director[p.group_of(requester)]
        content_at = self.later(requested, 30, 2880)
        permit_by = self.not_by([p.director] * 2 + p.deputies, content_by)  # never both steps (KS310)
        permit_at = self.later(content_at, 30, 4320)
        received = self.later(permit_at, 10, 240)
        completed = self.later(received, 10, 480)
        checked = self.later(completed, 60, 4320)
        prefix = CATEGORY_FILE_PREFIX[category]
        pool = self.attachment_pool(category, f"{prefix}-{be}")
        data: dict[str, Any] = {"type": "disclosure", "title": subject, "category": category}
        if category == "other":
            data["category_other"] = self.pick(OTHER_TOPICS)
        data.update(
            {
                "requester": requester,
                "requested_at": iso(requested),
                "detail": f"ขอเผยแพร่{subject} เพื่อให้ประชาชนสามารถตรวจสอบได้ "
                "ตามมาตรา 9 แห่งพระราชบัญญัติข้อมูลข่าวสารของราชการ พ.ศ. 2540",
                "delivery": self.pick(["email"] * 6 + ["media", "in-person", "in-person", "other"]),
                "attachments": [
                    {"file": ref, "title": f"{subject} (ไฟล์ที่ {i + 1})"}
                    for i, ref in enumerate(rng.sample(pool, rng.randint(1, 3)))
                ],
            }
        )
        has_sources = rng.random() < 0.25
        if rng.random() < 0.25:
            data["images"] = self.images_for(requested, p.groups[p.group_of(requester)], 1)
        if has_sources:
            data["sources"] = self.sources()
        if checked <= NOW_DT and rng.random() < 0.9:
            data["webmaster"] = {
                "by": self.pick(p.webmasters),
                "received_at": iso(received),
                "completed_at": iso(completed),
            }
            if rng.random() < 0.8:
                data["live_check"] = {"by": content_by, "at": iso(checked)}
        data["tags"] = [self.pick(["ข้อมูลข่าวสาร", "ความโปร่งใส", "ITA", "มาตรา 9"])]
        if rng.random() < 0.05:
            data["publish_at"] = iso(self.later(permit_at, 60, 1440))
        withdrawn_at = self.later(completed, 600, 2000)
        if rng.random() < 0.005 and withdrawn_at <= NOW_DT:
            data["withdrawn"] = {"at": iso(withdrawn_at), "by": p.director, "reason": "มีประกาศฉบับใหม่แทนฉบับนี้"}
        body = self.body(
            "{office} เผยแพร่"
            + subject.replace("{", "{{").replace("}", "}}")
            + " ตามที่ได้รับอนุญาตจากผู้อำนวยการสำนักงานเขตพื้นที่การศึกษา "
            "ผู้สนใจสามารถดาวน์โหลดเอกสารฉบับเต็มได้จากไฟล์แนบท้ายประกาศนี้",
            requested,
            quote=has_sources and rng.random() < 0.5,
            image=None,
        )
        slug = self.slug(f"{prefix}-{requested:%Y%m%d}-{index:05d}")
        rel = f"content/disclosures/{category}/{slug}.md"
        self.finish(rel, data, body, [("content", content_by, content_at), ("permit", permit_by, permit_at)])

    def clipping(self, index: int) -> None:
        rng, p = self.rng, self.people
        outlet, medium = self.pick(OUTLETS)
        when = self.moment()
        recorded_by = self.pick(p.pr)
        topic = self.pick(TOPICS)
        effect = self.pick(["positive"] * 6 + ["neutral"] * 3 + ["negative"])
        about = rng.sample(self.news_ids, min(len(self.news_ids), rng.randint(0, 2))) if self.news_ids else []
        data: dict[str, Any] = {
            "type": "clipping",
            "title": f"{outlet}รายงานข่าว{topic}ของโรงเรียนในสังกัด",
            "outlet": outlet,
            "medium": medium,
            "published_on": when.date().isoformat(),
            "url": f"https://news.example/{medium}/{when:%Y/%m/%d}/{index}",
            "about": about,
            "effect": effect,
            "recorded_by": recorded_by,
            "summary": f"สื่อรายงานเรื่อง{topic} ผลต่อหน่วยงาน"
            + {"positive": "เป็นประโยชน์", "neutral": "เป็นกลาง", "negative": "ต้องชี้แจงข้อเท็จจริง"}[effect],
            "images": self.images_for(when, outlet, 1),
            "sources": [{"title": outlet, "url": f"https://news.example/{medium}", "publisher": outlet}],
            "tags": ["ข่าวจากสื่อมวลชน"],
        }
        body = self.body(
            "{office} ติดตามข่าวจาก" + outlet + " ซึ่งรายงานเมื่อวันที่ {date} เกี่ยวกับ" + topic,
            when,
            quote=rng.random() < 0.5,
            image=None,
        )
        check_by = self.not_by(p.checkers, recorded_by)
        check_at = self.later(when.replace(hour=15, minute=0), 30, 2880)
        slug = self.slug(f"clip-{when:%Y%m%d}-{index:05d}")
        rel = f"content/clippings/{be_year(when)}/{slug}.md"
        self.finish(rel, data, body, [("check", check_by, check_at)])

    def run(self) -> dict[str, int]:
        self.content.mkdir(parents=True, exist_ok=True)
        shutil.copy2(PROJECT / "office.yml", self.root / "office.yml")
        shutil.copytree(PROJECT / "schemas", self.root / "schemas", dirs_exist_ok=True)
        counts = {"news": 0, "disclosure": 0, "clipping": 0}
        # clippings refer to news ids, so the kinds are drawn first, then news written first
        kinds = ["news"] * 60 + ["disclosure"] * 30 + ["clipping"] * 10
        plan = [self.pick(kinds) for _ in range(self.n)]
        for wanted in ("news", "disclosure", "clipping"):
            for index, kind in enumerate(plan):
                if kind == wanted:
                    getattr(self, kind)(index)
                    counts[kind] += 1
        return counts


def fingerprint() -> str:
    """What a generated corpus depends on: this generator, office.yml and the schemas. A corpus made
    under other rules may sign nothing the gate accepts (the metrics corpus published nothing once)."""
    sha = hashlib.sha256(Path(__file__).read_bytes())
    for path in [PROJECT / "office.yml", *sorted((PROJECT / "schemas").glob("*.json"))]:
        sha.update(path.name.encode() + b"\0" + path.read_bytes())
    return sha.hexdigest()[:12]


def generate(root: Path, n: int, seed: int = DEFAULT_SEED) -> dict[str, int]:
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    counts = Generator(root, n, seed).run()
    (root / ".bench-corpus.json").write_text(
        json.dumps({"n": n, "seed": seed, "version": GENERATOR_VERSION, "counts": counts}) + "\n", encoding="utf-8"
    )
    return counts


def khaosan(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "workflow", "check", "--root", str(root), "--now", NOW, *args],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        check=False,
    )


def self_check(n: int, seed: int) -> int:
    with tempfile.TemporaryDirectory(prefix="khaosan-corpus-selfcheck-") as tmp:
        root = Path(tmp) / "repo"
        counts = generate(root, n, seed)
        sizes = [len(p.read_text(encoding="utf-8").split("\n---\n", 1)[1]) for p in (root / "content").rglob("*.md")]
        print(
            f"generated {n} items {counts}; body chars min {min(sizes)} median "
            f"{sorted(sizes)[len(sizes) // 2]} max {max(sizes)}"
        )
        done = khaosan(root, "--publish", "--format", "json")
        report = json.loads(done.stdout)
        summary = report["summary"]
        ok = done.returncode == 0 and not report["problems"] and not summary["pending"] and summary["files"] == n
        print(
            f"khaosan check --publish: exit {done.returncode}, files {summary['files']}, "
            f"errors {summary['errors']}, warnings {summary['warnings']}, pending {len(summary['pending'])}"
        )
        for p in report["problems"][:20]:
            print(f"  {p['path']}:{p['line']}: {p['code']} {p['message']}")
        # determinism: a second build is byte-identical
        again = Path(tmp) / "again"
        generate(again, n, seed)
        same = _tree_digest(root) == _tree_digest(again)
        print(f"deterministic: {same}")
        return 0 if ok and same else 1


def _tree_digest(root: Path) -> str:
    sha = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file():
            sha.update(path.relative_to(root).as_posix().encode())
            sha.update(path.read_bytes())
    return sha.hexdigest()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=1000, help="number of items (default 1000)")
    ap.add_argument("--out", type=Path, help="folder to build in (default /tmp/khaosan-bench/corpus-<N>)")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument(
        "--self-check",
        action="store_true",
        help="build a small corpus in a temporary folder and require `khaosan check --publish` to pass",
    )
    args = ap.parse_args(argv)
    if args.self_check:
        return self_check(args.n if args.n != 1000 else 300, args.seed)
    out = args.out or Path(tempfile.gettempdir()) / "khaosan-bench" / f"corpus-{args.n}"
    if out.resolve().is_relative_to(PROJECT):
        ap.error("build the corpus outside the project (default: under /tmp)")
    counts = generate(out, args.n, args.seed)
    print(f"{out}: {counts}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
