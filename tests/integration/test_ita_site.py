"""The ITA (OIT) pages of the site and `khaosan ita`, built for real from the sample office: every O-item
in order, its evidence URL by URL, its state; what is not public is evidence of nothing."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import pytest
from support.cli import run_cli
from support.site import page_html, project_copy

from workflow.cli import main
from workflow.core.ita import CHANNEL_NOTE

NOW = "2026-11-25T12:00:00+07:00"
SITE = "https://www.phuphamok1.example"
PROJECT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    root = project_copy(tmp_path_factory.mktemp("ita"), content=True)
    assert main(["build", "--root", str(root), "--now", NOW, "--no-search"]) == 0
    return root


def ita_json(root: Path, *extra: str) -> tuple[int, dict]:
    result = run_cli(["ita", "--root", str(root), "--now", NOW, "--format", "json", *extra])
    return result.code, json.loads(result.out) if result.out.strip() else {}


# The O-items the sample office (a สพป.) cannot publish on its own site: two-way services a static site
# cannot host. Their evidence is the office's channel (office.yml, online_services), and the row says so.
CHANNELS = ("O8", "O18", "O28", "O30")


def test_the_sample_office_covers_every_o_item_of_2569_with_its_evidence(sample):
    code, found = ita_json(sample, "--fiscal-year", "2569")
    rows = found["rows"]
    assert [r["code"] for r in rows] == [f"O{n}" for n in range(1, 44)]
    assert {r["code"]: r["note"] for r in rows if r["state"] != "complete"} == {}  # names what is missing
    assert code == 0 and found["counts"] == {"complete": 43, "missing": 0, "stale": 0}
    by = {r["code"]: r for r in rows}
    for row in rows:
        on_site = [link for link in row["links"] if link["url"].startswith(SITE)]
        if row["code"] in CHANNELS:  # a channel outside the site, and the row says so
            assert row["links"] and not on_site and row["note"] == CHANNEL_NOTE, row
        else:  # a page of this site; one of fiscal year 2569 where the list asks for the current year
            assert on_site, row
            if row["current"]:
                assert any(link["fiscal_year"] == 2569 for link in on_site), row
    # the monthly procurement summaries: one for each of the twelve months, none named as missing
    months = [link["url"].rsplit("/", 2)[-2] for link in by["O21"]["links"]]
    assert len(months) == 12 and len(set(months)) == 12 and by["O21"]["note"] == ""
    assert by["O11"]["links"] == [
        {
            "title": "แผนปฏิบัติราชการประจำปีงบประมาณ พ.ศ. 2569",
            "url": f"{SITE}/disclosures/action-plan/action-plan-2569/",
            "fiscal_year": 2569,
        }
    ]
    assert by["O28"]["links"][0]["url"] == "https://complaint.phuphamok1.example/"  # a channel, not a page
    assert [link["url"] for link in by["O6"]["links"]] == [f"{SITE}/disclosures/other/laws-and-regulations/"]


def _unsigned_month(root: Path) -> None:
    """A careless edit: December's "none" summary retyped as November, not signed again."""
    path = root / "content/disclosures/procurement/summary-2568-12.md"
    path.write_text(path.read_text(encoding="utf-8").replace("month: 2025-12", "month: 2025-11"), encoding="utf-8")


@pytest.mark.parametrize(
    ("spoil", "code", "says"),
    [
        (lambda root: (root / "content/disclosures/other/laws-and-regulations.md").unlink(), "O6", "ita: [O6]"),
        (lambda root: (root / "content/disclosures/procurement/summary-2569-07.md").unlink(), "O21", "กรกฎาคม 2569"),
        (_unsigned_month, "O21", "ธันวาคม 2568"),
    ],
    ids=["an-item-removed", "a-month-removed", "a-month-changed-unsigned"],
)
def test_the_sample_check_fails_when_one_piece_of_evidence_goes(tmp_path, spoil, code, says):
    root = project_copy(tmp_path, content=True)
    spoil(root)
    status, found = ita_json(root, "--fiscal-year", "2569")
    missing = {r["code"]: r for r in found["rows"] if r["state"] != "complete"}
    assert status == 1 and list(missing) == [code] and missing[code]["state_label"] == "ขาด"
    assert says in missing[code]["note"]


