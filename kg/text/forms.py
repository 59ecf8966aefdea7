"""Find where names occur in a text, ignoring white space and width differences.

Offsets are character positions (Unicode code points) in the text exactly as read from the
file. Matching ignores white space (the PDF breaks lines inside names) and compares the
NFKC forms of characters, so full-width and half-width forms match; with ``fold=True`` it
also compares Chinese characters in one script, so 臺灣 matches 台湾.

>>> [(m.form, m.start, m.end) for m in find_forms("Carla \\n\\nHayden 博士", ["Carla Hayden"])]
[('Carla Hayden', 0, 14)]
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache


@lru_cache(maxsize=None)
def fold_script(char: str) -> str:
    """One Chinese character in its Simplified form (OpenCC ``tw2s``, one character at a time
    so offsets stay aligned): 臺 and 台 -> 台, 著 and 着 -> 着, 張 and 张 -> 张.

    >>> "".join(fold_script(c) for c in "臺灣張志清著") == "".join(fold_script(c) for c in "台湾张志清着")
    True
    """
    if char.isascii() or not char.isalpha():
        return char
    folded = _converter().convert(char)
    return folded if len(folded) == 1 else char


@lru_cache(maxsize=1)
def _converter():
    import opencc

    return opencc.OpenCC("tw2s")


def normalized(text: str, fold: bool = False) -> tuple[str, list[int]]:
    """Drop white space and NFKC-normalise each character; keep a map back to offsets.
    With ``fold``, Chinese characters are compared in one script (``fold_script``)."""
    chars: list[str] = []
    index: list[int] = []
    for position, char in enumerate(text):
        if char.isspace():
            continue
        for piece in unicodedata.normalize("NFKC", char):
            if piece.isspace():
                continue
            chars.append(fold_script(piece) if fold else piece)
            index.append(position)
    return "".join(chars), index


def _is_word_char(char: str) -> bool:
    return char.isascii() and char.isalnum()


@dataclass(frozen=True)
class Match:
    form: str
    start: int
    end: int


def find_forms(text: str, forms: list[str], _norm=None, fold: bool = False) -> list[Match]:
    """Every occurrence of each form, longest first, without overlaps.

    Latin-script forms must stand as whole words ("ALA" does not match inside "ALAN").
    With ``fold`` (and ``_norm`` made with ``fold=True``) a Traditional form matches the
    Simplified text and the other way round.

    >>> [(m.start, m.end) for m in find_forms("中国国家图书馆副馆长张志清", ["張志清"], fold=True)]
    [(10, 13)]
    """
    norm, index = _norm or normalized(text, fold)
    candidates: list[Match] = []
    for form in set(forms):
        key, _ = normalized(form, fold)
        if not key:
            continue
        position = norm.find(key)
        while position != -1:
            start = index[position]
            end = index[position + len(key) - 1] + 1
            before = text[start - 1] if start > 0 else " "
            after = text[end] if end < len(text) else " "
            if not (_is_word_char(key[0]) and _is_word_char(before)) and \
                    not (_is_word_char(key[-1]) and _is_word_char(after)):
                candidates.append(Match(form, start, end))
            position = norm.find(key, position + 1)
    candidates.sort(key=lambda m: (-(m.end - m.start), m.start, m.form))
    taken: list[Match] = []
    occupied = bytearray(len(text) + 1)
    for match in candidates:
        if any(occupied[match.start:match.end]):
            continue
        occupied[match.start:match.end] = b"\x01" * (match.end - match.start)
        taken.append(match)
    return sorted(taken, key=lambda m: (m.start, m.form))
