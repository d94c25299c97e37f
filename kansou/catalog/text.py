"""Text rules shared by every app: the search key titles are stored and looked up by, a title's
language, and the one cleaning every stranger's text gets before it is stored."""

from __future__ import annotations

import re
import unicodedata

_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)

# C0 controls but tab, line feed and carriage return; DEL and the C1 controls; U+FFFE and U+FFFF
# (not characters; XML 1.0 forbids them). A character class body in the syntax Python, JSON
# Schema (ECMA-262) and pydantic (Rust) share, so the API's schema patterns refuse the same set.
CONTROL_CHARACTERS = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff"
# ... plus lone surrogates, which have no UTF-8 form (no database can store them).
_CONTROL = re.compile(f"[{CONTROL_CHARACTERS}\\ud800-\\udfff]")

# Scripts that name one language unambiguously. Latin, Cyrillic, Han and Arabic scripts are
# shared by several languages, so titles in them keep an empty language rather than a guess.
_SCRIPT_LANGUAGES = (
    (re.compile("[\u3040-\u30ff]"), "ja"),  # hiragana, katakana
    (re.compile("[\uac00-\ud7af]"), "ko"),  # hangul syllables
    (re.compile("[\u0e00-\u0e7f]"), "th"),
    (re.compile("[\u0590-\u05ff]"), "he"),
    (re.compile("[\u0370-\u03ff]"), "el"),
)


def normalize_title(text: str) -> str:
    """Fold case, accents and punctuation so "Kimi no Na wa." and "kimi no na wa" meet.

    >>> normalize_title("Kimi no Na wa.")
    'kimi no na wa'
    >>> normalize_title("  Pokémon: Mewtwo Strikes—Back! ")
    'pokemon mewtwo strikes back'
    """
    if text.isascii():
        return _NOT_WORD.sub(" ", text.lower()).strip()
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    folded = unicodedata.normalize("NFC", stripped).casefold()
    return _NOT_WORD.sub(" ", folded).strip()


def guess_language(text: str) -> str:
    """The language a title's script implies, or "" when the script is shared.

    >>> guess_language("ルックバック"), guess_language("룩백"), guess_language("Look Back")
    ('ja', 'ko', '')
    """
    if text.isascii():
        return ""
    for script, language in _SCRIPT_LANGUAGES:
        if script.search(text):
            return language
    return ""


def clean_text(text: str) -> str:
    """Text as it is stored: control characters removed (C0 but tab, line feed and carriage
    return, DEL, C1, U+FFFE/U+FFFF and lone surrogates), then NFC.

    Every text a reader writes or a file brings in (comments, list notes and tags, imported
    lists) goes through it before it is checked and saved: a page, a feed or an export never
    carries a character a browser or an XML reader would choke on.

    >>> clean_text("bell\\x07 and\\x85 tab\\tkept")
    'bell and tab\\tkept'
    >>> clean_text("Poke\\u0301mon") == "Pok\\u00e9mon"  # e + combining acute, composed
    True
    """
    return unicodedata.normalize("NFC", _CONTROL.sub("", text))
