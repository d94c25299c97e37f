"""Which anime is a blog post about? Candidate phrases, looked up in the catalog, judged strictly.

Post titles seldom equal the anime's title ("Why Koe no Katachi broke me: a review"), so
phrases are gathered from three *origins*:

- the **title**: the whole title and each part of it (split on ``:``, dashes, ``|``, ``vs``),
  with review words stripped ("why", "thoughts on", "broke me", "episode 3", "(spoilers)"); text
  in quotes is taken as is. These are *strong*. Runs of two or more capitalised words inside the
  title are *weak*.
- the **labels**: each label as it is (*medium*).
- the **opening paragraph**: italic, bold or quoted names (*medium*) and runs of two or more
  capitalised words (*weak*).

A phrase *hits* an anime only when the catalog's best title for it is exact or near-exact after
normalisation (``fuzz.ratio`` ≥ ``NEAR_EXACT``) and no other anime comes within
``AHEAD_MARGIN`` of it (two "Hunter x Hunter" entries hit neither). The post is linked when

1. the whole title names one anime, or exactly one anime is named by strong title phrases; or
2. failing that, one anime is hit from at least two origins and no other anime is.

Everything else stays unlinked with the reasons listed: a wrong link is worse than none. So a
common word that is also a title ("Another", "Monster") never links from the body alone, a post
naming two anime in its title is ambiguous, and a list post ("My top 10 of 2024") is not tried.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from kansou.catalog.text import normalize_title

NEAR_EXACT = 96.0
AHEAD_MARGIN = 5.0
LOOKUP_LIMIT = 8
MAX_CANDIDATES = 40
MAX_RUN_WORDS = 7

STRONG, MEDIUM, WEAK = "strong", "medium", "weak"
TITLE, LABEL, BODY = "title", "label", "body"

_LIST_POST_RE = re.compile(
    r"\btop\s+\d+\b|\bbest\s+(?:anime\s+)?of\b|\branking\b|\bround-?up\b|\bfavou?rites?\b"
    r"|\bseason\s+preview\b|\bwatch\s*list\b|\bwhat\s+i\s+watched\b",
    re.IGNORECASE,
)
_SPLIT_RE = re.compile(r"\s*[:：|｜]\s+|\s+[—–-]\s+|\s*[—–]\s*|\s+vs\.?\s+|\s+versus\s+", re.I)
_QUOTED_RE = re.compile(
    r"[\"“”]([^\"“”]{2,80})[\"“”]|「([^」]{1,80})」|『([^』]{1,80})』|(?<!\w)'([^']{2,80})'(?!\w)"
)
_LEADING_RE = re.compile(
    r"^(?:why|how|thoughts\s+on|my\s+thoughts\s+on|some\s+thoughts\s+on|final\s+thoughts\s+on"
    r"|first\s+impressions(?:\s+of|\s+on)?|a\s+review\s+of|review\s+of|review|reviewing"
    r"|re-?watching|revisiting|in\s+defen[cs]e\s+of|let'?s\s+talk\s+about"
    r"|i\s+(?:finally\s+)?watched|watching|on)\b\s*",
    re.IGNORECASE,
)
_TRAILING_RE = re.compile(
    r"\s*\b(?:a\s+)?(?:review(?:ed)?|thoughts|first\s+impressions|impressions|broke\s+me"
    r"|is\s+a\s+masterpiece|spoilers?|spoiler-free|recap|analysis|retrospective)$"
    r"|\s*(?:レビュー|感想|考察)$",
    re.IGNORECASE,
)
_ANYWHERE_RE = re.compile(
    r"\((?:[^()]*)\)|\[(?:[^\[\]]*)\]|\b(?:episodes?|ep\.?)\s*\d+\b|\bseason\s*1\b", re.I
)
_SEQUEL_RE = re.compile(
    r"\b(?:season|part|cour)\s*([2-9])\b|\b([2-9])(?:nd|rd|th)\s+season\b", re.I
)
_EMPHASIS_RE = re.compile(r"<(i|em|b|strong|cite)\b[^>]*>(.*?)</\1>", re.IGNORECASE | re.DOTALL)
_TAG_RE = re.compile(r"<[^>]+>")
_FIRST_PARAGRAPH_RE = re.compile(r"<p\b[^>]*>(.*?)</p>", re.IGNORECASE | re.DOTALL)
_WORD_RE = re.compile(r"[^\W\d_][\w'’.;!-]*|\d+", re.UNICODE)
_CLAUSE_RE = re.compile(r"[.,;:!?…]+(?:\s+|$)|[()\[\]\"“”]")
# Small words that may sit inside a capitalised title ("Koe no Katachi", "Attack on Titan").
_CONNECTORS = frozenset(
    "a an and at de ga in na ni no o of on the to wa with wo x".split()
)  # fmt: skip


@dataclass(frozen=True)
class Candidate:
    phrase: str
    origin: str  # TITLE, LABEL or BODY
    strength: str  # STRONG, MEDIUM or WEAK
    whole_title: bool = False


@dataclass
class Hit:
    candidate: Candidate
    anime: object  # catalog.models.Anime
    matched_title: str


@dataclass
class MatchResult:
    anime: object | None  # catalog.models.Anime, or None when unsure
    reasons: list[str] = field(default_factory=list)  # why unmatched, or how it matched
    hits: list[Hit] = field(default_factory=list)


Finder = Callable[[str], list]  # phrase → AnimeMatch list (anime, matched_title, similarity)


def _plain(text: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(_TAG_RE.sub(" ", text))).strip()


def strip_review_words(text: str) -> str:
    """``text`` without the words that say "this is a review".

    >>> strip_review_words("Why Koe no Katachi broke me")
    'Koe no Katachi'
    >>> strip_review_words("Thoughts on Erased (spoilers)")
    'Erased'
    """
    text = _ANYWHERE_RE.sub(" ", text)
    previous = None
    while previous != text:
        previous = text
        text = re.sub(r"\s+", " ", text).strip(" \t.,!?;:'\"“”‘’")
        text = _LEADING_RE.sub("", text)
        text = _TRAILING_RE.sub("", text)
    return text


def _useful(phrase: str) -> bool:
    words = normalize_title(phrase).split()
    return bool(words) and not all(w in _CONNECTORS for w in words) and len("".join(words)) > 1


def _capitalised_runs(text: str) -> list[str]:
    """Runs of two or more capitalised words, connectors allowed inside ("Koe no Katachi")."""
    runs: list[str] = []
    for clause in _CLAUSE_RE.split(text):
        runs += _runs_in(_WORD_RE.findall(clause))
    return runs


def _runs_in(words: list[str]) -> list[str]:
    runs, current = [], []
    for word in words + [""]:
        if word[:1].isupper() or (word.isdigit() and current):
            current.append(word)
            continue
        if current and word.lower() in _CONNECTORS:
            current.append(word)
            continue
        runs += _sub_runs(current)
        current = []
    return runs


def _sub_runs(words: list[str]) -> list[str]:
    """Every stretch of two or more words that starts and ends on a capitalised word, longest
    first ("How Weathering With You" → …, "Weathering With You", …)."""
    words = words[:MAX_RUN_WORDS]
    capital = [i for i, w in enumerate(words) if w.lower() not in _CONNECTORS or w[:1].isupper()]
    found = [(j - i, " ".join(words[i : j + 1])) for i in capital for j in capital if j > i]
    return [phrase for _, phrase in sorted(found, key=lambda item: -item[0])]


def title_candidates(title: str) -> list[Candidate]:
    title = _plain(title)
    found = [Candidate(strip_review_words(title), TITLE, STRONG, whole_title=True)]
    for match in _QUOTED_RE.finditer(title):
        found.append(Candidate(next(g for g in match.groups() if g), TITLE, STRONG))
    unquoted = _QUOTED_RE.sub(" ", title)
    parts = [strip_review_words(part) for part in _SPLIT_RE.split(unquoted)]
    found += [Candidate(part, TITLE, STRONG) for part in parts if len(parts) > 1]
    found += [Candidate(run, TITLE, WEAK) for run in _capitalised_runs(unquoted)]
    return found


def body_candidates(first_paragraph_html: str) -> list[Candidate]:
    found = [
        Candidate(_plain(inner), BODY, MEDIUM)
        for _, inner in _EMPHASIS_RE.findall(first_paragraph_html)
    ]
    text = _plain(first_paragraph_html)
    found += [
        Candidate(next(g for g in m.groups() if g), BODY, MEDIUM) for m in _QUOTED_RE.finditer(text)
    ]
    found += [Candidate(run, BODY, WEAK) for run in _capitalised_runs(text)]
    return found


def first_paragraph(body_html: str) -> str:
    """The post's first ``<p>`` (or its first 600 characters when it has none)."""
    for match in _FIRST_PARAGRAPH_RE.finditer(body_html):
        if _plain(match.group(1)):
            return match.group(1)
    return body_html[:600]