def test_every_evidence_link_on_the_page_and_in_the_command_is_a_page_of_the_built_site(sample):
    _, found = ita_json(sample, "--fiscal-year", "2569")
    output = sample / "output"
    for row in found["rows"]:
        for link in row["links"]:
            if link["url"].startswith(SITE):
                page = output / link["url"][len(SITE) + 1 :] / "index.html"
                assert page.is_file(), link
    html = page_html(output / "ita/2569/index.html")
    for href in re.findall(r'href="(\.\./\.\./[^"#]+)"', html):
        target = (output / "ita/2569" / href).resolve()
        assert (target / "index.html").is_file() or target.is_file(), href
    assert html.count("<tr id=") == html.count('<td class="state state-complete">มีครบ</td>') == 43
    assert "https://qa.phuphamok1.example/" in html and html.count(CHANNEL_NOTE) == 5  # O8, O9, O18, O28, O30


def test_a_page_per_fiscal_year_with_a_list_and_an_index(sample):
    output = sample / "output"
    index = page_html(output / "ita/index.html")
    for year in (2567, 2568, 2569):
        assert (output / f"ita/{year}/index.html").is_file()
        assert f'href="{year}/"' in index or f'href="./{year}/"' in index or f"ita/{year}/" in index
    sitemap = (output / "sitemap.xml").read_text(encoding="utf-8")
    assert f"{SITE}/ita/2569/" in sitemap


