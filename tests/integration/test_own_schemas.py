"""A repository's own `schemas/`: a folder copied from an earlier Khaosan, or a schema file broken by
hand, gets a Thai answer, never a traceback."""

from __future__ import annotations

import json

import pytest


def test_a_schemas_folder_from_an_earlier_khaosan_uses_the_shipped_files_it_lacks(repo):
    (repo.path("schemas/ita.schema.json")).unlink()  # the folder as copied before the OIT lists existed
    rel = repo.add("disclosure", signed=True)
    result = repo.khaosan("check", rel, "--format", "json")
    assert result.code == 0, result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    "command", [("check",), ("build", "--no-search"), ("metrics",), ("ita", "--fiscal-year", "2569")]
)
def test_a_broken_schema_file_is_named_with_its_line_and_what_to_do(repo, command):
    repo.add("news", signed=True)
    repo.write("schemas/news.schema.json", '{\n  "type": "object",\n  "properties": {,\n}\n')
    result = repo.khaosan(*command)
    assert "Traceback" not in result.output
    assert result.code == 2, result.output
    assert "KS950 schemas/news.schema.json บรรทัด 3" in result.err
    assert "ลบไฟล์นั้นออกเพื่อใช้ของ Khaosan" in result.err


def test_a_schema_file_from_an_earlier_khaosan_gets_what_was_added_since_and_keeps_its_labels(tmp_path):
    """The sample office built with its schemas as copied before the ITA work: no complaint statistics,
    no สขร.1, no bidder facts. Before, `build` died with a KeyError; now the office's own label shows and
    the fields it lacks come from Khaosan's file."""
    from support.site import page_html, project_copy

    from workflow.cli import main

    root = project_copy(tmp_path, content=True)
    path = root / "schemas" / "disclosure.schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    for field in ("complaint_statistics", "procurement_summary", "procurement", "ita"):
        del schema["properties"][field]
    del schema["$defs"]
    schema["properties"]["category"]["x-labels"]["procurement"] = "ประกาศจัดซื้อจัดจ้างของสำนักงาน"
    path.write_text(json.dumps(schema, ensure_ascii=False), encoding="utf-8")
    assert main(["build", "--root", str(root), "--no-search", "--now", "2026-11-25T12:00:00+07:00"]) == 0
    html = page_html(root / "output/disclosures/procurement/summary-2569-03/index.html")
    assert "ประกาศจัดซื้อจัดจ้างของสำนักงาน" in html and "แบบ สขร.1" in html
