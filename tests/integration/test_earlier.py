"""Items from before Khaosan (issue 14, item 3): their own dates on the site, reported apart, never a
way around sign-offs or the time standards."""

from __future__ import annotations

import json
import re
from pathlib import Path

from support.history import Git
from support.items import FILES, PATHS, item_text, line_of, signed_text
from support.site import project_copy, sample_item_count

from workflow.cli import main

NOW = "2026-11-25T12:00:00+07:00"
NEWS_ID = PATHS["news"].removeprefix("content/").removesuffix(".md")
PAGE = Path("output") / NEWS_ID / "index.html"
EARLIER = "\n  published_at: 2026-11-20T15:10:00+07:00\n  url: https://old.phuphamok1.example/?p=77"


def _office(root: Path, adopted: str | None = "2026-11-22") -> str:
    text = (root / "office.yml").read_text(encoding="utf-8")
    text = re.sub(r"\n  adopted: [0-9-]+", "", text)
    if adopted:
        text = text.replace("  date_digits: arabic\n", f"  date_digits: arabic\n  adopted: {adopted}\n", 1)
    return text


def _files(**changes: str) -> dict[str, str | bytes]:
    return {PATHS["news"]: signed_text("news", **changes), **{f"content/{k}": v for k, v in FILES.items()}}


def test_an_earlier_item_shows_its_own_date_and_is_reported_apart(tmp_path, capsys):
    root = project_copy(tmp_path)
    git = Git(root)
    git.commit("2026-11-22T08:00:00+07:00", {"office.yml": _office(root)}, message="office")
    # the meeting ended 2026-11-20 12:00; imported on 11-24, two days after the office adopted Khaosan
    git.commit("2026-11-24T09:00:00+07:00", _files(earlier_site=EARLIER), message="import from the old site")

    assert main(["build", "--root", str(root), "--now", NOW]) == 0
    html = (root / PAGE).read_text(encoding="utf-8")
    assert 'datetime="2026-11-20T15:10:00+07:00"' in html and "20 พฤศจิกายน 2569" in html
    items = json.loads((root / "output/api/items.json").read_text(encoding="utf-8"))["items"]
    assert next(i for i in items if i["id"] == NEWS_ID)["published"].startswith("2026-11-20T15:10")

    capsys.readouterr()
    assert main(["metrics", "--root", str(root), "--month", "2026-11", "--format", "json", "--now", NOW]) == 0
    figures = json.loads(capsys.readouterr().out)
    (item,) = [i for i in figures["items"] if i["id"] == NEWS_ID]
    # published 3 h 10 min after the meeting, 10 min past the 3-hour standard, but not Khaosan's to judge
    assert item["state"] == "earlier" and item["published_at"] == "2026-11-20T15:10:00+07:00"
    assert figures["news"]["earlier"] == 1 and figures["news"]["late"] == 0 and figures["news"]["judged"] == 0
    assert "KS511" not in [f["code"] for f in figures["trust"]]  # signed before its import, not "after publication"


def test_the_same_item_without_the_claim_is_judged_late(tmp_path, capsys):
    root = project_copy(tmp_path)
    git = Git(root)
    git.commit("2026-11-22T08:00:00+07:00", {"office.yml": _office(root)}, message="office")
    git.commit("2026-11-24T09:00:00+07:00", _files(), message="signed news")
    assert main(["metrics", "--root", str(root), "--month", "2026-11", "--format", "json", "--now", NOW]) == 0
    (item,) = [i for i in json.loads(capsys.readouterr().out)["items"] if i["id"] == NEWS_ID]
    assert item["state"] == "late"


def test_a_claim_on_or_after_adoption_is_refused(repo):
    repo.write("office.yml", _office(repo.root, "2026-11-20"))  # the meeting day itself
    rel = repo.add("news", signed=True, earlier_site=EARLIER)
    result = repo.khaosan("check", "--publish", "--format", "json")
    (found,) = [p for p in json.loads(result.out)["problems"] if p["code"] == "KS221"]
    assert found["line"] == line_of(repo.read(rel), "  published_at:") and result.code == 1


def test_a_claim_without_an_adoption_date_is_refused(repo):
    repo.write("office.yml", _office(repo.root, None))
    repo.add("news", signed=True, earlier_site=EARLIER)
    result = repo.khaosan("check", "--format", "json")
    assert "KS220" in [p["code"] for p in json.loads(result.out)["problems"]] and result.code == 1


def test_a_claim_in_the_future_is_refused(repo):
    repo.add("news", signed=True, earlier_site="\n  published_at: 2026-12-20T15:10:00+07:00")
    result = repo.khaosan("check", "--format", "json")
    assert "KS212" in [p["code"] for p in json.loads(result.out)["problems"]]


def test_adding_the_claim_to_a_signed_item_needs_new_sign_offs(repo):
    """Back-dating a late item would hide it from the figures: the claim is content, so it is signed."""
    signed = signed_text("news")
    claimed = signed.replace("approvals:", f"earlier_site:{EARLIER}\napprovals:", 1)
    assert claimed != signed and item_text("news") not in claimed
    repo.write(PATHS["news"], claimed)
    for name, data in FILES.items():
        repo.write(f"content/{name}", data)
    result = repo.khaosan("check", "--publish", "--format", "json")
    assert "KS304" in [p["code"] for p in json.loads(result.out)["problems"]] and result.code == 1


def test_the_sample_site_shows_each_items_own_date(tmp_path):
    """The bundled sample: every item from the earlier website, each with its own date."""
    root = project_copy(tmp_path, content=True)
    assert main(["build", "--root", str(root), "--now", NOW]) == 0
    items = json.loads((root / "output/api/items.json").read_text(encoding="utf-8"))["items"]
    days = {i["published"][:10] for i in items}
    assert (
        len(items) == sample_item_count() > 90 and len(days) > 30
    )  # not "every item published the day the repository got it"