def test_csv_gives_one_line_a_url_and_xlsx_the_same_lines(sample, tmp_path):
    result = run_cli(["ita", "--root", str(sample), "--now", NOW, "--fiscal-year", "2569", "--format", "csv"])
    lines = list(csv.reader(io.StringIO(result.out)))
    assert lines[0][0] == "ข้อ" and result.code == 0
    o14 = [line for line in lines if line[0] == "O14"]
    assert len(o14) == 3 and all(line[3].startswith(f"{SITE}/disclosures/work-manual/") for line in o14)
    target = tmp_path / "ita-2569.xlsx"
    made = run_cli(["ita", "--root", str(sample), "--now", NOW, "--fiscal-year", "2569", "--format", "xlsx",
                    "--output", str(target)])  # fmt: skip
    assert made.code == 0 and target.is_file()
    from openpyxl import load_workbook

    sheet = load_workbook(target).active
    rows = [[c if c is not None else "" for c in row] for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert rows == lines[1:]
    assert sheet["A3"].font.name == "TH Sarabun New"


def test_usage_errors_have_codes_and_write_nothing(sample, tmp_path):
    base = ["ita", "--root", str(sample), "--now", NOW, "--fiscal-year", "2569"]
    no_file = run_cli([*base, "--format", "xlsx"])
    assert no_file.code == 2 and "KS821" in no_file.err
    this_year = run_cli(base[:-2])  # by default the fiscal year of --now: 2570, which has no list yet
    assert this_year.code == 2 and "KS820" in this_year.err
    no_list = run_cli([*base[:-2], "--fiscal-year", "2580"])
    assert no_list.code == 2 and "KS820" in no_list.err and "data/ita/2580.yml" in no_list.err
    kept = tmp_path / "kept.csv"
    kept.write_text("เดิม", encoding="utf-8")
    refused = run_cli([*base, "--format", "csv", "--output", str(kept)])
    assert refused.code == 2 and "KS822" in refused.err and kept.read_text(encoding="utf-8") == "เดิม"
    replaced = run_cli([*base, "--format", "csv", "--output", str(kept), "--force"])
    assert replaced.code == 0 and kept.read_text(encoding="utf-8").startswith("ข้อ,")


# -- attacks: what is not public is evidence of nothing ----------------------------------------------


SMALL_LIST = """fiscal_year: 2569
items:
  - {code: O1, title: โครงสร้าง, requires: แผนผังโครงสร้าง, current: false, pages: [office/]}
  - {code: O2, title: แผนดำเนินงานประจำปี, requires: แผนของปี, current: true}
"""


def office_repo(tmp_path: Path) -> Path:
    """The sample with the office's own, edited OIT list for 2569 (two items)."""
    root = project_copy(tmp_path, content=True)
    (root / "data/ita").mkdir(parents=True)
    (root / "data/ita/2569.yml").write_text(SMALL_LIST, encoding="utf-8")
    return root


def retag(root: Path, item: str, codes: str) -> Path:
    path = root / "content" / f"{item}.md"
    text = re.sub(r"^ita: .*$", f"ita: [{codes}]", path.read_text(encoding="utf-8"), count=1, flags=re.M)
    path.write_text(text, encoding="utf-8")
    return path


def resign(root: Path, plan: Path, text: str, times: tuple[str, str]) -> None:
    """The plan's text with its sign-offs given again (content, then permit), as the office would."""
    plan.write_text(re.sub(r"approvals:\n(?:  .*\n)+", "approvals: []\n", text), encoding="utf-8")
    for by, step, at in zip(("anan.w", "prasert.j"), ("content", "permit"), times, strict=True):
        argv = ["approve", str(plan), "--by", by, "--step", step, "--at", at, "--root", str(root), "--now", NOW]
        assert main(argv) == 0


def untag_all_but(root: Path, keep: Path) -> None:
    for path in root.glob("content/**/*.md"):
        if path != keep:
            text = path.read_text(encoding="utf-8")
            path.write_text(re.sub(r"^ita: .*\n", "", text, count=1, flags=re.M), encoding="utf-8")


def test_an_office_that_covers_its_own_list_exits_zero(tmp_path):
    root = office_repo(tmp_path)
    retag(root, "disclosures/action-plan/action-plan-2569", "O2")
    for item in ("disclosures/organization/structure-2569", "disclosures/organization/executives-and-duties"):
        retag(root, item, "O1")
    for path in root.glob("content/**/*.md"):  # every other tag: its codes are not in the office's list
        text = path.read_text(encoding="utf-8")
        if re.search(r"^ita: \[(?!O1\]|O2\])", text, flags=re.M):
            path.write_text(re.sub(r"^ita: .*\n", "", text, count=1, flags=re.M), encoding="utf-8")
    code, found = ita_json(root, "--fiscal-year", "2569")
    assert code == 0, found
    assert [(r["code"], r["state"]) for r in found["rows"]] == [("O1", "complete"), ("O2", "complete")]


def test_an_unsigned_a_scheduled_or_a_withdrawn_item_is_not_evidence(tmp_path):
    root = office_repo(tmp_path)
    for path in root.glob("content/**/*.md"):
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r"^ita: .*\n", "", text, count=1, flags=re.M), encoding="utf-8")
    plan = root / "content/disclosures/action-plan/action-plan-2569.md"
    signed = plan.read_text(encoding="utf-8").replace("title:", "ita: [O2]\ntitle:", 1)

    def state() -> str:
        return ita_json(root, "--fiscal-year", "2569")[1]["rows"][1]["state"]

    plan.write_text(signed, encoding="utf-8")
    assert state() == "complete"
    # unsigned: the approvals removed (an insider tags a plan nobody permitted)
    plan.write_text(re.sub(r"approvals:\n(?:  .*\n)+", "approvals: []\n", signed), encoding="utf-8")
    assert state() == "missing"
    # scheduled for later
    plan.write_text(signed.replace("ita: [O2]\n", "ita: [O2]\npublish_at: 2027-01-01T09:00:00+07:00\n"))
    assert state() == "missing"
    # withdrawn: its page stays, saying why; it proves nothing
    withdrawn = "withdrawn: {at: 2026-11-20T10:00:00+07:00, by: prasert.j, reason: เผยแพร่ผิดฉบับ}\n"
    plan.write_text(signed.replace("ita: [O2]\n", "ita: [O2]\n" + withdrawn), encoding="utf-8")
    assert state() == "missing"


