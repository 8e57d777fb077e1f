"""workflow.core.source: bytes to front matter + body, and every file-level problem."""

from __future__ import annotations

import pytest

from workflow.core.source import MAX_ITEM_BYTES, SourceError, split

GOOD = "---\ntype: news\ntitle: ข่าว\n---\nเนื้อข่าว\nบรรทัดสอง\n"


def error_of(raw: bytes, **kwargs: int) -> SourceError:
    with pytest.raises(SourceError) as caught:
        split(raw, **kwargs)
    return caught.value


def test_split_gives_yaml_body_and_their_first_lines():
    source = split(GOOD.encode())
    assert source.yaml_text == "type: news\ntitle: ข่าว\n"
    assert source.yaml_first_line == 2
    assert source.body == "เนื้อข่าว\nบรรทัดสอง\n"
    assert source.body_first_line == 5
    assert GOOD.split("\n")[source.body_first_line - 1] == "เนื้อข่าว"


def test_fences_may_carry_trailing_spaces():
    source = split(b"---  \ntitle: x\n--- \nbody")
    assert source.yaml_text == "title: x\n"
    assert source.body == "body"


def test_empty_front_matter_and_empty_body_are_split_not_refused():
    source = split(b"---\n---\n")
    assert source.yaml_text == "\n"
    assert source.body == ""


@pytest.mark.parametrize("raw", [b"", b"   ", b"\n\n", b" \t\n"])
def test_ks006_empty_file(raw):
    assert (error_of(raw).code, error_of(raw).line) == ("KS006", 1)


def test_ks009_too_big_is_refused_before_decoding():
    raw = GOOD.encode() + b"x" * MAX_ITEM_BYTES
    error = error_of(raw)
    assert error.code == "KS009"
    assert f"{len(raw):,}" in error.detail


def test_ks009_limit_is_a_parameter_and_inclusive():
    raw = GOOD.encode()
    assert split(raw, max_bytes=len(raw)).body
    assert error_of(raw, max_bytes=len(raw) - 1).code == "KS009"


def test_ks002_bom():
    error = error_of(b"\xef\xbb\xbf" + GOOD.encode())
    assert (error.code, error.line) == ("KS002", 1)


def test_ks005_nul_points_at_its_line_and_column():
    raw = b"---\ntitle: x\n---\nab\x00c\n"
    error = error_of(raw)
    assert (error.code, error.line, error.column) == ("KS005", 4, 3)


def test_ks005_utf16_is_binary_to_us():
    assert error_of(GOOD.encode("utf-16-le")).code == "KS005"


def test_ks001_invalid_utf8_names_the_line_and_byte():
    raw = "---\ntitle: ข่าว\n---\nเนื้อ".encode() + b" \xa1\xb2\n"
    error = error_of(raw)
    assert (error.code, error.line) == ("KS001", 4)
    assert "0xa1" in error.detail


def test_ks001_tis620_file():
    raw = "---\ntype: news\ntitle: ประชุม\n---\n".encode("cp874")
    error = error_of(raw)
    assert (error.code, error.line, error.column) == ("KS001", 3, 8)


def test_ks003_crlf_points_at_the_first_line_ending():
    raw = b"---\ntitle: x\r\n---\n"
    error = error_of(raw)
    assert (error.code, error.line, error.column) == ("KS003", 2, 9)


def test_ks003_lone_cr_too():
    assert error_of(b"---\ntitle: x\n---\nbody\rmore").code == "KS003"


@pytest.mark.parametrize("raw", [b"title: x\n---\n", b"\n---\ntitle: x\n---\n", b"# x\n", b"--- \xe0\xb8\x81\n"])
def test_ks007_no_front_matter(raw):
    assert (error_of(raw).code, error_of(raw).line) == ("KS007", 1)


@pytest.mark.parametrize(
    ("raw", "line"),
    [
        (b"---\ntitle: x\n", 2),
        (b"---\ntitle: x\nbody line\n", 3),
        (b"---\ntitle: x\nno newline at end", 3),
        (b"---", 1),
    ],
)
def test_ks008_unclosed_points_at_the_last_line(raw, line):
    error = error_of(raw)
    assert (error.code, error.line) == ("KS008", line)


def test_ks004_tab_indentation_with_line_and_column():
    raw = b"---\nevent:\n  \tname: x\n---\n"
    error = error_of(raw)
    assert (error.code, error.line, error.column) == ("KS004", 3, 3)


def test_tabs_inside_values_and_body_are_fine():
    source = split(b"---\ntitle: a\tb\n---\n\tindented body\n")
    assert source.body == "\tindented body\n"
