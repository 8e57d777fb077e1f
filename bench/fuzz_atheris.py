"""Coverage-guided fuzzing of the parser and the validator with atheris (not part of the suite).

    .venv/bin/python bench/fuzz_atheris.py                    # 180 s budget, one core
    .venv/bin/python bench/fuzz_atheris.py -max_total_time=60 -runs=100000
    KHAOSAN_FUZZ=attachments .venv/bin/python bench/fuzz_atheris.py   # the attachment inspectors instead
    KHAOSAN_FUZZ=scrub .venv/bin/python bench/fuzz_atheris.py         # only the build's metadata scrubbers

Each input is one item file's bytes. It goes through `parse_item`, `check_item`
(plain and with the publish gate, PDPA scan included) and the PDPA scanner on
the decoded text. Any exception is a finding: the core must answer every input
with problems. libFuzzer writes a crashing input to ./crash-<sha1>; replay it
with `python bench/fuzz_atheris.py crash-<sha1>`.

A seed corpus is made from the sample content and tests/fixtures/ on each run
(for attachments: the sample PDFs and small generated DOCX/JPEG files). With
KHAOSAN_FUZZ=attachments each input is one referenced file's bytes, through the
edge's type sniffing, PDF/ZIP/EXIF readers and the build's scrubbers: they must
answer every input with an `Attachment` (possibly "could not be read"), never raise.
With KHAOSAN_FUZZ=scrub each input goes only through the scrubbers
(workflow/edges/site/scrub/), called below their safety net: a clean plan or a
ScrubError, nothing else; seeds are the leaky files of tests/support/leaky.py.
"""

from __future__ import annotations

import io
import os
import sys
import tempfile
from datetime import datetime
from pathlib import Path

import atheris

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TARGET = os.environ.get("KHAOSAN_FUZZ", "items")

with atheris.instrument_imports(include=["workflow"]):
    from workflow.core import pdpa
    from workflow.core.problems import CODES
    from workflow.core.safety import Attachment
    from workflow.core.structure import AttachmentPolicy
    from workflow.core.validate import Context, check_item, parse_item
    from workflow.edges.files.attachments import _image, _office_zip, _pdf, sniff
    from workflow.edges.files.repository import Repository
    from workflow.edges.site.scrub import IMAGES, ScrubError
    from workflow.edges.site.scrub.office import plan_office
    from workflow.edges.site.scrub.pdf import plan_pdf
    from workflow.edges.site.scrub.plan import render

NOW = datetime.fromisoformat("2026-11-25T12:00:00+07:00")
PATH = "content/news/2569/fuzz-item.md"
_repo = Repository(ROOT)
_office, _ = _repo.office()
assert _office is not None
CTX = Context(_office, _repo.schemas, NOW, lambda ref: None, frozenset(), False)
PUBLISH = Context(_office, _repo.schemas, NOW, lambda ref: None, frozenset(), True, safety=True)
ALLOWED = _office.allowed_contacts


def one_input(raw: bytes) -> None:
    item, _source, problems = parse_item(PATH, raw)
    assert item is not None or problems
    for ctx in (CTX, PUBLISH):
        result = check_item(PATH, raw, ctx)
        for p in result.problems:
            assert p.code in CODES and p.line >= 1 and p.column >= 1, p
    text = raw.decode("utf-8", "replace")
    for finding in pdpa.scan_text(text, ALLOWED):
        assert "x" in finding.masked or len(finding.match) < 4, finding


def one_attachment(raw: bytes) -> None:
    kind = sniff(raw[:8192])
    if kind == "pdf":
        info = _pdf("files/x.pdf", raw)
    elif kind == "zip":
        info = _office_zip("files/x.docx", raw)
    elif kind in ("jpeg", "png", "gif", "webp"):
        info = _image("images/x.jpg", raw, kind)
    else:
        return
    assert isinstance(info, Attachment)
    for _place, text in info.texts:
        pdpa.scan_text(text, ALLOWED)
    one_scrub(raw)


def one_scrub(raw: bytes) -> None:
    """The scrubbers without `_guarded`: any exception but ScrubError is a finding."""
    kind = sniff(raw[:8192])
    try:
        if kind in IMAGES:
            plan = IMAGES[kind](raw)
        elif kind == "zip":
            plan = plan_office(raw, io.BytesIO(raw))
        elif kind == "pdf":
            plan = plan_pdf(raw, io.BytesIO(raw))
        else:
            return
    except ScrubError as exc:
        assert exc.code in CODES, exc
        return
    if plan is not None:
        render(plan)


def seeds(folder: Path) -> None:
    if TARGET == "scrub":
        sys.path.insert(0, str(ROOT / "tests"))
        from support import leaky

        samples = [
            leaky.leaky_jpeg(),
            leaky.text_png(),
            leaky.exif_png(),
            leaky.leaky_gif(),
            leaky.leaky_webp(),
            leaky.office("docx"),
            leaky.leaky_pdf(),
        ]
        for index, data in enumerate(samples):
            (folder / f"seed-{index:03d}").write_bytes(data)
        return
    if TARGET == "attachments":
        sys.path.insert(0, str(ROOT / "tests"))
        from support.media import docx, jpeg_with_gps, pdf

        samples = [
            docx(["โทร 081-234-5678"], creator="Somchai"),
            jpeg_with_gps(),
            pdf("ID 1-2345-67890-12-1"),
            *(p.read_bytes() for p in sorted((ROOT / "content" / "files").rglob("*.pdf"))[:5]),
        ]
        for index, data in enumerate(samples):
            (folder / f"seed-{index:03d}").write_bytes(data)
        return
    sources = [*sorted((ROOT / "content").rglob("*.md"))[:60], *sorted((ROOT / "tests" / "fixtures").rglob("*.md"))]
    for index, path in enumerate(sources):
        try:
            (folder / f"seed-{index:03d}").write_bytes(path.read_bytes()[:65536])
        except OSError:
            continue


def main() -> None:
    argv = list(sys.argv)
    if not any(a.startswith("-max_total_time") for a in argv[1:]) and not any(Path(a).is_file() for a in argv[1:]):
        argv.append("-max_total_time=180")
    if not any(a.startswith("-max_len") for a in argv[1:]):
        argv.append("-max_len=65536" if TARGET == "scrub" else "-max_len=16384")
    if not any(Path(a).is_file() for a in argv[1:]):
        corpus = Path(tempfile.mkdtemp(prefix="khaosan-fuzz-"))
        seeds(corpus)
        argv.append(str(corpus))
    AttachmentPolicy()  # the default limits apply to what the inspectors are given
    targets = {"attachments": one_attachment, "scrub": one_scrub}
    atheris.Setup(argv, targets.get(TARGET, one_input))
    atheris.Fuzz()


if __name__ == "__main__":
    main()
