"""The live site's verification receipt: which commit the public site was last verified and built from.

`khaosan verify --receipt` writes it into the built site (api/verified.json);
the next run reads it back from the public site and verifies only what changed
since. Only a run that verified everything up to that commit can deploy it, so
the receipt on the live site is the last verified point. A site that cannot be
read, or a commit the history does not hold, means verifying everything.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from workflow.edges.files.atomic import write_file

RECEIPT = "api/verified.json"
MAX_BYTES = 64 * 1024
_SHA = re.compile(r"^[0-9a-f]{40}([0-9a-f]{24})?$")


def live_commit(site_url: str, timeout: float = 20.0) -> tuple[str | None, str]:
    """The commit of the live site's receipt, or None and why not (in Thai)."""
    url = site_url.rstrip("/") + "/" + RECEIPT
    if not url.startswith(("https://", "http://")):
        return None, f"{site_url} ไม่ใช่ที่อยู่เว็บ (http/https)"
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            raw = response.read(MAX_BYTES + 1)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        return None, f"อ่าน {url} ไม่ได้ ({exc})"
    if len(raw) > MAX_BYTES:
        return None, f"{url} ใหญ่เกินไป"
    try:
        commit = json.loads(raw).get("commit")
    except (ValueError, AttributeError):
        return None, f"{url} ไม่ใช่ใบรับรองการตรวจของ Khaosan"
    if not isinstance(commit, str) or not _SHA.match(commit):
        return None, f"{url} ไม่มีรหัส commit"
    return commit, url


def write_receipt(output: Path, receipt: dict[str, Any]) -> Path:
    path = output / RECEIPT
    path.parent.mkdir(parents=True, exist_ok=True)
    write_file(path, json.dumps(receipt, ensure_ascii=False, indent=1).encode("utf-8") + b"\n")
    return path
