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


def test_numbers_inside_slugs_are_not_personal_data_but_values_in_urls_are():
    good = "1234567890121"  # a valid checksum
    slugs = f"ดู [ข่าว](/news/2567/meeting-{good}/) รหัส meeting-20250105-01234 และ https://example.go.th/2567/11/x"
    assert pdpa.scan_text(slugs, OFFICE) == []  # a number glued into a slug is part of a name
    assert [f.code for f in pdpa.scan_text(f"ดู [เลข {good}](/news/2567/x/)", OFFICE)] == ["KS701"]  # link text is text
    # a URL is published as it is: a value in its path or query is as public as the page (issue 13)
    urls = (f"https://example.go.th/doc/{good}.pdf", f"https://e.example/?cid={good}", "www.example.go.th/0812345678")
    for url in urls:
        assert len(pdpa.scan_text(f"ดู {url} ครับ", OFFICE)) == 1, url


def test_front_matter_ids_and_file_refs_are_not_scanned():
    data = {"about": ["news/2568/meeting-1234567890121"], "title": "เลข 1234567890121"}
    assert [k for k, _ in pdpa.strings(data)] == [("title",)]


def test_any_grouping_of_the_id_is_an_id_and_the_checksum_decides():
    for form in ("12345678-90121", "1234-5678-9012-1", "1.2345.67890.12.1", "1 2345 67890 12 1", "ID1234567890121"):
        assert [f.code for f in pdpa.scan_text(f"รหัส {form} ค่ะ", OFFICE)] == ["KS701"], form
    assert pdpa.scan_text("รหัส 1234-5678-9012-2", OFFICE) == []  # a wrong checksum: an ordinary number


# -- issue 13: every form a reader sees, every place it hides ---------------------------------------

ID = "1234567890121"
ID_CARD = "1-2345-67890-12-1"


@pytest.mark.parametrize(
    "written",
    [
        "1-2345-\u200b67890-12-1",  # a zero-width space inside
        "1\\-2345\\-67890\\-12\\-1",  # Markdown-escaped dashes
        "&#49;&#50;&#51;&#52;&#53;&#54;&#55;&#56;&#57;&#48;&#49;&#50;&#49;",  # HTML entities
        "&#x31;234567890121",
        "\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18\uff19\uff10\uff11\uff12\uff11",  # fullwidth digits
        "๑๒๓๔๕๖๗๘๙๐๑๒๑",  # Thai digits
        "1\u20122345\u201367890\u201412\u22121",  # figure dash, en dash, em dash, minus
        "1\u00a02345\u00a067890\u00a012\u00a01",  # no-break spaces
        "1-2345-6789\u00ad0-12-1",  # a soft hyphen
        "ID1234567890121",  # a prefix glued on
    ],
)
def test_an_id_in_any_form_a_reader_sees_as_an_id(written):
    text = f"ผู้ขอ {written} ค่ะ"
    (found,) = pdpa.scan_text(text, OFFICE)
    assert found.code == "KS701" and found.match == ID
    # the place is the original's: line and column point at what the person typed
    assert text[found.start : found.end].lstrip("ID") == written.lstrip("ID") or found.start == text.index(written)


@pytest.mark.parametrize(
    "written",
    [
        "somchai&#64;gmail.com",
        "somchai&commat;gmail.com",
        "สมชาย@gmail.com",
        "somchai@โรงเรียน.ไทย",
        "som\u200bchai@gmail.com",
    ],
)
def test_an_email_in_any_form_is_an_email(written):
    assert [f.code for f in pdpa.scan_text(f"ติดต่อ {written} ได้", OFFICE)] == ["KS703"]