def test_last_years_plan_is_not_current_and_says_so(tmp_path):
    root = office_repo(tmp_path)
    shutil.copy(root / "data/ita/2569.yml", root / "data/ita/2568.yml")
    (root / "data/ita/2568.yml").write_text(SMALL_LIST.replace("2569", "2568"), encoding="utf-8")
    plan = root / "content/disclosures/action-plan/action-plan-2569.md"
    text = plan.read_text(encoding="utf-8")
    plan.write_text(
        text.replace("ita: [O11]", "ita: [O2]").replace("requested_at: 2025-11-10", "requested_at: 2025-09-10")
    )
    # the request moved into fiscal year 2568: its digest changed, so sign it again as the office would
    resign(root, plan, plan.read_text(encoding="utf-8"), ("2025-09-11T10:00:00+07:00", "2025-09-12T10:00:00+07:00"))
    untag_all_but(root, plan)
    code, found = ita_json(root, "--fiscal-year", "2569")
    row = found["rows"][1]
    assert code == 1 and row["state"] == "stale" and row["state_label"] == "ยังไม่เป็นปัจจุบัน"
    assert row["links"][0]["fiscal_year"] == 2568 and "2569" in row["note"]
    assert ita_json(root, "--fiscal-year", "2568")[1]["rows"][1]["state"] == "complete"


def test_a_hostile_title_is_text_on_the_ita_page(tmp_path):
    root = office_repo(tmp_path)
    plan = root / "content/disclosures/action-plan/action-plan-2569.md"
    text = retag(root, "disclosures/action-plan/action-plan-2569", "O2").read_text(encoding="utf-8")
    text = re.sub(r"^title: .*$", 'title: "แผน <script>alert(1)</script>"', text, count=1, flags=re.M)
    resign(root, plan, text, ("2025-11-10T15:00:00+07:00", "2025-11-12T10:00:00+07:00"))
    untag_all_but(root, plan)
    assert main(["build", "--root", str(root), "--now", NOW, "--no-search"]) == 0
    html = page_html(root / "output/ita/2569/index.html")
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html


def test_the_contact_page_lists_the_offices_online_channels(sample):
    html = page_html(sample / "output/contact/index.html")
    for url in ("https://social.phuphamok1.example/phuphamok1", "https://complaint.phuphamok1.example/"):
        assert f'href="{url}"' in html
    _, found = ita_json(sample, "--fiscal-year", "2569")
    o9 = found["rows"][8]
    assert o9["code"] == "O9" and [link["url"] for link in o9["links"]] == [
        f"{SITE}/contact/",
        "https://social.phuphamok1.example/phuphamok1",
    ]


def test_a_hostile_list_file_is_refused_on_its_own_file_and_never_read(tmp_path):
    root = office_repo(tmp_path)
    secret = tmp_path / "secret.yml"
    secret.write_text("fiscal_year: 2570\nitems: [root:x:0:0]\n", encoding="utf-8")
    (root / "data/ita/2570.yml").symlink_to(secret)  # a link out of the repository
    (root / "data/ita/2571.yml").write_bytes(b"a" * (1024 * 1024 + 1))  # over 1 MiB
    (root / "data/ita/2572.yml").write_bytes(b"\xff\xfe fiscal_year: 2572\n")  # not UTF-8
    result = run_cli(["check", "--root", str(root)])
    assert result.code == 1
    refused = re.findall(r"^(data/ita/\d+\.yml):1:1: KS255 ", result.out, flags=re.M)
    assert refused == ["data/ita/2570.yml", "data/ita/2571.yml", "data/ita/2572.yml"]
    assert "root:x" not in result.output and "Traceback" not in result.output
    assert main(["build", "--root", str(root), "--now", NOW, "--no-search"]) == 1  # the site is not built on them