def candidates(*, title: str, labels: list[str], body_html: str) -> list[Candidate]:
    """Every phrase worth looking up, strongest kept when a phrase repeats."""
    found = [
        *title_candidates(title),
        *(Candidate(label.strip(), LABEL, MEDIUM) for label in labels),
        *body_candidates(first_paragraph(body_html)),
    ]
    seen: dict[tuple[str, str], Candidate] = {}
    for candidate in found:
        key = (normalize_title(candidate.phrase), candidate.origin)
        if _useful(candidate.phrase) and key not in seen:
            seen[key] = candidate
    return list(seen.values())[:MAX_CANDIDATES]


def lookup(candidate: Candidate, find: Finder) -> tuple[Hit | None, str | None]:
    """The anime ``candidate`` names exactly, or a note on why it names none clearly."""
    wanted = normalize_title(candidate.phrase)
    scored = sorted(
        ((fuzz.ratio(wanted, normalize_title(m.matched_title)), i, m)
         for i, m in enumerate(find(candidate.phrase))),
        key=lambda item: (-item[0], item[1]),
    )  # fmt: skip
    if not scored or scored[0][0] < NEAR_EXACT:
        return None, None
    best_score, _, best = scored[0]
    rivals = {
        m.anime.pk: m for score, _, m in scored
        if score >= best_score - AHEAD_MARGIN and m.anime.pk != best.anime.pk
    }  # fmt: skip
    if rivals:
        named = ", ".join(f"#{a.anime.pk} {a.anime.title}" for a in [best, *rivals.values()])
        return None, f"{candidate.phrase!r} could be several anime ({named})"
    return Hit(candidate, best.anime, best.matched_title), None


