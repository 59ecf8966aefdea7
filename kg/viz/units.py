"""Fact units in the reader's language: ``person`` is 人 in Chinese and people in English.

Curators write units as short English words (data/README.md); a unit not listed here is
shown as written.

>>> unit_labels("person", "3600")
{'uen': 'people', 'uzh': '人'}
>>> unit_labels("building", "1")
{'uen': 'building', 'uzh': '棟建築'}
>>> unit_labels("", "5")
{}
"""

from __future__ import annotations

__all__ = ["unit_labels", "UNITS"]

# unit -> (English singular, English plural, Traditional Chinese)
UNITS: dict[str, tuple[str, str, str]] = {
    "person": ("person", "people", "人"), "people": ("person", "people", "人"),
    "building": ("building", "buildings", "棟建築"), "book": ("book", "books", "本書"),
    "item": ("item", "items", "件"), "institution": ("institution", "institutions", "個機構"),
    "organization": ("organization", "organizations", "個組織"),
    "library": ("library", "libraries", "所圖書館"), "session": ("session", "sessions", "場"),
    "talk": ("talk", "talks", "場演講"), "site": ("site", "sites", "處"),
    "view": ("view", "views", "次觀看"), "visit": ("visit", "visits", "人次"),
    "challenge": ("challenge", "challenges", "項挑戰"), "part": ("part", "parts", "部分"),
    "second": ("second", "seconds", "秒"), "minute": ("minute", "minutes", "分鐘"),
    "hour": ("hour", "hours", "小時"), "day": ("day", "days", "天"),
    "week": ("week", "weeks", "週"), "month": ("month", "months", "個月"),
    "year": ("year", "years", "年"), "country": ("country", "countries", "個國家"),
    "member": ("member", "members", "位會員"), "title": ("title", "titles", "種"),
    "percent": ("percent", "percent", "%"), "%": ("%", "%", "%"),
    "USD": ("US dollars", "US dollars", "美元"), "TWD": ("New Taiwan dollars",
                                                      "New Taiwan dollars", "新臺幣"),
    "EUR": ("euros", "euros", "歐元"), "CNY": ("yuan", "yuan", "人民幣"),
}


def unit_labels(unit: str, value) -> dict[str, str]:
    """``{"uen": ..., "uzh": ...}`` for a unit and the value it counts ({} without a unit)."""
    if not unit:
        return {}
    row = UNITS.get(unit) or UNITS.get(unit.lower())
    if row is None:
        return {"uen": unit, "uzh": unit}
    try:
        one = float(str(value).replace(",", "")) == 1
    except ValueError:
        one = False
    return {"uen": row[0] if one else row[1], "uzh": row[2]}