def test_the_monthly_procurement_summary_is_a_table_a_csv_and_open_data(sample):
    output = sample / "output"
    page = page_html(output / "disclosures/procurement/summary-2569-03/index.html")
    assert '<table class="figures skr1">' in page and page.count("<tr>") == 4  # headings and 3 purchases
    assert "912,500.00" in page and "20 มีนาคม 2569" in page
    rows = list(csv.reader(io.StringIO((output / "disclosures/procurement/summary-2569-03/skr1.csv").read_text())))
    assert rows[0][0] == "ลำดับที่" and len(rows) == 4 and all(len(r) == 10 for r in rows)
    items = json.loads((output / "api/items.json").read_text(encoding="utf-8"))["items"]
    summary = next(i for i in items if i["id"] == "disclosures/procurement/summary-2569-03")
    assert summary["procurement_summary"]["month"] == "2026-03"
    assert summary["procurement_summary"]["entries"][2]["winner"]["price"] == 912500  # numbers stay numbers
    assert summary["procurement_csv"] == f"{SITE}/disclosures/procurement/summary-2569-03/skr1.csv"


COMPLAINTS = """---
type: disclosure
title: สถิติเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ ครึ่งปีแรก ปีงบประมาณ 2569
ita: [O29]
category: other
category_other: สถิติเรื่องร้องเรียน
requester: orawan.p
requested_at: 2026-04-02T10:00:00+07:00
detail: สถิติเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ 1 ตุลาคม 2568 ถึง 31 มีนาคม 2569
delivery: email
attachments: []
complaint_statistics:
  from: 2025-10-01
  to: 2026-03-31
  received: 0
  done: 0
  in_progress: 0
  none: true
approvals: []
---
ไม่มีเรื่องร้องเรียนการทุจริตและประพฤติมิชอบในครึ่งปีแรกของปีงบประมาณ 2569
"""


def test_complaint_statistics_say_none_in_words_and_are_evidence(tmp_path):
    root = project_copy(tmp_path, content=True)
    path = root / "content/disclosures/other/complaints-2569-h1.md"
    path.write_text(COMPLAINTS, encoding="utf-8")
    for by, step, at in (
        ("kittipong.m", "content", "2026-04-02T14:00:00+07:00"),
        ("prasert.j", "permit", "2026-04-03T10:00:00+07:00"),
    ):
        assert (
            main(["approve", str(path), "--by", by, "--step", step, "--at", at, "--root", str(root), "--now", NOW]) == 0
        )
    assert main(["build", "--root", str(root), "--now", NOW, "--no-search"]) == 0
    page = page_html(root / "output/disclosures/other/complaints-2569-h1/index.html")
    assert "ไม่มีเรื่องร้องเรียน (1 ตุลาคม 2568 – 31 มีนาคม 2569)" in page
    assert '<th scope="col">ดำเนินการแล้วเสร็จ (เรื่อง)</th>' in page
    items = json.loads((root / "output/api/items.json").read_text(encoding="utf-8"))["items"]
    entry = next(i for i in items if i["id"] == "disclosures/other/complaints-2569-h1")
    assert entry["complaint_statistics"]["none"] is True and entry["complaint_statistics"]["received"] == 0
    _, found = ita_json(root, "--fiscal-year", "2569")
    o29 = found["rows"][28]
    assert o29["code"] == "O29" and o29["state"] == "complete"
    assert f"{SITE}/disclosures/other/complaints-2569-h1/" in [link["url"] for link in o29["links"]]
