"""Review files: YAML front matter plus a Markdown body. Pure: no Django.

``parse`` turns a file's text into a ``ReviewDocument`` (or raises ``FormatError`` naming the
file, line and field); ``dump`` writes a document back, so ``parse(dump(doc)) == doc``. The
format is documented, with an example, in ``docs/review-format.md``.

References stay as written here: ``anime`` and ``comparable`` hold titles, source URLs or
``#<catalog id>``, ``authors`` usernames. ``reviews.importing`` resolves them against the
database.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field, fields
from decimal import Decimal, InvalidOperation
from typing import Any

import yaml

STATUSES = ("draft", "scheduled", "published")
DELIMITER = "---"
# Control characters but tab and newline (C0, DEL, C1) and lone surrogates (YAML's "\ud800"):
# never meant in a review, and the database refuses NUL and surrogates. Stripped from every
# text value and the body, as the catalog importer does (``catalog.importers.offline_db``).
_UNWANTED = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


class FormatError(ValueError):
    """A problem in a review file, located by line (1-based, in the whole file) and field."""

    def __init__(self, message: str, *, source: str = "<text>", line: int | None = None,
                 field: str | None = None):  # fmt: skip
        self.message, self.source, self.line, self.field = message, source, line, field
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.source + (f", line {self.line}" if self.line else "")
        what = f"field '{self.field}': " if self.field else ""
        return f"{where}: {what}{self.message}"


@dataclass
class Audience:
    name: str
    why: str = ""
    comparable: list[str] = field(default_factory=list)


@dataclass
class Character:
    name: str
    text: str = ""


@dataclass
class Theme:
    name: str
    text: str = ""


@dataclass
class Section:
    heading: str
    body: str = ""


@dataclass
class ReviewDocument:
    title: str
    slug: str
    authors: list[str]
    anime: str | None = None
    status: str = "draft"
    publish_at: dt.datetime | None = None
    score: Decimal | None = None
    labels: list[str] = field(default_factory=list)
    summary: str = ""
    audience: list[Audience] = field(default_factory=list)
    characters: list[Character] = field(default_factory=list)
    themes: list[Theme] = field(default_factory=list)
    final_thoughts: str = ""
    sections: list[Section] = field(default_factory=list)
    intro: str = ""
    # Line of each key in the file, by dotted path ("audience.0.comparable.1"); not content.
    lines: dict[str, int] = field(default_factory=dict, compare=False, repr=False)

    def line_of(self, path: str) -> int | None:
        """The line of ``path``, or of its nearest enclosing key."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path.rpartition(".")[0]
        return None


# Top-level keys in the order ``dump`` writes them (``intro`` is the body, not a key); ``dump``
# leaves out empty ones except those in ``ALWAYS``.
KEYS = (
    "title", "slug", "anime", "authors", "status", "publish_at", "score", "labels", "summary",
    "audience", "characters", "themes", "final_thoughts", "sections",
)  # fmt: skip
ALWAYS = ("title", "slug", "anime", "authors", "status")
PARTS = {"audience": Audience, "characters": Character, "themes": Theme, "sections": Section}


