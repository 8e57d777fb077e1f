"""What a bidder needs from a procurement notice, from its `procurement` front matter.

Pure: the item's `procurement` mapping in (schemas/disclosure.schema.json: `method`,
`reference_price`, `bid_deadline`, `egp_project`), the facts out twice: as Thai lines for
people (the notice page, the feed) and as plain data for machines (`api/items.json`). The
documents are the notice's `attachments`, listed beside these on every page.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from workflow.core.thaitime import format_datetime, parse_time
from workflow.core.vocabulary import Vocabulary

METHOD = "method"  # the field whose x-labels name the procurement methods
# (key, the label people read): the order a bidder looks for them
LABELS = (
    ("method", "วิธีจัดซื้อจัดจ้าง"),
    ("reference_price", "ราคากลาง"),
    ("bid_deadline", "กำหนดยื่นข้อเสนอ"),
    ("egp_project", "เลขที่โครงการ (e-GP)"),
)


def baht(amount: float) -> str:
    """960000 → "960,000 บาท"; 1015.38 → "1,015.38 บาท" (whole baht without satang)."""
    text = f"{amount:,.0f}" if float(amount).is_integer() else f"{amount:,.2f}"
    return f"{text} บาท"


def facts(procurement: Any, vocabulary: Vocabulary, digits: str = "arabic") -> dict[str, Any] | None:
    """The bidder's facts as plain data: each given value, with its Thai text (`…_th`)."""
    if not isinstance(procurement, dict) or not procurement:
        return None
    found: dict[str, Any] = {}
    if (method := procurement.get("method")) is not None:
        found.update(method=str(method), method_th=vocabulary.label(METHOD, method))
    if isinstance(price := procurement.get("reference_price"), (int, float)):
        found.update(reference_price=price, reference_price_th=baht(price))
    if (deadline := procurement.get("bid_deadline")) is not None:
        moment: datetime = parse_time(str(deadline))
        found.update(bid_deadline=moment.isoformat(), bid_deadline_th=format_datetime(moment, digits=digits))
    if (project := procurement.get("egp_project")) is not None:
        found["egp_project"] = str(project)
    return found


def lines(found: dict[str, Any] | None) -> list[tuple[str, str]]:
    """(label, Thai text) for each fact given, in a bidder's order."""
    if not found:
        return []
    return [(label, str(found.get(f"{key}_th", found[key]))) for key, label in LABELS if key in found]
