"""The content fingerprint an approval is for (DOMAIN.md, "Files: the contract").

digest = sha256 over a canonical JSON document of
  {"v": 1, "front_matter": <front matter minus PROCESS_KEYS>,
   "body": <body text>, "files": {<referenced path>: <sha256 hex of its bytes> | null}}
serialised with sorted keys, no spaces, UTF-8, no ASCII escaping. Any tool can
recompute it from the file and the files it names.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from typing import Any

from workflow.core.structure import PROCESS_KEYS

# Files named in the body: {static}/images/x.jpg, /files/x.pdf, images/x.jpg
_BODY_REF = re.compile(r"\]\((?:\{static\}|\{attach\})?/?((?:files|images)/[^)\s#?]+)")


def referenced_files(data: Mapping[str, Any], body: str) -> list[str]:
    """Every attachment and image path the item names, in order, once each."""
    refs: list[str] = []
    for key in ("attachments", "images"):
        entries = data.get(key)
        if isinstance(entries, list):
            refs.extend(e["file"] for e in entries if isinstance(e, dict) and isinstance(e.get("file"), str))
    refs.extend(m.group(1) for m in _BODY_REF.finditer(body))
    return list(dict.fromkeys(refs))


def content_of(data: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k not in PROCESS_KEYS}


def compute(data: Mapping[str, Any], body: str, file_hashes: Mapping[str, str | None]) -> str:
    """`file_hashes` maps each referenced path to its bytes' sha256 hex (None if missing)."""
    document = {"v": 1, "front_matter": content_of(data), "body": body, "files": dict(file_hashes)}
    canonical = json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()
