"""The PDPA scanner: what is personal data, what is not, and how it is shown (masked)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.th import pin

from workflow.core import pdpa

# office.yml's phone, email and allowed_contacts, as `build_office` hands them over
OFFICE = pdpa.allowed_contacts(["02 123 4567", "saraban@office.example", "081 111 2222", "@school.example"])


def kinds(text: str, allowed: pdpa.Allowed = OFFICE) -> list[tuple[str, str]]:
    return [(f.code, f.masked) for f in pdpa.scan_text(text, allowed)]


# -- KS701 national ID ---------------------------------------------------------------


@pytest.mark.parametrize(
    "written",
    [
        ":1-2345-67890-12-1",
        "(1234567890121)",
        "1-2345-67890-12-1",
        "1234567890121",
        "1 2345 67890 12 1",
        "๑-๒๓๔๕-๖๗๘๙๐-๑๒-๑",
        "๑๒๓๔๕๖๗๘๙๐๑๒๑",
    ],
)
def test_national_id_in_any_writing(written):
    found = pdpa.scan_text(f"ผู้ยื่นคำขอ เลขประจำตัว {written} ได้รับอนุมัติ", OFFICE)
    assert [(f.code, f.match) for f in found] == [("KS701", "1234567890121")]


def test_national_id_masked_in_the_middle():
    assert kinds("เลขประจำตัว 1-2345-67890-12-1") == [("KS701", "1-2345-xxxxx-xx-1")]


def test_a_wrong_checksum_is_not_an_id():
    assert pdpa.scan_text("เลขที่เอกสาร 1-2345-67890-12-2", OFFICE) == []


def test_fourteen_digits_are_not_an_id():
    assert pdpa.scan_text("รหัสโครงการ 12345678901213", OFFICE) == []


@given(st.text(alphabet="0123456789", min_size=12, max_size=12).filter(lambda s: s[0] not in "09"))
def test_every_valid_checksum_is_found_and_every_wrong_one_is_not(first12):
    good = first12 + pin.calc_check_digit(first12)
    bad = first12 + str((int(good[-1]) + 1) % 10)
    assert [f.code for f in pdpa.scan_text(f"เลข {good} ", OFFICE)] == ["KS701"]
    assert "KS701" not in [f.code for f in pdpa.scan_text(f"เลข {bad} ", OFFICE)]


# -- KS702 phone, KS703 e-mail ---------------------------------------------------------


def test_personal_mobile_number_found_in_thai_or_arabic_digits():
    assert kinds("ติดต่อครูสมชาย โทร 081-234-5678") == [("KS702", "081-xxx-xx78")]
    assert [f.code for f in pdpa.scan_text("โทร ๐๘๑๒๓๔๕๖๗๘", OFFICE)] == ["KS702"]
    assert [f.code for f in pdpa.scan_text("โทร +66 81 234 5678", OFFICE)] == ["KS702"]


def test_office_numbers_are_allowed_in_any_writing():
    assert pdpa.scan_text("สอบถามได้ที่ 02-123-4567 หรือ ๐๘๑-๑๑๑-๒๒๒๒ หรือ +66 2 123 4567", OFFICE) == []


def test_money_dates_and_document_numbers_are_not_phones():
    text = "งบประมาณ 1,250,000 บาท ครั้งที่ 11/2569 วันที่ 20/11/2569 เวลา 09.00-12.00 น. ISBN 978-616-7890-12-3"
    assert [f for f in pdpa.scan_text(text, OFFICE) if f.code == "KS702"] == []


def test_email_found_and_masked_office_addresses_and_domains_allowed():
    assert kinds("ส่งที่ somchai.p@gmail.com") == [("KS703", "sxxxxxxxp@gmail.com")]
    assert pdpa.scan_text("ส่งที่ saraban@office.example หรือ Head@School.example", OFFICE) == []


# -- KS704 children, KS705 bank accounts -----------------------------------------------


def test_child_name_with_birth_date_or_address():
    assert kinds("ด.ญ.สมใจ ใจดี เกิดวันที่ 3 มีนาคม 2560") == [("KS704", "ด.ญ.สxxx ใxxx")]
    assert [f.code for f in pdpa.scan_text("เด็กชายกล้า หาญ บ้านเลขที่ 12 หมู่ 4", OFFICE)] == ["KS704"]
    assert [f.code for f in pdpa.scan_text("ด.ช.มานะ ขยัน อยู่บ้านเลขที่ 5/2 ม.3 ต.หมอกงาม", OFFICE)] == ["KS704"]


def test_child_name_alone_is_not_a_finding():
    assert pdpa.scan_text("ขอแสดงความยินดีกับ ด.ญ.สมใจ ใจดี ที่ได้รับรางวัลชนะเลิศการประกวดเรียงความ", OFFICE) == []


def test_bank_account_in_context():
    assert kinds("โอนเงินเข้า เลขที่บัญชี 123-4-56789-0 ธนาคารกรุงไทย") == [("KS705", "123-x-xxxxx-0")]
    assert pdpa.scan_text("บัญชีรายชื่อ 1234567890 คน", OFFICE) == []


# -- the parts around -----------------------------------------------------------------


def test_normalise_lets_an_exception_be_written_any_way():
    assert pdpa.normalise("KS702", "+66 81 234 5678") == pdpa.normalise("KS702", "081-234-5678")
    assert "1234567890121" in pdpa.normalise_any("๑-๒๓๔๕-๖๗๘๙๐-๑๒-๑")


def test_front_matter_strings_skip_approvals_and_exceptions():
    data = {
        "title": "x",
        "approvals": [{"by": "a"}],
        "pdpa_allow": [{"match": "081"}],
        "event": {"place": "y"},
        "images": [{"alt": "z"}],
    }
    assert sorted(pdpa.strings(data)) == [(("event", "place"), "y"), (("images", 0, "alt"), "z"), (("title",), "x")]


@given(st.text(max_size=300))
def test_any_text_gives_findings_inside_it(text):
    for f in pdpa.scan_text(text, OFFICE):
        assert 0 <= f.start < f.end <= len(text)
        assert f.code in pdpa.LABELS and f.masked


def test_a_long_line_is_scanned_in_bounded_time():
    import time

    started = time.process_time()  # CPU time: what the scan costs, not how busy the machine is
    pdpa.scan_text("0" * 2_000_000 + " 1-2345-67890-12-1", OFFICE)
    pdpa.scan_text("ด.ช." * 200_000, OFFICE)
    assert time.process_time() - started < 20


def test_numbers_inside_slugs_links_and_urls_are_not_personal_data():
    good = "1234567890121"  # a valid checksum, but part of an address each time
    text = (
        f"ดู [ข่าว](/news/2567/meeting-{good}/) และ https://example.go.th/doc/{good}.pdf "
        f"หรือ www.example.go.th/0812345678 รหัส meeting-20250105-01234"
    )
    assert pdpa.scan_text(text, OFFICE) == []
    assert [f.code for f in pdpa.scan_text(f"ดู [เลข {good}](/news/2567/x/)", OFFICE)] == ["KS701"]  # link text is text


def test_front_matter_ids_and_file_refs_are_not_scanned():
    data = {"about": ["news/2568/meeting-1234567890121"], "title": "เลข 1234567890121"}
    assert [k for k, _ in pdpa.strings(data)] == [("title",)]


def test_id_grouping_other_than_the_cards_is_not_an_id():
    assert pdpa.scan_text("รหัส 12345678-90121", OFFICE) == []
    assert [f.code for f in pdpa.scan_text("เลข 1 2345 67890 12 1", OFFICE)] == ["KS701"]
