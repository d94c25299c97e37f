"""Title text: the search key every title is stored and looked up by, and its language."""

from __future__ import annotations

import re
import unicodedata

_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)

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
