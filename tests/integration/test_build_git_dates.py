"""The date on the site is the publication time git records (DOMAIN.md), not a field."""

from __future__ import annotations

from pathlib import Path

from support.history import Git
from support.items import FILES, PATHS, signed_text
from support.site import page_html, project_copy

from workflow.cli import main

NOW = "2026-11-25T12:00:00+07:00"
PAGE = Path("output") / PATHS["news"].removeprefix("content/").removesuffix(".md") / "index.html"


def _repo(tmp_path: Path) -> Path:
    return project_copy(tmp_path)


def _files() -> dict[str, str | bytes]:
    return {PATHS["news"]: signed_text("news"), **{f"content/{k}": v for k, v in FILES.items()}}


def _write_without_git(root: Path) -> None:
    """The item and its attachment as a tarball would bring them: files, no history."""
    for rel, data in _files().items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)


def test_site_date_is_the_merge_into_main_not_the_branch_commit(tmp_path, capsys):
    root = _repo(tmp_path)
    git = Git(root)
    git.commit(
        "2026-11-20T08:00:00+07:00", {"office.yml": (root / "office.yml").read_text(encoding="utf-8")}, message="office"
    )
    git.branch("news")
    git.commit("2026-11-21T09:00:00+07:00", _files(), message="signed news on a branch")
    git.checkout("main")
    git.merge("news", "2026-11-22T10:30:00+07:00")

    assert main(["build", "--root", str(root), "--now", NOW]) == 0
    html = page_html(root / PAGE)
    assert 'datetime="2026-11-22T10:30:00+07:00"' in html
    assert "22 พฤศจิกายน 2569" in html
    assert "ไม่มีประวัติ git" not in capsys.readouterr().err


def test_without_history_the_build_says_so_and_uses_the_last_sign_off(tmp_path, capsys):
    root = _repo(tmp_path)
    _write_without_git(root)

    assert main(["build", "--root", str(root), "--now", NOW]) == 0
    assert "ไม่มีประวัติ git" in capsys.readouterr().err
    html = page_html(root / PAGE)
    assert "22 พฤศจิกายน 2569" not in html


def test_performance_page_shows_this_fiscal_years_figures_from_git(tmp_path):
    root = _repo(tmp_path)
    git = Git(root)
    git.commit(
        "2026-11-20T08:00:00+07:00", {"office.yml": (root / "office.yml").read_text(encoding="utf-8")}, message="office"
    )
    git.commit("2026-11-20T16:00:00+07:00", _files(), message="signed meeting news")  # due 15:00: late

    assert main(["build", "--root", str(root), "--now", NOW]) == 0
    html = page_html(root / "output" / "performance" / "index.html")
    assert "ปีงบประมาณ พ.ศ. 2570" in html  # 1 Oct 2569 – 30 Sep 2570 holds 20 Nov 2569
    assert "0 / 1 / 0 / 0" in html  # on time / late / overdue / pending
    assert "<svg" in html and "<img" not in html.split("<main", 1)[1]  # the chart is inline SVG, no picture
    svg = html[html.index('<svg class="chart"') : html.index("</svg>")]
    assert ">ข่าวสรุปผล/ประเด็นสำคัญจากการประชุม</text>" in svg  # words as text, set in the page's font
    november = svg[svg.index('<g data-month="2026-11">') :].split("</g>", 1)[0]
    assert ">พ.ย. 69</text>" in november and ">1</text>" in november  # the month and its one news item
    assert ">–</text>" in november  # no rate from one judged item (too few), as the table says
    assert 'aria-describedby="chart-numbers"' in svg and '<table class="figures" id="chart-numbers">' in html
    assert not (root / "output" / "images" / "performance").exists()
    assert not (root / "content" / "images" / "performance").exists()  # nothing generated into content
    page = root / "output" / "performance" / "index.html"
    before = page.read_bytes()
    assert main(["build", "--root", str(root), "--now", NOW, "--no-search"]) == 0  # partial: nothing changed
    assert page.read_bytes() == before and "0 / 1 / 0 / 0" in page.read_text(encoding="utf-8")
    # the figures move with time: a partial build a year later writes the page again, for its fiscal year
    assert main(["build", "--root", str(root), "--now", "2027-10-05T12:00:00+07:00", "--no-search"]) == 0
    assert "ปีงบประมาณ พ.ศ. 2571" in page.read_text(encoding="utf-8")


