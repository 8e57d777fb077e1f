"""The publish gate's core (workflow/core/safety.py), pure: fake attachments in, problems out."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st
from support.checking import context
from support.items import ATTACHMENT, PATHS, item_text

from workflow.core.problems import CODES
from workflow.core.safety import Attachment, names_a_person
from workflow.core.validate import check_item

PDF = Attachment(ATTACHMENT, 1000, "pdf", (("หน้า 2", "เลขประจำตัว 1-2345-67890-12-1"),))


def gate(text: str, attachment: Attachment | None = PDF, kind: str = "disclosure"):
    ctx = replace(context(publish=True), safety=True, inspect=lambda ref: attachment)
    return check_item(PATHS[kind], text.encode("utf-8"), ctx)


def ks7(result) -> list[tuple[str, str]]:
    return [(p.code, p.severity) for p in result.problems if p.code.startswith("KS7")]


def test_attachment_text_is_scanned_and_the_page_named():
    result = gate(item_text("disclosure"))
    assert ks7(result) == [("KS701", "error")]
    assert any(f"content/{ATTACHMENT} หน้า 2" in p.message for p in result.problems)


def test_refused_attachment_is_not_also_scanned():
    result = gate(item_text("disclosure"), replace(PDF, encrypted=True))
    assert ks7(result) == [("KS715", "error")]


def test_without_safety_nothing_is_scanned():
    ctx = replace(context(publish=True), inspect=lambda ref: PDF)
    assert not [
        p
        for p in check_item(PATHS["disclosure"], item_text("disclosure").encode(), ctx).problems
        if p.code.startswith("KS7")
    ]


def test_names_a_person():
    people = ["นายสมชาย ประชาสุข"]
    assert names_a_person("นายสมชาย ประชาสุข", people)
    assert names_a_person("Somchai Prachasuk", people)
    assert names_a_person("สมชาย ประชาสุข", people)
    assert not names_a_person("สพป.ภูผาหมอก เขต 1", people)
    assert not names_a_person("admin", people)
    assert not names_a_person("Microsoft Office User", people)
    assert not names_a_person("Canon Scanner", people)
    assert not names_a_person("", people)


@given(
    st.binary(max_size=300),
    st.sampled_from(["pdf", "docx", "jpeg", "exe", "macro", "empty", "unknown"]),
    st.text(max_size=80),
)
def test_any_item_and_any_attachment_give_wellformed_problems(raw, kind, text):
    fake = Attachment(ATTACHMENT, len(raw), kind, (("หน้า 1", text),), (text,), gps=bool(raw[:1]))
    for data in (
        raw,
        b"---\n" + raw + b"\n---\n" + text.encode("utf-8", "replace"),
        item_text("disclosure", body=text).encode(),
    ):
        ctx = replace(context(publish=True), safety=True, inspect=lambda ref, f=fake: f)
        for p in check_item(PATHS["disclosure"], data, ctx).problems:
            assert p.code in CODES and p.line >= 1 and p.column >= 1 and p.message and p.fix
