"""Vietnamese text helpers: diacritic-free search keys and dictionary sort order."""

import functools
import re
import unicodedata

# Vietnamese dictionary order of base letters; đ sorts after d, and the
# breve, circumflex and horn letters after their plain vowel.
_ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
_LETTER_RANK = {letter: index for index, letter in enumerate(_ALPHABET)}
# Tone marks in dictionary order: none, huyền, hỏi, ngã, sắc, nặng.
_TONE_RANK = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


def fold(text: str) -> str:
    """Lower-case ``text`` without diacritics, ``đ`` as ``d``: "Bến Tre" -> "ben tre"."""
    decomposed = unicodedata.normalize("NFD", text.casefold().replace("đ", "d"))
    without_marks = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(without_marks.split())


def _split_letter(char: str) -> tuple[str, int]:
    """Return the base letter with its shape (ă, â, ê, ô, ơ, ư) and the rank of its tone."""
    decomposed = unicodedata.normalize("NFD", char)
    base, marks = decomposed[0], decomposed[1:]
    tone = 0
    for mark in marks:
        if mark in _TONE_RANK:
            tone = _TONE_RANK[mark]
        elif mark == "\u0302":
            base = {"a": "â", "e": "ê", "o": "ô"}.get(base, base)
        elif mark == "\u0306" and base == "a":
            base = "ă"
        elif mark == "\u031b":
            base = {"o": "ơ", "u": "ư"}.get(base, base)
    return base, tone


@functools.lru_cache(maxsize=10_000)  # names are sorted again and again: a list's rows, a team's members
def sort_key(text: str) -> str:
    """A key of digits whose plain order is Vietnamese dictionary order.

    Letters are compared first and tones only to break ties, as a dictionary does,
    so the key holds two digits per letter, ``00``, then one digit per tone. Only
    digits are used so that any database collation orders the keys the same way.
    """
    letters, tones = [], []
    # Numbers compare by value: "Phường 8" before "Phường 10".
    text = re.sub(r"\d+", lambda match: match.group().zfill(6), " ".join(text.casefold().split()))
    for char in text:
        base, tone = _split_letter(char)
        if base == " ":
            rank = 1
        elif base.isdigit():
            rank = 2 + int(base)
        elif base in _LETTER_RANK:
            rank = 12 + _LETTER_RANK[base]
        else:
            rank = 42 + ord(base) % 58
        letters.append(f"{rank:02d}")
        tones.append(str(tone))
    return ("".join(letters) + "00" + "".join(tones))[:SORT_KEY_LENGTH]


SORT_KEY_LENGTH = 255