def test_a_chart_word_the_web_font_cannot_draw_fails_the_build(tmp_path, capsys):
    """A label renamed (schemas' x-labels) to characters the site's Sarabun does not have would
    be published as boxes: the build stops with KS931 and names them; the old site stays."""
    root = _repo(tmp_path)
    git = Git(root)
    git.commit(
        "2026-11-20T08:00:00+07:00", {"office.yml": (root / "office.yml").read_text(encoding="utf-8")}, message="office"
    )
    git.commit("2026-11-20T16:00:00+07:00", _files(), message="signed meeting news")
    assert main(["build", "--root", str(root), "--now", NOW, "--no-search"]) == 0
    before = (root / "output" / "performance" / "index.html").read_bytes()
    schema = root / "schemas" / "news.schema.json"
    schema.write_text(schema.read_text(encoding="utf-8").replace('"ข่าวทั่วไป"', '"ข่าวทั่วไป 📰 ሰላም"', 1), encoding="utf-8")
    capsys.readouterr()
    assert main(["build", "--root", str(root), "--now", NOW, "--no-search"]) == 1
    err = capsys.readouterr().err
    assert "KS931" in err and "📰" in err and "ሰ" in err and "Sarabun" in err
    assert (root / "output" / "performance" / "index.html").read_bytes() == before


def test_performance_page_without_history_says_there_is_no_data(tmp_path):
    root = _repo(tmp_path)
    _write_without_git(root)
    assert main(["build", "--root", str(root), "--now", NOW]) == 0
    html = page_html(root / "output" / "performance" / "index.html")
    assert "ยังไม่มีข้อมูลผลการดำเนินงาน" in html


def _shallow_clone(tmp_path: Path) -> Path:
    """A depth-1 clone of a history where the news was signed on 21 Nov and the last commit is 23 Nov."""
    (tmp_path / "origin").mkdir()
    origin = _repo(tmp_path / "origin")
    git = Git(origin)
    git.commit("2026-11-20T08:00:00+07:00", {"office.yml": (origin / "office.yml").read_text(encoding="utf-8")})
    git.commit("2026-11-21T09:00:00+07:00", _files(), message="signed news")
    git.commit("2026-11-23T09:00:00+07:00", {"README.txt": "later"}, message="later")
    clone = tmp_path / "clone"
    git.run("clone", "-q", "--depth", "1", f"file://{origin}", str(clone))
    return clone


def test_a_shallow_clone_is_not_taken_for_the_whole_history(tmp_path, capsys):
    clone = _shallow_clone(tmp_path)
    assert main(["build", "--root", str(clone), "--now", NOW]) == 0
    assert "shallow clone" in capsys.readouterr().err
    html = (clone / PAGE).read_text(encoding="utf-8")
    assert "23 พฤศจิกายน 2569" not in html  # the cut is not the publication date


def test_metrics_refuse_a_shallow_clone(tmp_path, capsys):
    clone = _shallow_clone(tmp_path)
    assert main(["metrics", "--root", str(clone), "--now", NOW, "--fiscal-year", "2570"]) == 2
    err = capsys.readouterr().err
    assert "KS502" in err and "shallow" in err and "Traceback" not in err


def test_a_corrected_item_keeps_its_date_and_says_when_it_was_corrected(tmp_path):
    """Issue 14, item 5: a correction signed again is shown as one ("แก้ไขเมื่อ"), the page keeps its date."""
    from support.history import NEWS_SIGNERS, meeting, signed
    from support.items import item_text

    root = _repo(tmp_path)
    git = Git(root)
    files = {f"content/{k}": v for k, v in FILES.items()}
    git.commit("2026-11-20T14:00:00+07:00", {PATHS["news"]: signed("news", NEWS_SIGNERS, **meeting()), **files})
    body = "ข่าวที่แก้ไขแล้ว: ชื่อโรงเรียนที่ถูกต้องคือโรงเรียนบ้านหมอกงาม\n"
    git.commit("2026-11-21T08:30:00+07:00", {PATHS["news"]: item_text("news", body=body, **meeting())})
    again = [("anan.w", "facts", "2026-11-22T08:40:00+07:00"), ("malee.t", "check", "2026-11-22T08:50:00+07:00")]
    git.commit("2026-11-22T09:00:00+07:00", {PATHS["news"]: signed("news", again, body=body, **meeting())})

    assert main(["build", "--root", str(root), "--now", NOW]) == 0
    html = page_html(root / PAGE)
    assert 'เผยแพร่เมื่อ <time datetime="2026-11-20T14:00:00+07:00">20 พฤศจิกายน 2569</time>' in html
    assert 'แก้ไขเมื่อ <time datetime="2026-11-22T09:00:00+07:00">22 พฤศจิกายน 2569</time>' in html
    assert "โรงเรียนบ้านหมอกงาม" in html