@pytest.mark.parametrize(
    ("link", "code"),
    [
        ("[โทร](tel:0812345678)", "KS702"),
        ("[โทร](tel:+66-81-234-5678)", "KS702"),
        ('<a href="tel:0812345678">โทร</a>', "KS702"),
        ("[WhatsApp](https://wa.me/66812345678)", "KS702"),
        ("https://api.whatsapp.com/send?phone=66812345678", "KS702"),
        ("[LINE](https://line.me/ti/p/~somchai.k)", "KS708"),
        ("[เมล](mailto:somchai@gmail.com)", "KS703"),
        ("[เมล](mailto:somchai%40gmail.com)", "KS703"),
        (f"[ผล](https://school.example/result?cid={ID})", "KS701"),
        ("[ผล](https://school.example/result?cid=1%2D2345%2D67890%2D12%2D1)", "KS701"),
        ("<https://school.example/r?tel=0812345678>", "KS702"),
    ],
)
def test_a_link_target_is_read_as_the_address_it_is(link, code):
    text = f"ดูที่ {link} ครับ"
    found = pdpa.scan_text(text, OFFICE)
    assert [f.code for f in found] == [code], found
    assert text[found[0].start : found[0].end] in link  # the place is the link


def test_the_offices_own_contacts_in_links_and_an_official_account_are_fine():
    text = (
        "[โทร](tel:021234567) [เมล](mailto:saraban@office.example) "
        "[LINE](https://line.me/R/ti/p/@phuphamok1) [เว็บ](https://www.school.example/a/b)"
    )
    assert pdpa.scan_text(text, OFFICE) == []


@pytest.mark.parametrize(
    ("name", "code"),
    [
        (f"files/2569/somchai-{ID}.pdf", "KS701"),
        (f"files/2569/{ID}_คำขอ.pdf", "KS701"),
        ("images/2569/โทร-0812345678.jpg", "KS702"),
        ("files/2569/somchai.k@gmail.com.pdf", "KS703"),
        (f"content/news/2569/student-{ID}.md", "KS701"),
    ],
)
def test_a_file_name_is_read_as_a_name(name, code):
    assert [f.code for f in pdpa.scan_name(name, OFFICE)] == [code]


@pytest.mark.parametrize(
    "name",
    ["files/2569/tor-2569-01.pdf", "content/news/2569/meeting-20261120-executives.md", "images/2569/img_0042.jpg"],
)
def test_ordinary_file_names_are_fine(name):
    assert pdpa.scan_name(name, OFFICE) == []


def test_folding_maps_every_offset_back_into_the_original():
    text = "a&#64;b \u200b\u200bx\\-y ๑๒"
    folded = pdpa.fold(text)
    assert folded.text == "a@b x-y 12"
    for index in range(len(folded.text)):
        assert 0 <= folded.original(index) < len(text)
    assert text[folded.original(folded.text.index("x")) :].startswith("x")
    assert text[folded.original(folded.text.index("y")) :].startswith("y")


def test_many_findings_are_scanned_in_linear_time():
    """50k IDs in one body took 56 s when every finding was compared with every earlier one."""
    import time

    started = time.process_time()
    found = pdpa.scan_text(f"{ID_CARD}\n" * 50_000, OFFICE)
    assert len(found) == 50_000
    assert time.process_time() - started < 15


@pytest.mark.parametrize("unit", ["![](", "[a](", 'href="', "](" + "a" * 5000 + " "])
def test_unclosed_link_targets_are_scanned_in_linear_time(unit):
    """An unclosed `](` scanned to the end of the body for each one: 1 MiB of `![](` took minutes."""
    import time

    started = time.process_time()
    pdpa.scan_text(unit * (1_000_000 // len(unit)), OFFICE)
    assert time.process_time() - started < 10


def test_thirteen_digits_starting_with_0_or_9_are_no_id_even_with_the_checksum():
    """stdnum's rule, kept in text and in names alike (the fast path once skipped it)."""
    for first in "09":
        head = first + "23456789012"
        number = head + pin.calc_check_digit(head)
        assert not pin.is_valid(number)
        assert [f for f in pdpa.scan_text(f"รหัส {number} ค่ะ", OFFICE) if f.code == "KS701"] == []
        assert pdpa.scan_name(f"files/2569/{number}.pdf", OFFICE) == []