def _sequel_mismatch(title: str, hit: Hit) -> str | None:
    """A title naming season/part N (N ≥ 2) must not link to an entry without that number."""
    match = _SEQUEL_RE.search(title)
    if match is None:
        return None
    number = match.group(1) or match.group(2)
    if number in normalize_title(hit.matched_title).split():
        return None
    return f"the title names season/part {number} but {hit.anime.title!r} does not"


def _default_find(phrase: str) -> list:
    from kansou.catalog.selectors import anime_find

    return anime_find(query=phrase, limit=LOOKUP_LIMIT)


def match_post(*, title: str, labels: list[str], body_html: str,
               find: Finder | None = None) -> MatchResult:  # fmt: skip
    """The anime the post is about, or None with the reasons (rules in the module docstring)."""
    if _LIST_POST_RE.search(_plain(title)):
        return MatchResult(None, ["the title reads like a list post, not a review of one anime"])
    find = find or _default_find
    hits, notes = [], []
    for candidate in candidates(title=title, labels=labels, body_html=body_html):
        hit, note = lookup(candidate, find)
        hits += [hit] if hit else []
        notes += [note] if note else []
    result = _decide(title, hits)
    result.hits = hits
    if result.anime is None:
        result.reasons += notes or ([] if hits else ["no phrase names a catalog anime exactly"])
    return result


def _decide(title: str, hits: list[Hit]) -> MatchResult:
    whole = [h for h in hits if h.candidate.whole_title]
    strong = {h.anime.pk: h for h in hits if h.candidate.strength == STRONG}
    if whole:
        return _accept(title, whole[0], "the title names it")
    if len(strong) > 1:
        named = " and ".join(repr(h.anime.title) for h in strong.values())
        return MatchResult(None, [f"the title names several anime: {named}"])
    if strong:
        return _accept(title, next(iter(strong.values())), "the title names it")
    origins: dict[int, set[str]] = {}
    for hit in hits:
        origins.setdefault(hit.anime.pk, set()).add(hit.candidate.origin)
    agreed = [pk for pk, found_in in origins.items() if len(found_in) >= 2]
    if len(agreed) == 1:
        hit = next(h for h in hits if h.anime.pk == agreed[0])
        sources = " and ".join(sorted(origins[agreed[0]]))
        return _accept(title, hit, f"named in the {sources}")
    if len(agreed) > 1:
        return MatchResult(None, ["the title, labels and opening name different anime"])
    if hits:
        named = ", ".join(sorted({f"{h.anime.title!r} ({h.candidate.origin})" for h in hits}))
        return MatchResult(None, [f"only one source names {named}; not enough to be sure"])
    return MatchResult(None, [])


def _accept(title: str, hit: Hit, how: str) -> MatchResult:
    if problem := _sequel_mismatch(_plain(title), hit):
        return MatchResult(None, [problem])
    return MatchResult(hit.anime, [f"{how} ({hit.candidate.phrase!r} = {hit.matched_title!r})"])
