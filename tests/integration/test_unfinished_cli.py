"""Issue 14, items 1 and 2 end to end: a Buddhist-Era year and an untouched `khaosan new`
scaffold through `check`, `check --publish`, `approve`, `status` and `build`."""

from __future__ import annotations

import json
import re

from support.items import EVENT, PATHS, block, digest_of, item_text, line_of, signed_text
from support.site import project_copy

from workflow.cli import main
from workflow.core import scaffold

NEWS = PATHS["news"]
BE_END = "2569-11-20T12:00:00+07:00"
NEW_MEETING = ("new", "news", "--title", "ประชุมผู้บริหาร", "--author", "somchai.p", "--news-type", "meeting")
SCAFFOLD = "content/news/2569/meeting-20261125-1200.md"
SIGNERS = [("kanda.s", "facts", "2026-11-25T12:00:00+07:00"), ("malee.t", "check", "2026-11-25T12:00:00+07:00")]


def problems(result) -> list[dict]:
    assert "Traceback" not in result.output
    return json.loads(result.out)["problems"]


def signed(text: str) -> str:
    """`text` with both news sign-offs recorded for its content as it is (as a reviewer on GitHub could)."""
    digest = digest_of(text)
    entries = "".join(
        f"\n  - by: {by}\n    step: {step}\n    at: {at}\n    digest: {digest}" for by, step, at in SIGNERS
    )
    return text.replace("approvals: []", "approvals:" + entries)


# -- item 1: a year from the wrong calendar ---------------------------------------------------


def test_check_names_the_buddhist_era_year_on_its_line_with_the_converted_value(repo):
    text = item_text("news", event=block({**EVENT, "ends_at": BE_END}))
    repo.write(NEWS, text)
    result = repo.khaosan("check", "--format", "json")
    assert result.code == 1
    (found,) = problems(result)
    assert (found["code"], found["line"], found["severity"]) == ("KS215", line_of(text, "ends_at:"), "error")
    assert found["hint"].endswith(f"{BE_END} → 2026-11-20T12:00:00+07:00")


def test_status_computes_no_deadline_from_a_buddhist_era_year(repo):
    repo.write(NEWS, signed_text("news", event=block({**EVENT, "ends_at": BE_END})))
    result = repo.khaosan("status")
    assert result.code == 1  # the item has an error
    assert "3112" not in result.out and "เผยแพร่ภายใน:" not in result.out
    assert "สถานะ: มีข้อผิดพลาด" in result.out
    data = json.loads(repo.khaosan("status", "--format", "json").out)
    assert data["items"][0]["deadlines"] == []


def test_the_publish_gate_refuses_a_buddhist_era_year(repo):
    repo.write(NEWS, signed_text("news", publish_at="2569-11-26T09:00:00+07:00"))
    result = repo.khaosan("check", "--publish", "--format", "json")
    assert result.code == 1 and [p["code"] for p in problems(result)] == ["KS215"]


# -- item 2: an untouched scaffold ---------------------------------------------------------


def test_new_writes_placeholders_check_warns_and_approve_refuses(repo):
    assert repo.khaosan(*NEW_MEETING).code == 0
    text = repo.read(SCAFFOLD)
    assert scaffold.TIMES_NOTE in text and scaffold.BLANK_NOTE in text  # nothing looks finished
    checked = repo.khaosan("check", "--format", "json")
    assert checked.code == 0
    assert sorted((p["code"], p["line"], p["severity"]) for p in problems(checked)) == sorted(
        [
            ("KS217", line_of(text, "summary:"), "warning"),
            ("KS217", line_of(text, "place:"), "warning"),
            ("KS218", line_of(text, "starts_at:"), "warning"),
            ("KS217", line_of(text, scaffold.PLACEHOLDER_BODIES["news"].strip()), "warning"),
        ]
    )
    refused = repo.khaosan("approve", SCAFFOLD, "--by", "anan.w", "--step", "facts")
    assert refused.code == 1 and "KS218" in refused.out and repo.read(SCAFFOLD) == text


def test_status_shows_no_deadline_for_times_never_set(repo):
    assert repo.khaosan(*NEW_MEETING).code == 0
    out = repo.khaosan("status").out
    assert "มาตรฐานเวลา: เผยแพร่ภายใน 3 ชั่วโมงหลังการประชุมเสร็จ" in out
    assert "เผยแพร่ภายใน:" not in out  # 3 hours after the moment `new` ran would be a wrong deadline


def test_a_signed_scaffold_does_not_pass_the_publish_gate(repo):
    assert repo.khaosan(*NEW_MEETING).code == 0
    repo.write(SCAFFOLD, signed(repo.read(SCAFFOLD)))
    result = repo.khaosan("check", "--publish", "--format", "json")
    assert result.code == 1
    found = problems(result)
    assert {(p["code"], p["severity"]) for p in found} == {("KS217", "error"), ("KS218", "error")}
    assert all(re.search(r"[\u0E00-\u0E7F]", p["message"]) for p in found)


def test_build_refuses_a_signed_scaffold(tmp_path, capsys):
    root = project_copy(tmp_path)
    assert main(["new", *NEW_MEETING[1:], "--root", str(root), "--now", "2026-11-25T12:00:00+07:00"]) == 0
    path = root / SCAFFOLD
    path.write_text(signed(path.read_text(encoding="utf-8")), encoding="utf-8")
    capsys.readouterr()
    assert main(["build", "--root", str(root), "--now", "2026-11-25T14:00:00+07:00"]) == 1
    assert "KS218" in capsys.readouterr().out
    assert not (root / "output").exists()


def test_a_filled_scaffold_is_signed_and_its_withdrawn_line_can_be_uncommented(repo):
    assert repo.khaosan("new", "news", "--title", "ข่าว", "--author", "somchai.p", "--slug", "filled").code == 0
    rel = "content/news/2569/filled.md"
    text = repo.read(rel)
    text = re.sub(r'summary: "".*\n', "summary: สรุปข่าว\n", text)
    repo.write(rel, text.replace(scaffold.PLACEHOLDER_BODIES["news"], "สพป. จัดกิจกรรม\n"))
    assert repo.khaosan("approve", rel, "--by", "malee.t", "--step", "facts").code == 0
    assert repo.khaosan("approve", rel, "--by", "wilaiwan.s", "--step", "check").code == 0
    withdrawn = "withdrawn:\n  at: 2026-11-25T12:00:00+07:00\n  by: prasert.j\n  reason: ข้อมูลคลาดเคลื่อน\n"
    repo.write(rel, repo.read(rel).replace("# withdrawn:\n", withdrawn))
    result = repo.khaosan("check", rel, "--format", "json")
    assert [p["code"] for p in problems(result) if p["severity"] == "error"] == []
    assert result.code == 0


def test_status_computes_nothing_from_a_buddhist_era_production_time(repo):
    repo.write(NEWS, item_text("news", produced_at="2569-11-20T14:10:00+07:00"))
    result = repo.khaosan("status")
    assert result.code == 1 and "จัดทำเสร็จ" not in result.out and "เผยแพร่ภายใน:" not in result.out
