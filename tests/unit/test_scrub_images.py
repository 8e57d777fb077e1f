"""The image scrubbers on bytes: what each container keeps, what it leaves out, what it refuses.

Each case plants metadata where issue 13 found a leak (support/leaky.py), cleans it, and
checks three things: no planted value is left in the bytes, Pillow still reads the same
pixels (the image data is copied, never re-encoded), and the structure holds only what
the module's docstring says it keeps.
"""

from __future__ import annotations

import io
import os
import warnings

import pytest
from hypothesis import given
from hypothesis import strategies as st
from support.leaky import (
    COMMENT,
    XMP,
    bomb_png,
    exif_block,
    exif_png,
    leaks,
    leaky_gif,
    leaky_jpeg,
    leaky_webp,
    plain_jpeg,
    plain_png,
    png_chunk,
    png_chunks,
    text_png,
    with_png_chunks,
    xmp_png,
)

from workflow.edges.site.scrub import IMAGES, ScrubError, plan_image, scrub_bytes
from workflow.edges.site.scrub.exif import orientation, orientation_only
from workflow.edges.site.scrub.plan import FileData, Plan, render


def clean(data: bytes) -> bytes:
    return render(plan_image(data))


def opened(data: bytes):
    from PIL import Image

    with warnings.catch_warnings():  # the planted MPF segment makes Pillow warn about the original
        warnings.simplefilter("ignore")
        image = Image.open(io.BytesIO(data))
        image.load()
    return image


def frames(data: bytes) -> list[bytes]:
    from PIL import ImageSequence

    return [frame.convert("RGBA").tobytes() for frame in ImageSequence.Iterator(opened(data))]


def jpeg_markers(data: bytes) -> list[tuple[int, bytes]]:
    """(marker, first bytes of the body) of every segment before the first scan."""
    found, pos = [], 2
    while data[pos + 1] != 0xDA:
        assert data[pos] == 0xFF and data[pos + 1] != 0xFF, pos  # no fill bytes left
        length = int.from_bytes(data[pos + 2 : pos + 4], "big")
        found.append((data[pos + 1], data[pos + 4 : pos + 20]))
        pos += 2 + length
    return found


def scan_data(data: bytes) -> bytes:
    """Everything from the first scan header to the end-of-image marker."""
    return data[data.index(b"\xff\xda") : data.index(b"\xff\xd9", data.index(b"\xff\xda")) + 2]


def exif_tags(image) -> dict[int, object]:
    exif = image.getexif()
    return {**dict(exif), **{f"gps{k}": v for k, v in exif.get_ifd(0x8825).items()}}


# -- JPEG ----------------------------------------------------------------------------------


def test_jpeg_keeps_only_orientation_icc_and_the_image_data():
    original = leaky_jpeg()
    out = clean(original)
    assert leaks(original) and leaks(out) == []
    assert scan_data(out) == scan_data(original)  # the compressed image, byte for byte
    assert out.endswith(b"\xff\xd9")  # the second image after the end is gone
    kinds = {(marker, body[:5]) for marker, body in jpeg_markers(out)}
    assert {m for m, _ in kinds} <= {0xE0, 0xE1, 0xE2, 0xDB, 0xC0, 0xC4}
    assert (0xE2, b"ICC_P") in kinds
    image = opened(out)
    assert exif_tags(image) == {0x0112: 6}
    assert "comment" not in image.info and "xmp" not in image.info and "icc_profile" in image.info
    assert image.tobytes() == opened(original).tobytes()


def test_jpeg_with_fill_bytes_between_segments_is_cleaned():
    """The old scanner gave up at the first 0xFF fill byte and published the original."""
    original = leaky_jpeg(fill=True)
    assert b"\xff\xff\xff\xdb" in original
    out = clean(original)
    assert leaks(out) == [] and b"\xff\xff\xdb" not in out[: out.index(b"\xff\xda")]
    assert opened(out).tobytes() == opened(original).tobytes()


def test_jfif_thumbnail_is_left_out():
    original = plain_jpeg(orientation=None, icc=False)
    thumbnail = b"JFIF\x00\x01\x02\x00\x00\x48\x00\x48\x02\x02" + bytes(12)
    original = original[:2] + b"\xff\xe0" + (len(thumbnail) + 2).to_bytes(2, "big") + thumbnail + original[2:]
    out = clean(original)
    app0 = [body for marker, body in jpeg_markers(out) if marker == 0xE0]
    assert app0 and all(body.startswith(b"JFIF") and body[12:14] == b"\x00\x00" for body in app0)
    assert opened(out).tobytes() == opened(original).tobytes()


def test_a_clean_jpeg_is_left_as_it_is():
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (16, 16), "blue").save(out, "JPEG")
    assert plan_image(out.getvalue()).unchanged()
    assert scrub_bytes(out.getvalue()) is None


