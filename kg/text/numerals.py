"""Read numbers as reports write them: Chinese numerals (兩萬、六萬四千、三千六百), full-width
digits, thousands separators, and digits mixed with 萬/億 (3.5萬, 12萬).

>>> parse_number("六萬四千"), parse_number("三千六百"), parse_number("兩萬"), parse_number("１２,５００")
(64000, 3600, 20000, 12500)
>>> parse_number("3.5萬"), parse_number("十二"), parse_number("二〇二二")
(35000, 12, 2022)
>>> [m.group() for m in NUMBER.finditer("約三千六百位，超過 7,738 人與１２名")]
['三千六百', '7,738', '１２']
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

__all__ = ["DIGITS", "NUMBER", "CHINESE_NUMBER", "parse_number", "parse_chinese",
           "chinese_numbers"]

DIGITS = {"〇": 0, "零": 0, "○": 0, "Ｏ": 0, "一": 1, "壹": 1, "二": 2, "貳": 2, "贰": 2, "兩": 2,
          "两": 2, "三": 3, "參": 3, "叁": 3, "叄": 3, "参": 3, "四": 4, "肆": 4, "五": 5, "伍": 5,
          "六": 6, "陸": 6, "陆": 6, "七": 7, "柒": 7, "八": 8, "捌": 8, "九": 9, "玖": 9}
SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
LARGE_UNITS = {"萬": 10_000, "万": 10_000, "億": 100_000_000, "亿": 100_000_000}
_CN_DIGIT = "〇零○一二兩两三四五六七八九"
_CN_UNIT = "十百千萬万億亿"
# Chinese numerals: at least one digit or 十; the formal 壹貳參 only with a unit after them.
CHINESE_NUMBER = re.compile(rf"(?:[{_CN_DIGIT}]|十)[{_CN_DIGIT}{_CN_UNIT}]*")
_ARABIC = r"[0-9０-９]+(?:[,，][0-9０-９]{3})*(?:[.．][0-9０-９]+)?"
NUMBER = re.compile(rf"{_ARABIC}(?:\s*[萬万億亿])?|{CHINESE_NUMBER.pattern}")


def parse_chinese(text: str) -> int:
    """``六萬四千`` -> 64000; ``二〇二二`` (digit by digit) -> 2022. ValueError if not a number."""
    if not text:
        raise ValueError("empty numeral")
    if all(char in DIGITS for char in text) and len(text) > 1:
        return int("".join(str(DIGITS[char]) for char in text))
    total = section = digit = 0
    seen = False
    for char in text:
        if char in DIGITS:
            digit = DIGITS[char]
            seen = True
        elif char in SMALL_UNITS:
            section += (digit if seen else 1) * SMALL_UNITS[char]
            digit, seen = 0, False
        elif char in LARGE_UNITS:
            section += digit
            total = (total + section) * LARGE_UNITS[char] if LARGE_UNITS[char] > 10_000 \
                else total + section * LARGE_UNITS[char]
            section = digit = 0
            seen = False
        else:
            raise ValueError(f"not a Chinese numeral: {text!r}")
    return total + section + digit


def parse_number(text: str) -> int | Decimal:
    """Any number a report writes -> int (or Decimal for a fraction). ValueError if none.

    >>> parse_number("2.5"), parse_number("1,234")
    (Decimal('2.5'), 1234)
    """
    plain = unicodedata.normalize("NFKC", text).replace(",", "").replace("，", "").strip()
    multiplier = 1
    if plain and plain[-1] in LARGE_UNITS and re.match(r"[0-9]", plain):
        multiplier = LARGE_UNITS[plain[-1]]
        plain = plain[:-1].strip()
    if re.fullmatch(r"[0-9]+(\.[0-9]+)?", plain):
        try:
            value = Decimal(plain) * multiplier
        except InvalidOperation:
            raise ValueError(f"not a number: {text!r}") from None
        return int(value) if value == value.to_integral_value() else value
    return parse_chinese(plain)


def chinese_numbers(text: str, start: int = 0, end: int | None = None):
    """``(start, end, value)`` of every number (Arabic or Chinese) in ``text[start:end]``."""
    for match in NUMBER.finditer(text, start, len(text) if end is None else end):
        try:
            yield match.start(), match.end(), parse_number(match.group())
        except ValueError:
            continue
