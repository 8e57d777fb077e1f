"""/admin/ on the site: the browser editor (Decap CMS) with the configuration computed from the
schemas and office.yml (`core/editor.py`), written at build time beside the public pages.

The CMS is the pinned npm package (package.json, package-lock.json; `make node` runs `npm ci`),
copied into the site: nothing is loaded from a CDN. The page loads Decap, js-yaml, and the
theme's theme/static/js/editor.js, which registers Khaosan's item format, where a new item goes,
and the preview (the site's own item template, rendered into admin/preview-<kind>.html by
`pages.py`).
"""

from __future__ import annotations

import html
import json
import os
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from workflow.core.editor import ADMIN_NOTICE, decap_config, script_rules
from workflow.core.structure import Office
from workflow.errors import EXIT_CONTENT, KhaosanError

NODE_MODULES_ENV = "KHAOSAN_NODE_MODULES"  # where `npm ci` put the packages, if not beside Khaosan
PROJECT = Path(__file__).resolve().parents[3]
ADMIN = "admin"
DECAP_DIST = ("decap-cms", "dist")
JS_YAML = ("js-yaml", "dist", "js-yaml.min.js")


def node_modules(root: Path) -> Path:
    """KHAOSAN_NODE_MODULES, else the repository's own node_modules/ (the site workflow runs
    `npm ci` in the checkout), else the one beside Khaosan's source (`make node`)."""
    if os.environ.get(NODE_MODULES_ENV):
        return Path(os.environ[NODE_MODULES_ENV])
    own = root / "node_modules"
    return own if own.joinpath(*DECAP_DIST).is_dir() else PROJECT / "node_modules"


def editor_settings(root: Path, schemas: Mapping[str, Mapping[str, Any]], office: Office) -> dict[str, Any] | None:
    """What the build needs to write /admin/ (plain data), or None when office.yml has no `editor`.
    A missing package is KS840 before anything is built: an office that turned the editor on
    never gets a site whose /admin/ is silently gone."""
    if office.editor is None:
        return None
    modules = node_modules(root)
    decap = modules.joinpath(*DECAP_DIST)
    js_yaml = modules.joinpath(*JS_YAML)
    missing = [str(p) for p in (decap / "decap-cms.js", js_yaml) if not p.is_file()]
    if missing:
        raise KhaosanError("KS840", "ไม่พบ " + ", ".join(missing), exit_code=EXIT_CONTENT)
    from workflow.edges.site.pages import PREVIEW_DATE
    from workflow.edges.site.pelican_plugin import FILE_TYPES

    return {
        "config": decap_config(schemas, office),
        "rules": {**script_rules(schemas, office), "file_types": FILE_TYPES, "preview_date": PREVIEW_DATE},
        "decap": str(decap),
        "js_yaml": str(js_yaml),
        "versions": {name: _version(modules / name) for name in ("decap-cms", "js-yaml")},
    }


def _version(package: Path) -> str:
    try:
        return str(json.loads((package / "package.json").read_text(encoding="utf-8"))["version"])
    except (OSError, ValueError, KeyError):
        return "?"


def write_editor(output: Path, editor: Mapping[str, Any], site_name: str) -> None:
    """admin/index.html, admin/config.yml, the CMS bundle (admin/decap/) and js-yaml."""
    admin = output / ADMIN
    (admin / "decap").mkdir(parents=True, exist_ok=True)
    config = yaml.safe_dump(editor["config"], allow_unicode=True, sort_keys=False, width=1000)
    (admin / "config.yml").write_text(
        "# สร้างโดย khaosan build จาก schemas/ และ office.yml: อย่าแก้ไฟล์นี้ แก้ที่ต้นทาง\n" + config, encoding="utf-8"
    )
    (admin / "index.html").write_text(_index(editor, site_name), encoding="utf-8")
    decap = Path(editor["decap"])
    for source in decap.iterdir():  # the bundle, its lazily loaded chunks and WebAssembly, its licences
        name = source.name
        if name.endswith(("decap-cms.js", ".wasm", "decap-cms.js.LICENSE.txt")) and source.is_file():
            shutil.copyfile(source, admin / "decap" / name)
    js_yaml = Path(editor["js_yaml"])
    shutil.copyfile(js_yaml, admin / "js-yaml.min.js")
    licence = js_yaml.parents[1] / "LICENSE"
    if licence.is_file():
        shutil.copyfile(licence, admin / "js-yaml.LICENSE.txt")


def _index(editor: Mapping[str, Any], site_name: str) -> str:
    rules = json.dumps(editor["rules"], ensure_ascii=False).replace("</", "<\\/")
    versions = ", ".join(f"{name} {version}" for name, version in editor["versions"].items())
    return f"""<!doctype html>
<html lang="th">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>โปรแกรมแก้ไขรายการ | {html.escape(site_name)}</title>
<link href="config.yml" type="text/yaml" rel="cms-config-url">
<style>
#khaosan-notice {{ position: fixed; bottom: 0; left: 0; right: 0; z-index: 10000; margin: 0; padding: .4rem 1rem;
  background: #fff8e1; color: #3e2a00; border-top: 2px solid #b26a00; font: 14px/1.5 sans-serif; }}
body {{ padding-bottom: 4.5rem; }}
</style>
</head>
<body>
<p id="khaosan-notice" role="note">{html.escape(ADMIN_NOTICE)}</p>
<noscript><p>โปรแกรมแก้ไขต้องเปิด JavaScript</p></noscript>
<script type="application/json" id="khaosan-rules">{rules}</script>
<script>window.CMS_MANUAL_INIT = true;</script>
<script src="decap/decap-cms.js"></script>
<script src="js-yaml.min.js"></script>
<script src="../theme/js/editor.js"></script>
<!-- {html.escape(versions)} -->
</body>
</html>
"""