def slugify(text: str) -> str:
    """An ASCII slug: "Koe no Katachi!" → "koe-no-katachi"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


# --- reading -------------------------------------------------------------------------------


def _split(text: str, source: str) -> tuple[str, str, int]:
    """(front matter, body, line number of the front matter's first line)."""
    text = text.lstrip("\ufeff")
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != DELIMITER:
        raise FormatError("a review file starts with a '---' line", source=source, line=1)
    for index, line in enumerate(lines[1:], start=1):
        if line.strip() == DELIMITER:
            return "".join(lines[1:index]), "".join(lines[index + 1 :]), 2
    raise FormatError("the front matter has no closing '---' line", source=source, line=1)


def _line_map(node: yaml.Node, offset: int, path: str = "", out: dict | None = None) -> dict:
    out = {} if out is None else out
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            sub = f"{path}.{key.value}" if path else str(key.value)
            out[sub] = key.start_mark.line + offset
            _line_map(value, offset, sub, out)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            sub = f"{path}.{index}"
            out[sub] = item.start_mark.line + offset
            _line_map(item, offset, sub, out)
    return out


class _Reader:
    """Checks the loaded YAML field by field, raising ``FormatError`` at the field's line."""

    def __init__(self, source: str, lines: dict[str, int]):
        self.source, self.lines = source, lines

    def error(self, path: str, message: str) -> FormatError:
        probe, line = path, None
        while probe and line is None:
            line = self.lines.get(probe)
            probe = probe.rpartition(".")[0]
        return FormatError(message, source=self.source, line=line, field=path)

    def mapping(self, value: Any, path: str, allowed: tuple[str, ...]) -> dict:
        if not isinstance(value, dict):
            raise self.error(path, f"expected a mapping of {', '.join(allowed)}")
        for key in value:
            if key not in allowed:
                sub = f"{path}.{key}" if path else str(key)
                raise self.error(sub, f"unknown field (known: {', '.join(allowed)})")
        return value

    def text(self, value: Any, path: str, *, required: bool = False) -> str:
        if value is None:
            value = ""
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise self.error(path, f"expected text, got {_kind(value)}")
        value = _UNWANTED.sub("", str(value)).strip()
        if required and not value:
            raise self.error(path, "is required")
        return value

    def texts(self, value: Any, path: str) -> list[str]:
        if value is None:
            return []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            raise self.error(path, f"expected a list of text, got {_kind(value)}")
        return [self.text(item, f"{path}.{i}", required=True) for i, item in enumerate(value)]

    def score(self, value: Any, path: str) -> Decimal | None:
        if value is None or value == "":
            return None
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise self.error(path, f"expected a number from 0 to 10, got {_kind(value)}")
        try:
            score = Decimal(str(value))
        except InvalidOperation:
            raise self.error(path, f"expected a number from 0 to 10, got {value!r}") from None
        if not score.is_finite() or not 0 <= score <= 10 or score != score.quantize(Decimal("0.1")):
            raise self.error(path, f"expected a number from 0 to 10 with one decimal, got {value}")
        return score.quantize(Decimal("0.1"))

    def when(self, value: Any, path: str) -> dt.datetime | None:
        if value is None or value == "":
            return None
        if isinstance(value, str):
            try:
                value = dt.datetime.fromisoformat(value.strip())
            except ValueError:
                raise self.error(path, f"expected a date and time, got {value!r}") from None
        elif isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            value = dt.datetime.combine(value, dt.time())
        if not isinstance(value, dt.datetime):
            raise self.error(path, f"expected a date and time, got {_kind(value)}")
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)

    def parts(self, value: Any, path: str) -> list:
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.error(path, f"expected a list, got {_kind(value)}")
        cls = PARTS[path]
        names = [f.name for f in fields(cls)]
        out = []
        for index, item in enumerate(value):
            sub = f"{path}.{index}"
            item = self.mapping(item, sub, tuple(names))
            kwargs = {names[0]: self.text(item.get(names[0]), f"{sub}.{names[0]}", required=True)}
            for name in names[1:]:
                reader = self.texts if name == "comparable" else self.text
                kwargs[name] = reader(item.get(name), f"{sub}.{name}")
            out.append(cls(**kwargs))
        return out


def _kind(value: Any) -> str:
    return {dict: "a mapping", list: "a list", bool: "true/false"}.get(
        type(value), type(value).__name__
    )


def parse(text: str, *, source: str = "<text>") -> ReviewDocument:
    """The review in ``text``; ``source`` (a file name) prefixes every error."""
    front, body, offset = _split(text, source)
    try:
        node = yaml.compose(front, Loader=yaml.SafeLoader)
        data = yaml.safe_load(front)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + offset if mark else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise FormatError(f"invalid YAML: {problem}", source=source, line=line) from None
    lines = _line_map(node, offset) if node is not None else {}
    r = _Reader(source, lines)
    data = r.mapping({} if data is None else data, "", KEYS)
    title = r.text(data.get("title"), "title", required=True)
    status = r.text(data.get("status"), "status") or "draft"
    if status not in STATUSES:
        raise r.error("status", f"expected one of {', '.join(STATUSES)}, got {status!r}")
    authors = r.texts(data.get("authors"), "authors")
    if not authors:
        raise r.error("authors", "is required: at least one username")
    doc = ReviewDocument(
        title=title,
        slug=r.text(data.get("slug"), "slug") or slugify(title),
        authors=authors,
        anime=r.text(data.get("anime"), "anime") or None,
        status=status,
        publish_at=r.when(data.get("publish_at"), "publish_at"),
        score=r.score(data.get("score"), "score"),
        labels=r.texts(data.get("labels"), "labels"),
        summary=r.text(data.get("summary"), "summary"),
        final_thoughts=r.text(data.get("final_thoughts"), "final_thoughts"),
        intro=_UNWANTED.sub("", body).strip(),
        lines=lines,
    )
    if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", doc.slug):
        raise r.error("slug", f"expected lowercase letters, digits and hyphens, got {doc.slug!r}")
    if status == "scheduled" and doc.publish_at is None:
        raise r.error("publish_at", "is required when status is 'scheduled'")
    for name in PARTS:
        setattr(doc, name, r.parts(data.get(name), name))
    return doc


# --- writing -------------------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if hasattr(value, "__dataclass_fields__"):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    return value


def dump(doc: ReviewDocument) -> str:
    """The file text for ``doc``: every key, in ``KEYS`` order, then the intro."""
    data = {
        key: _plain(getattr(doc, key))
        for key in KEYS
        if key in ALWAYS or getattr(doc, key) not in (None, "", [])
    }
    front = yaml.dump(
        data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100,
        default_flow_style=False,
    )  # fmt: skip
    return f"{DELIMITER}\n{front}{DELIMITER}\n\n{doc.intro.strip()}\n"
