"""Figures and dates in a report's sentences, as typed records for fact proposals.

Counts with their measure word as unit (約3600位 -> 3600 person, approximate), Chinese
numerals (兩萬餘 -> 20000, lower bound), money with its currency, percentages, dates and date
ranges (a date without a year takes the last year named before it), ROC years (民國92年,
92~93年 -> 2003-2004). Numbers are read with kg.text.numerals; the patterns are general
Chinese measure words and qualifiers.

>>> [(f.value, f.datatype, f.unit, f.qualifier) for f in find_figures("約有三千六百位代表")]
[('3600', 'xsd:integer', 'person', 'approximate')]
>>> [(f.property, f.value) for f in find_figures("2019年8月24日至31日舉行")]
[('schema:startDate', '2019-08-24'), ('schema:endDate', '2019-08-31')]
>>> [(f.property, f.value) for f in find_figures("民國92~93年間")]
[('schema:startDate', '2003'), ('schema:endDate', '2004')]
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from kg.text.numerals import NUMBER, parse_number

__all__ = ["Figure", "find_figures", "UNITS", "CURRENCIES", "QUALIFIERS"]

# Measure word (Traditional and Simplified) -> unit.
UNITS = {
    "人次": "visit", "人": "person", "位": "person", "名": "person", "個國家": "country",
    "國": "country", "国": "country", "所": "institution", "家": "institution",
    "間": "building", "间": "building", "座": "building", "棟": "building", "栋": "building",
    "館": "library", "馆": "library", "本": "book", "冊": "volume", "册": "volume",
    "件": "item", "項": "item", "项": "item", "種": "kind", "种": "kind", "個": "item",
    "个": "item", "場": "session", "场": "session", "堂": "session", "篇": "article",
    "次": "time", "週": "week", "周": "week", "天": "day", "小時": "hour", "小时": "hour",
    "分鐘": "minute", "分钟": "minute", "秒": "second", "歲": "year", "岁": "year",
    "年": "year", "個月": "month", "个月": "month", "支": "item", "部": "work",
    "則": "item", "则": "item", "張": "item", "张": "item", "條": "item", "条": "item",
    "萬次": "view", "次觀看": "view", "次观看": "view",
}
CURRENCIES = {"美元": "USD", "美金": "USD", "US$": "USD", "$": "USD", "USD": "USD",
              "新臺幣": "TWD", "新台幣": "TWD", "新台币": "TWD", "台幣": "TWD", "臺幣": "TWD",
              "NT$": "TWD", "人民幣": "CNY", "人民币": "CNY", "元": "TWD", "歐元": "EUR",
              "欧元": "EUR", "英鎊": "GBP", "英镑": "GBP", "日圓": "JPY", "日元": "JPY"}
# Qualifier words before and after a number -> meaning.
QUALIFIERS = {"約": "approximate", "约": "approximate", "大約": "approximate",
              "大约": "approximate", "近": "approximate", "將近": "approximate",
              "将近": "approximate", "接近": "approximate", "超過": "lowerBound",
              "超过": "lowerBound", "逾": "lowerBound", "多達": "lowerBound",
              "多达": "lowerBound", "高達": "lowerBound", "高达": "lowerBound",
              "至少": "lowerBound", "不少於": "lowerBound", "餘": "lowerBound",
              "余": "lowerBound", "多": "lowerBound", "以上": "lowerBound",
              "不到": "upperBound", "未滿": "upperBound", "以下": "upperBound"}

_NUM = NUMBER.pattern
_BEFORE = "|".join(sorted((q for q in QUALIFIERS if q not in ("餘", "余", "多", "以上", "以下")),
                          key=len, reverse=True))
_UNIT = "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True))
_MONEY = "|".join(re.escape(c) for c in sorted(CURRENCIES, key=len, reverse=True))
COUNT = re.compile(rf"(?P<q>{_BEFORE})?\s*(?:有|了)?\s*(?P<n>{_NUM})\s*(?P<more>餘|余|多)?\s*"
                   rf"(?P<u>{_UNIT})(?P<after>以上|以下)?")
MONEY = re.compile(rf"(?P<q>{_BEFORE})?\s*(?:(?P<c1>US\$|NT\$|\$)\s*(?P<n1>{_NUM})|"
                   rf"(?P<n2>{_NUM})\s*(?P<more>餘|余|多)?\s*(?P<c2>{_MONEY}))")
PERCENT = re.compile(rf"(?P<q>{_BEFORE})?\s*(?:(?P<n1>[0-9０-９.]+)\s*[%％]|百分之(?P<n2>{_NUM}))")
DATE = re.compile(r"(?:(?P<y>[0-9]{4})\s*年\s*)?(?P<m>[0-9]{1,2})\s*月\s*(?P<d>[0-9]{1,2})\s*[日號号]"
                  r"(?:\s*(?:至|到|~|～|-|–|—)\s*(?:(?P<m2>[0-9]{1,2})\s*月\s*)?"
                  r"(?P<d2>[0-9]{1,2})\s*[日號号])?")
ROC = re.compile(r"(?:民國|民国)\s*(?P<y>[0-9]{2,3})(?:\s*(?:至|到|~|～|-|–)\s*(?P<y2>[0-9]{2,3}))?"
                 r"\s*年|(?<![0-9])(?P<b>[0-9]{2,3})\s*(?:~|～|-|–|至)\s*(?P<b2>[0-9]{2,3})\s*年")
YEAR = re.compile(r"(?<![0-9])(?P<y>(?:19|20)[0-9]{2})\s*年")


@dataclass(frozen=True)
class Figure:
    start: int
    end: int
    property: str
    value: str
    datatype: str
    unit: str = ""
    qualifier: str = ""
    source: str = ""


def _value(text: str) -> str | None:
    try:
        number = parse_number(text)
    except ValueError:
        return None
    return str(number)


def _qualifier(match: re.Match) -> str:
    groups = match.groupdict()
    for key in ("q", "more", "after"):
        if groups.get(key):
            return QUALIFIERS.get(groups[key], "")
    return ""


def find_figures(text: str, start: int = 0, end: int | None = None,
                 year: int | None = None) -> list[Figure]:
    """Figures in ``text[start:end]``; ``year`` is the year a date without one belongs to."""
    end = len(text) if end is None else end
    piece = unicodedata.normalize("NFKC", text[start:end]) \
        if len(unicodedata.normalize("NFKC", text[start:end])) == end - start else text[start:end]
    found: list[Figure] = []
    taken = bytearray(len(piece) + 1)

    def add(first: int, last: int, *args) -> None:
        if any(taken[first:last]):
            return
        taken[first:last] = b"\x01" * (last - first)
        found.append(Figure(start + first, start + last, *args))

    for match in ROC.finditer(piece):
        first_year = match.group("y") or match.group("b")
        second = match.group("y2") or match.group("b2")
        if int(first_year) > 200 or (second and int(second) > 200):
            continue
        if second:
            add(match.start(), match.end(), "schema:startDate", str(1911 + int(first_year)),
                "xsd:gYear", "", "", "rule:roc-year")
            found.append(Figure(start + match.start(), start + match.end(), "schema:endDate",
                                str(1911 + int(second)), "xsd:gYear", "", "", "rule:roc-year"))
        else:
            add(match.start(), match.end(), "kg:onDate", str(1911 + int(first_year)),
                "xsd:gYear", "", "", "rule:roc-year")
    for match in DATE.finditer(piece):
        known_year = int(match.group("y")) if match.group("y") else year
        if known_year is None:
            continue
        month, day = int(match.group("m")), int(match.group("d"))
        if not (1 <= month <= 12 and 1 <= day <= 31):
            continue
        iso = f"{known_year:04d}-{month:02d}-{day:02d}"
        source = "rule:date" if match.group("y") else "rule:date-year-from-context"
        if match.group("d2"):
            month2 = int(match.group("m2") or month)
            add(match.start(), match.end(), "schema:startDate", iso, "xsd:date", "", "",
                source)
            found.append(Figure(start + match.start(), start + match.end(), "schema:endDate",
                                f"{known_year:04d}-{month2:02d}-{int(match.group('d2')):02d}",
                                "xsd:date", "", "", source))
        else:
            add(match.start(), match.end(), "kg:onDate", iso, "xsd:date", "", "", source)
    for match in MONEY.finditer(piece):
        number = match.group("n1") or match.group("n2")
        value = _value(number)
        currency = CURRENCIES[match.group("c1") or match.group("c2")]
        if value is not None:
            add(match.start(), match.end(), "kg:quantity", value,
                "xsd:decimal" if "." in value else "xsd:integer", currency, _qualifier(match),
                "rule:money")
    for match in PERCENT.finditer(piece):
        value = _value(match.group("n1") or match.group("n2"))
        if value is not None:
            add(match.start(), match.end(), "kg:quantity", value,
                "xsd:decimal" if "." in value else "xsd:integer", "percent", _qualifier(match),
                "rule:percent")
    for match in COUNT.finditer(piece):
        value = _value(match.group("n"))
        unit = UNITS[match.group("u")]
        if value is None or (unit == "year" and YEAR.fullmatch(match.group("n") + "年")):
            continue
        add(match.start(), match.end(), "kg:quantity", value,
            "xsd:decimal" if "." in value else "xsd:integer", unit, _qualifier(match),
            "rule:count")
    return sorted(found, key=lambda f: f.start)  # stable: a range's start before its end


def years_before(text: str):
    """offset -> the last four-digit year named before it (for dates written without one)."""
    import bisect

    marks = [(m.start(), int(m.group("y"))) for m in YEAR.finditer(text)]
    starts = [s for s, _ in marks]

    def at(offset: int) -> int | None:
        index = bisect.bisect_right(starts, offset) - 1
        return marks[index][1] if index >= 0 else None
    return at
