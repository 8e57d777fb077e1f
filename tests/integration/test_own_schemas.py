"""A repository's own `schemas/`: a folder copied from an earlier Khaosan, or a schema file broken by
hand, gets a Thai answer, never a traceback."""

from __future__ import annotations

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