@pytest.mark.parametrize(
    "make", [leaky_jpeg, text_png, xmp_png, exif_png, leaky_gif, leaky_webp, lambda: leaky_webp(exif=False)]
)
def test_cleaning_twice_changes_nothing_more(make):
    once = clean(make())
    assert plan_image(once).unchanged()


def test_truncated_jpeg_is_refused():
    data = plain_jpeg()
    for cut in (len(data) - 40, data.index(b"\xff\xda") + 3, 3):
        with pytest.raises(ScrubError) as caught:
            plan_image(data[:cut])
        assert caught.value.code == "KS741", cut


def test_unknown_jpeg_marker_is_refused():
    data = plain_jpeg()
    odd = data[:2] + b"\xff\xf7\x00\x04ab" + data[2:]  # JPEG-LS frame: not what the site shows
    with pytest.raises(ScrubError) as caught:
        plan_image(odd)
    assert caught.value.code == "KS742"


def test_garbage_between_segments_is_refused():
    data = plain_jpeg()
    with pytest.raises(ScrubError) as caught:
        plan_image(data[:20] + b"junk" + data[20:])  # after the JFIF segment
    assert caught.value.code == "KS741"


# -- EXIF ----------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [1, 3, 6, 8])
def test_orientation_is_read_from_either_byte_order_and_rebuilt_alone(value):
    from PIL import Image

    block = exif_block(value)
    assert orientation(block) == value
    little = Image.Exif()
    little.load(block)
    assert orientation(orientation_only(value)) == value
    rebuilt = Image.Exif()
    rebuilt.load(b"Exif\x00\x00" + orientation_only(value))
    assert dict(rebuilt) == {0x0112: value}
    swapped = b"II\x2a\x00\x08\x00\x00\x00\x01\x00\x12\x01\x03\x00\x01\x00\x00\x00" + bytes((value, 0, 0, 0)) + bytes(4)
    assert orientation(swapped) == value


@pytest.mark.parametrize("block", [b"", b"Exif\x00\x00", b"MM\x00\x2a\xff\xff\xff\xff", b"II*\x00\x08\x00\x00\x00\xff"])
def test_unreadable_exif_has_no_orientation(block):
    assert orientation(block) is None


# -- PNG -----------------------------------------------------------------------------------

PNG_KEPT = {b"IHDR", b"PLTE", b"IDAT", b"IEND", b"iCCP", b"pHYs", b"gAMA", b"cHRM", b"sRGB", b"tRNS", b"eXIf"}


@pytest.mark.parametrize("make", [text_png, xmp_png, exif_png])
def test_png_text_xmp_and_exif_are_left_out(make):
    original = make()
    out = clean(original)
    assert leaks(original) and leaks(out) == []
    kinds = [kind for kind, _ in png_chunks(out)]
    assert set(kinds) <= PNG_KEPT and b"iCCP" in kinds and b"pHYs" in kinds
    idat = [body for kind, body in png_chunks(original) if kind == b"IDAT"]
    assert [body for kind, body in png_chunks(out) if kind == b"IDAT"] == idat
    image = opened(out)
    assert image.tobytes() == opened(original).tobytes()
    assert not {k for k in image.info if k not in ("icc_profile", "dpi", "exif")}
    exif = [body for kind, body in png_chunks(out) if kind == b"eXIf"]
    assert exif == ([orientation_only(6)] if make is exif_png else [])


def test_png_past_the_decompression_bomb_limit_is_cleaned_without_decoding():
    from PIL import Image

    original = bomb_png()
    with pytest.raises(Image.DecompressionBombError):
        Image.open(io.BytesIO(original))
    out = clean(original)
    assert leaks(original) and leaks(out) == []
    assert [kind for kind, _ in png_chunks(out)] == [b"IHDR", b"IDAT", b"IEND"]
    assert png_chunks(out)[1] == png_chunks(original)[2]


def test_unknown_critical_png_chunk_is_refused_and_unknown_ancillary_left_out():
    with pytest.raises(ScrubError) as caught:
        plan_image(with_png_chunks(plain_png(), [png_chunk(b"CgBI", b"\x00" * 4)]))
    assert caught.value.code == "KS742"
    out = clean(with_png_chunks(plain_png(), [png_chunk(b"prVt", COMMENT.encode()), png_chunk(b"caBX", XMP)]))
    assert leaks(out) == [] and out == plain_png()


@pytest.mark.parametrize(
    ("cut", "code"),
    [(-12, "KS741"), (-20, "KS741"), (9, "KS741"), (None, "KS741")],
    ids=["no-iend", "mid", "head", "idat-first"],
)
def test_broken_png_is_refused(cut, code):
    data = plain_png()
    broken = data[:8] + data[data.index(b"IDAT") - 4 :] if cut is None else data[:cut]
    with pytest.raises(ScrubError) as caught:
        plan_image(broken)
    assert caught.value.code == code


