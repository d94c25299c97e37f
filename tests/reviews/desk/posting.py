"""The desk form as a browser would post it: the saved review's fields, formset management
data included, with ``changes`` applied (``"audience-0-name": "…"`` for a row)."""

from __future__ import annotations

from kansou.reviews.desk.forms import PARTS, initial_for
from kansou.reviews.models import Review


def desk_post_data(review: Review, action: str = "save", **changes) -> dict[str, str]:
    main, rows = initial_for(review)
    data = {name: "" if value is None else str(value) for name, value in main.items()}
    data["publish_at"] = ""
    for prefix in PARTS:
        items = rows[prefix]
        data[f"{prefix}-TOTAL_FORMS"] = str(len(items) + 1)
        data[f"{prefix}-INITIAL_FORMS"] = str(len(items))
        data[f"{prefix}-MIN_NUM_FORMS"] = "0"
        data[f"{prefix}-MAX_NUM_FORMS"] = "50"
        for index, row in enumerate(items):
            data.update({f"{prefix}-{index}-{key}": value for key, value in row.items()})
    data.update({key: str(value) for key, value in changes.items()})
    data["action"] = action
    return data
