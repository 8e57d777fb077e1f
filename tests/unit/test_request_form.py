"""workflow.core.request_form: the paper form's fields from a checked disclosure (pure)."""

from __future__ import annotations

from datetime import datetime

from support.checking import check, office
from support.items import item_text, signed_text

from workflow.core.request_form import BLANK, STATUS_LABELS, fill


def form_of(text: str, path: str | None = None, **record):
    result = check(text, "disclosure", path=path)
    assert result.item is not None and result.signoffs is not None and not result.errors, result.problems
    defaults = {"published_at": None, "published_commit": None, "first_commit": None}
    return fill(result.item, office(), result.signoffs, digest=result.digest, **{**defaults, **record})


def test_other_category_states_its_topic_and_only_the_chosen_boxes_are_marked():
    text = item_text("disclosure", category="other", category_other="รายงานการเงินประจำปี")
    form = form_of(text, "content/disclosures/other/financial-report.md")
    checked = [b.label for b in form.categories if b.checked]
    assert checked == ["ข้อมูลข่าวสารอื่น ๆ (ระบุ) รายงานการเงินประจำปี"]
    assert [b.checked for b in form.deliveries] == [True, False, False, False]  # email


def test_unsigned_steps_and_missing_records_are_lines_to_fill_in_never_invented():
    form = form_of(item_text("disclosure"))
    assert {line.status for line in form.signoffs} == {STATUS_LABELS["missing"]}
    assert form.part1[1].name == BLANK and form.received == BLANK and form.published == BLANK
    assert form.checker.name == "นางรัตนา บุญมา"  # the requester's group director answers part 3


def test_a_signed_request_names_its_signers_with_positions_and_times():
    form = form_of(signed_text("disclosure"), published_at=datetime.fromisoformat("2026-11-21T12:00:00+07:00"))
    assert form.part1[1].name == "นายประเสริฐ ใจดีงาม" and "ผู้อำนวยการ" in form.part1[1].position
    assert form.signoffs[0].at == "21 พฤศจิกายน 2569 เวลา 10:00 น."
    assert form.published == "21 พฤศจิกายน 2569"
    assert all("prasert.j" not in text and "rattana.b" not in text for text in form.texts())