def test_png_trailing_bytes_after_iend_are_left_out():
    out = clean(plain_png() + COMMENT.encode())
    assert out == plain_png()


# -- GIF -----------------------------------------------------------------------------------


def test_gif_comments_xmp_and_text_are_left_out_the_loop_kept():
    original = leaky_gif()
    out = clean(original)
    assert leaks(original) and leaks(out) == []
    assert b"NETSCAPE2.0" in out and b"XMP DataXMP" not in out and b"\x21\xfe" not in out
    image = opened(out)
    assert image.info.get("loop") == 0 and "comment" not in image.info
    assert frames(out) == frames(original) and len(frames(out)) == 2


def test_truncated_gif_is_refused():
    data = leaky_gif()
    for cut in (len(data) - 1, 20, 8):
        with pytest.raises(ScrubError) as caught:
            plan_image(data[:cut])
        assert caught.value.code == "KS741"


# -- WebP ----------------------------------------------------------------------------------


def _webp_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    found, pos = [], 12
    while pos + 8 <= len(data):
        size = int.from_bytes(data[pos + 4 : pos + 8], "little")
        found.append((data[pos : pos + 4], data[pos + 8 : pos + 8 + size]))
        pos += 8 + size + (size & 1)
    return found


@pytest.mark.parametrize("with_exif", [True, False])
def test_webp_exif_and_xmp_are_left_out_the_flags_say_so(with_exif):
    original = leaky_webp(exif=with_exif)
    out = clean(original)
    assert leaks(original) and leaks(out) == []
    chunks = dict(_webp_chunks(out))
    assert set(chunks) <= {b"VP8X", b"ICCP", b"VP8L", b"EXIF"} and b"XMP " not in chunks
    assert int.from_bytes(out[4:8], "little") == len(out) - 8
    flags = chunks[b"VP8X"][0]
    assert not flags & 0x04 and bool(flags & 0x08) == with_exif
    assert chunks.get(b"EXIF") == (orientation_only(6) if with_exif else None)
    assert dict(_webp_chunks(out))[b"VP8L"] == dict(_webp_chunks(original))[b"VP8L"]
    assert opened(out).tobytes() == opened(original).tobytes()


def test_truncated_webp_is_refused():
    data = leaky_webp()
    for broken in (data[:-30], data[:20], data[:12] + b"XMP " + data[16:]):
        with pytest.raises(ScrubError) as caught:
            plan_image(broken)
        assert caught.value.code == "KS741"


# -- big files, hostile bytes ------------------------------------------------------------


def test_a_jpeg_is_read_a_window_at_a_time(tmp_path):
    """A scan of several mebibytes (stuffed 0xFF bytes across window edges) comes out whole."""
    head = leaky_jpeg(fill=False)
    sos = head.index(b"\xff\xda")
    header = head[: sos + 2 + int.from_bytes(head[sos + 2 : sos + 4], "big")]
    scan = os.urandom(3 * 1024 * 1024 + 7).replace(b"\xff", b"\xff\x00")
    path = tmp_path / "big.jpg"
    path.write_bytes(header + scan + b"\xff\xd9" + COMMENT.encode())
    with open(path, "rb") as handle:
        out = render(plan_image(FileData(handle)))
    assert out.endswith(scan + b"\xff\xd9") and leaks(out) == []


PREFIXES = {
    "jpeg": b"\xff\xd8\xff",
    "png": b"\x89PNG\r\n\x1a\n",
    "gif": b"GIF89a",
    "webp": b"RIFF\x00\x00\x00\x00WEBP",
}


@pytest.mark.parametrize("kind", sorted(IMAGES))
@given(tail=st.binary(max_size=600))
def test_any_bytes_are_cleaned_or_refused_never_a_crash(kind, tail):
    """The planners themselves, without the safety net: only ScrubError may come out."""
    try:
        plan = IMAGES[kind](PREFIXES[kind] + tail)
    except ScrubError as exc:
        assert exc.code in ("KS741", "KS742")
        return
    assert isinstance(plan, Plan) and isinstance(render(plan), bytes)


SAMPLES = {"jpeg": leaky_jpeg(), "png": text_png(), "gif": leaky_gif(), "webp": leaky_webp()}


@pytest.mark.parametrize("kind", sorted(IMAGES))
@given(data=st.data())
def test_damaged_images_are_cleaned_or_refused(kind, data):
    sample = bytearray(SAMPLES[kind])
    for _ in range(data.draw(st.integers(1, 4))):
        sample[data.draw(st.integers(0, len(sample) - 1))] = data.draw(st.integers(0, 255))
    try:
        plan = IMAGES[kind](bytes(sample))
    except ScrubError as exc:
        assert exc.code in ("KS741", "KS742")
        return
    assert isinstance(render(plan), bytes)
