"""Author corrections to the catalog: stored apart from imported values, shown over them.

Rules this enforces:

* A corrected scalar goes into ``Anime.local_overrides``; the column then holds the effective
  value (``apply_values()``). Resetting a field drops the override and the imported value returns.
* Tags, studios/producers and titles an author adds are rows with origin ``local``; an imported
  one the author hides gets a ``hidden`` row with the same ``MASK_KEY``, which ``.shown()``
  leaves out. Hiding a local row deletes it; restoring deletes the ``hidden`` row.
* Staff credits and characters exist only as author rows (origin ``local``).
* The importer replaces only ``imported`` rows and the ``imported`` JSON, so every correction
  survives a re-import. Each one is logged as a :class:`~kansou.catalog.models.Correction`.
* Invalid input raises ``ValidationError`` naming the field, and nothing is written.

Modules: ``rules`` (the fields, messages, checks and log), ``scalars``, ``lists`` (tags,
companies, titles) and ``people`` (staff, characters).
"""

from __future__ import annotations

from kansou.catalog.services.corrections.lists import (
    anime_company_add,
    anime_company_hide,
    anime_company_restore,
    anime_tag_add,
    anime_tag_hide,
    anime_tag_restore,
    anime_title_add,
    anime_title_hide,
    anime_title_restore,
)
from kansou.catalog.services.corrections.people import (
    anime_character_add,
    anime_character_edit,
    anime_character_remove,
    anime_staff_add,
    anime_staff_edit,
    anime_staff_remove,
)
from kansou.catalog.services.corrections.rules import (
    CORRECTABLE_FIELDS,
    ERROR_ALREADY_SHOWN,
    ERROR_BLANK,
    ERROR_CHOICE,
    ERROR_LANGUAGE,
    ERROR_MAIN_TITLE,
    ERROR_NOT_CORRECTABLE,
    ERROR_NOT_HIDDEN,
    ERROR_NOT_LISTED,
    ERROR_NOT_OVERRIDDEN,
    ERROR_NOT_TEXT,
    ERROR_NUMBER,
    ERROR_OTHER_ENTRY,
    ERROR_RANGE,
    ERROR_TOO_LONG,
    ERROR_URL,
    ERROR_WHOLE_NUMBER,
    STAFF_ROLE_SUGGESTIONS,
)
from kansou.catalog.services.corrections.scalars import (
    anime_correct,
    anime_reset_field,
)

__all__ = [
    "CORRECTABLE_FIELDS",
    "ERROR_ALREADY_SHOWN",
    "ERROR_BLANK",
    "ERROR_CHOICE",
    "ERROR_LANGUAGE",
    "ERROR_MAIN_TITLE",
    "ERROR_NOT_CORRECTABLE",
    "ERROR_NOT_HIDDEN",
    "ERROR_NOT_LISTED",
    "ERROR_NOT_OVERRIDDEN",
    "ERROR_NOT_TEXT",
    "ERROR_NUMBER",
    "ERROR_OTHER_ENTRY",
    "ERROR_RANGE",
    "ERROR_TOO_LONG",
    "ERROR_URL",
    "ERROR_WHOLE_NUMBER",
    "STAFF_ROLE_SUGGESTIONS",
    "anime_character_add",
    "anime_character_edit",
    "anime_character_remove",
    "anime_company_add",
    "anime_company_hide",
    "anime_company_restore",
    "anime_correct",
    "anime_reset_field",
    "anime_staff_add",
    "anime_staff_edit",
    "anime_staff_remove",
    "anime_tag_add",
    "anime_tag_hide",
    "anime_tag_restore",
    "anime_title_add",
    "anime_title_hide",
    "anime_title_restore",
]
