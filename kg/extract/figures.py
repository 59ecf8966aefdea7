"""Find the figures and dates a report gives, as typed records ready to become fact proposals.

Each ``Figure`` has a value with its XML Schema datatype, a unit (what is counted) or an ISO
4217 currency, a qualifier (``approximate``, ``lowerBound``, ``upperBound``) kept from the words
around it, its span and the span of its sentence, and the subject: the nearest entity mention
in the same sentence, else the report's event. Recognised: dates and ranges (2019年8月24日至31日,
with the year taken from context when a date omits it), ROC years (民國110年, 92~93年 → 2003–2004;
a bare year is read as ROC only when the text says 民國 or the number is followed by 年度/年 +
month), Chinese numerals (兩萬餘, 六萬四千, 三千六百), money (美元, USD, 新臺幣, 元, 萬元),
percentages and counts with their measure word (位/人/名 → person, 場 → session, 本 → book,
冊 → volume, 所 → institution, 座 → building…). Offsets are code points in the text as read.

>>> found = find_figures("本館約有3600位讀者，館藏兩萬餘冊。")
>>> [(f.value, f.datatype, f.unit, f.qualifier) for f in found]
[('3600', 'xsd:integer', 'person', 'approximate'), ('20000', 'xsd:integer', 'volume', 'lowerBound')]
>>> [(f.kind, f.value, f.until) for f in find_figures("計畫自92~93年執行。")]
[('year-range', '2003', '2004')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Iterable

from kg.text.numerals import CHINESE_NUMBER, parse_number

__all__ = ["Figure", "find_figures", "UNITS", "CURRENCIES", "QUALIFIERS"]

D = "[0-9０-９]"
NUM = rf"{D}+(?:[,，]{D}{{3}})*(?:[.．]{D}+)?"
CN = CHINESE_NUMBER.pattern
AMOUNT = rf"(?:{NUM}\s*[萬万億亿]?|{CN})"
S = r"\s*"  # white space inside a figure, line breaks included (PDFs break lines anywhere)

# Measure word -> unit. Longer words first.
UNITS = {"個國家": "country", "個月": "month", "小時": "hour", "位": "person", "人次": "visit",
         "人": "person", "名": "person", "場": "session", "本": "book", "冊": "volume",
         "所": "institution", "間": "institution", "家": "organization", "座": "building",
         "棟": "building", "館": "library", "個": "item", "件": "item", "項": "item",
         "篇": "article", "部": "work", "種": "kind", "次": "time", "頁": "page", "張": "sheet",
         "國": "country", "天": "day", "週": "week", "周": "week", "分鐘": "minute",
         "歲": "year-of-age", "年": "year", "秒": "second", "册": "volume", "间": "institution", "场": "session",
         "个": "item", "栋": "building", "馆": "library", "页": "page", "张": "sheet",
         "种": "kind", "岁": "year-of-age", "国": "country", "个月": "month", "个国家": "country"}
CURRENCIES = {"美元": "USD", "美金": "USD", "US$": "USD", "USD": "USD", "US＄": "USD",
              "新臺幣": "TWD", "新台幣": "TWD", "新台币": "TWD", "台幣": "TWD", "臺幣": "TWD",
              "NT$": "TWD", "NTD": "TWD", "TWD": "TWD", "人民幣": "CNY", "人民币": "CNY",
              "RMB": "CNY", "CNY": "CNY", "歐元": "EUR", "欧元": "EUR", "EUR": "EUR",
              "€": "EUR", "日圓": "JPY", "日元": "JPY", "日幣": "JPY", "JPY": "JPY",
              "韓元": "KRW", "韩元": "KRW", "KRW": "KRW", "英鎊": "GBP", "英镑": "GBP",
              "GBP": "GBP", "£": "GBP", "港幣": "HKD", "港币": "HKD", "HKD": "HKD", "$": "USD", "＄": "USD"}
QUALIFIERS = {"約": "approximate", "约": "approximate", "大約": "approximate",
              "大约": "approximate", "近": "approximate", "將近": "approximate",
              "将近": "approximate", "接近": "approximate", "大概": "approximate",
              "左右": "approximate", "超過": "lowerBound", "超过": "lowerBound",
              "逾": "lowerBound", "多於": "lowerBound", "多于": "lowerBound",
              "至少": "lowerBound", "不少於": "lowerBound", "不少于": "lowerBound",
              "餘": "lowerBound", "余": "lowerBound", "多": "lowerBound", "以上": "lowerBound",
              "不到": "upperBound", "未滿": "upperBound", "未满": "upperBound",
              "少於": "upperBound", "少于": "upperBound", "不足": "upperBound",
              "低於": "upperBound", "低于": "upperBound", "以下": "upperBound",
              "以內": "upperBound", "以内": "upperBound"}
_BEFORE = sorted((q for q in QUALIFIERS if q not in ("餘", "余", "多", "以上", "以下", "以內",
                                                      "以内", "左右")), key=len, reverse=True)
_AFTER_NUMBER = "[餘余多]"  # 兩萬餘人, 3000多名
_AFTER_UNIT = "以上|以下|以內|以内|左右"


def _alt(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_YEAR = rf"(?P<y>(?:1[5-9]|20){D}{D}|[一二〇○零三四五六七八九]{{4}})"
_ROC = rf"民國{S}(?P<roc>{D}{{1,3}}|{CN})"
_MD = rf"(?P<m>{D}{{1,2}}){S}月(?:{S}(?P<d>{D}{{1,2}}){S}[日號号])?"
_RANGE = r"(?:至|到|~|～|－|-|–|—|〜)"
_END = rf"(?:(?P<y2>(?:19|20){D}{D}){S}年{S})?(?:(?P<m2>{D}{{1,2}}){S}月{S})?" \
       rf"(?P<d2>{D}{{1,2}}){S}[日號号]"

_NOT_AFTER = r"(?<![0-9０-９.．第])"
PATTERNS = [
    ("date", re.compile(rf"(?:{_YEAR}|{_ROC}|(?<![0-9０-９])(?P<rocb>{D}{{2,3}})){S}年{S}{_MD}"
                        rf"(?:{S}{_RANGE}{S}{_END})?")),
    ("date", re.compile(rf"(?P<y>(?:19|20){D}{D})(?P<sep>[-/.．]){S}(?P<m>{D}{{1,2}})"
                        rf"(?P=sep)(?P<d>{D}{{1,2}})(?!{D})")),
    ("date", re.compile(rf"(?<![0-9０-９]){_MD}(?:{S}{_RANGE}{S}{_END})?")),
    ("year-range", re.compile(rf"(?<![0-9０-９.])(?P<a>{D}{{2,4}}){S}{_RANGE}{S}"
                              rf"(?P<b>{D}{{2,4}}){S}年(?!{S}[0-9０-９]{{1,2}}{S}月)")),
    ("roc-year", re.compile(rf"{_ROC}{S}年(?P<du>度)?")),
    ("year", re.compile(rf"(?<![0-9０-９.]){_YEAR}{S}年(?P<du>度)?")),
    ("bare-year", re.compile(rf"(?<![0-9０-９.．])(?P<n>{D}{{2,3}}){S}年(?P<du>度)?"
                             r"(?![來来間间以多前後后內内左])")),
    ("money", re.compile(rf"(?P<cur>{_alt(CURRENCIES)}){S}(?P<n>{AMOUNT})"
                         rf"(?P<more>{_AFTER_NUMBER})?{S}(?P<wan>萬|万|億|亿)?{S}(?:元)?")),
    ("money", re.compile(rf"{_NOT_AFTER}(?P<n>{AMOUNT})(?P<more>{_AFTER_NUMBER})?{S}"
                         rf"(?P<wan>萬|万|億|亿)?{S}(?P<cur>{_alt(CURRENCIES)}|元)")),
    ("percent", re.compile(rf"(?P<n>{NUM}){S}[%％]|百分之(?P<cn>{CN}|{NUM})")),
    ("count", re.compile(rf"{_NOT_AFTER}(?P<n>{AMOUNT})(?P<more>{_AFTER_NUMBER})?{S}(?P<unit>{_alt(UNITS)})"
                         rf"(?P<after>{_AFTER_UNIT})?")),
    ("number", re.compile(rf"{_NOT_AFTER}(?P<n>{NUM}{S}[萬万億亿]|{D}{{1,3}}(?:[,，]{D}{{3}})+)"
                          rf"(?P<more>{_AFTER_NUMBER})?")),
    ("year-4", re.compile(rf"(?<![0-9０-９.,，])(?:19|20){D}{D}"
                          r"(?![0-9０-９,，]|\s*[年月日%％萬万])")),
]


@dataclass(frozen=True)
class Figure:
    """A figure or date found in the text (see the module docstring)."""

    kind: str  # date, date-range, year, year-range, count, money, percent, number (no unit)
    value: str  # lexical form for ``datatype``: 2019-08-24, 2003, 3600, 12.5
    datatype: str  # xsd:date, xsd:gYear, xsd:integer, xsd:decimal
    start: int  # the figure's span in the text
    end: int
    unit: str | None = None  # person, session, book…; ISO 4217 code for money; percent
    qualifier: str | None = None  # approximate | lowerBound | upperBound
    until: str | None = None  # ranges: the end date or year
    sentence: tuple[int, int] | None = None
    subject: str | None = None  # entity id: nearest mention in the sentence, else the event
    calendar: str = "gregorian"  # or "roc" when read from a 民國 year


def _int(text: str) -> int:
    return int(parse_number(text))


def _lexical(value) -> tuple[str, str]:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f"), "xsd:decimal"
    return str(value), "xsd:integer"


def _date(y: int, m: int, d: int | None) -> str | None:
    import datetime

    try:
        return datetime.date(y, m, d or 1).isoformat() if d else f"{y:04d}-{m:02d}"
    except ValueError:
        return None


def _qualifier_before(text: str, start: int) -> tuple[str | None, int]:
    """The qualifier word just before a figure (white space between allowed), and where it
    starts; 最近 / 附近 are not 近."""
    window = text[max(0, start - 6):start].rstrip()
    if window[-1:] in ("有", "達", "达", "占", "佔", "為", "为", "計", "计", "了") and \
            not any(window.endswith(w) for w in _BEFORE):
        window = window[:-1].rstrip()  # 約有, 超過了, 約占
    for word in _BEFORE:
        if window.endswith(word):
            if word == "近" and window[-2:-1] in ("最", "附", "親", "靠", "鄰", "邻", "亲"):
                continue
            return QUALIFIERS[word], start - (len(text[max(0, start - 6):start]) -
                                             len(window)) - len(word)
    return None, start


def _candidates(text: str, roc_context: bool):
    """(priority, start, end, kind, match) for every pattern match."""
    for priority, (kind, pattern) in enumerate(PATTERNS):
        for m in pattern.finditer(text):
            if kind == "bare-year" and not (40 <= _int(m.group("n")) <= 200 and
                                            (roc_context or m.group("du"))):
                continue
            if kind == "date" and m.groupdict().get("rocb") and \
                    not 40 <= _int(m.group("rocb")) <= 200:
                continue
            yield priority, m.start(), m.end(), kind, m


def _non_overlapping(items):
    """Longest first (then pattern order), like spaCy's filter_spans."""
    taken, used = [], []
    for item in sorted(items, key=lambda c: (-(c[2] - c[1]), c[0], c[1])):
        if any(item[1] < e and s < item[2] for s, e in used):
            continue
        used.append((item[1], item[2]))
        taken.append(item)
    return sorted(taken, key=lambda c: c[1])


def _year_of(m, key="y") -> int | None:
    raw = m.groupdict().get(key)
    if raw:
        return _int(raw)
    roc = m.groupdict().get("roc") or m.groupdict().get("rocb")
    return _int(roc) + 1911 if roc else None


def find_figures(text: str, mentions: Iterable[tuple[int, int, str]] = (),
                 event: str | None = None, year: int | None = None,
                 sentences=None) -> list[Figure]:
    """Every figure and date in ``text`` (see the module docstring).

    ``mentions`` are ``(start, end, entity id)`` of the entities the text names; ``event`` is
    the report's event (the subject when no entity is named in the sentence); ``year`` is the
    year a date without one belongs to when the text before it names none.
    """
    from kg.text.sentences import sentence_at, sentences as split

    found_sentences = sentences if sentences is not None else split(text)
    roc_context = "民國" in text or "民国" in text
    context_year = year
    mentions = sorted(mentions)
    figures: list[Figure] = []
    for _, start, end, kind, m in _non_overlapping(_candidates(text, roc_context)):
        figure = _read(kind, m, text, context_year)
        if figure is None:
            continue
        if figure.kind in ("date", "date-range", "year", "year-range") and \
                figure.datatype in ("xsd:date", "xsd:gYear", "xsd:gYearMonth"):
            context_year = int(figure.value[:4])
        sentence = sentence_at(found_sentences, start)
        span = (sentence.start, sentence.end) if sentence else None
        subject = _subject(mentions, start, end, span) or event
        figures.append(replace(figure, sentence=span, subject=subject))
    return figures


def _subject(mentions, start: int, end: int, span) -> str | None:
    if span is None:
        return None
    inside = [(min(abs(s - end), abs(start - e)), s, entity) for s, e, entity in mentions
              if span[0] <= s < span[1] and not (start <= s < end)]
    return min(inside)[2] if inside else None


def _read(kind: str, m: re.Match, text: str, context_year: int | None) -> Figure | None:
    start, end = m.start(), m.end()
    groups = m.groupdict()
    if kind == "date":
        y = _year_of(m) or context_year
        calendar = "roc" if groups.get("roc") or groups.get("rocb") else "gregorian"
        if y is None:
            return None
        month, day = _int(groups["m"]), _int(groups["d"]) if groups.get("d") else None
        value = _date(y, month, day)
        if value is None:
            return None
        until = None
        if groups.get("d2"):
            y2 = _int(groups["y2"]) if groups.get("y2") else y
            m2 = _int(groups["m2"]) if groups.get("m2") else month
            until = _date(y2, m2, _int(groups["d2"]))
        datatype = "xsd:date" if day else "xsd:gYearMonth"
        return Figure("date-range" if until else "date", value, datatype, start, end,
                      until=until, calendar=calendar)
    if kind == "year-range":
        a, b = _int(groups["a"]), _int(groups["b"])
        if a < 1000 and b < 1000:  # 92~93年: ROC years (10-20年 is a duration)
            if not (40 <= a <= b <= 200):
                return None
            a, b, calendar = a + 1911, b + 1911, "roc"
        elif a >= 1000 and b < 100:  # 2019-21年
            b, calendar = a // 100 * 100 + b, "gregorian"
        else:
            calendar = "gregorian"
        if not (1000 <= a <= b <= 2200):
            return None
        return Figure("year-range", str(a), "xsd:gYear", start, end, until=str(b),
                      calendar=calendar)
    if kind in ("roc-year", "year", "bare-year"):
        if kind == "year":
            value, calendar = _year_of(m), "gregorian"
        elif kind == "roc-year":
            value, calendar = _year_of(m), "roc"
        else:
            value, calendar = _int(groups["n"]) + 1911, "roc"
        return Figure("year", str(value), "xsd:gYear", start, end, calendar=calendar)
    if kind == "year-4":
        return Figure("year", str(_int(m.group())), "xsd:gYear", start, end)
    if kind == "percent":
        raw = groups.get("n") or groups.get("cn")
        value, _ = _lexical(parse_number(raw))
        return Figure("percent", value, "xsd:decimal", start, end, unit="percent",
                      qualifier=_qualifier_before(text, start)[0])
    if kind in ("money", "count", "number"):
        try:
            number = parse_number(groups["n"])
        except ValueError:
            return None
        if kind == "count" and groups["n"] == "一" and not groups.get("more") and \
                not groups.get("after"):
            return None  # 一位, 一本: an article, not a figure worth a fact
        if groups.get("wan"):
            number = number * {"萬": 10_000, "万": 10_000, "億": 10 ** 8, "亿": 10 ** 8}[
                groups["wan"]]
        if isinstance(number, Decimal) and number == number.to_integral_value():
            number = int(number)
        qualifier, _ = _qualifier_before(text, start)
        if groups.get("more"):
            qualifier = "lowerBound"
        if groups.get("after"):
            qualifier = QUALIFIERS[groups["after"]]
        value, datatype = _lexical(number)
        if kind == "money":
            code = CURRENCIES.get(groups["cur"])
            if code is None:  # plain 元: the currency of the text's script
                code = "CNY" if _simplified(text) else "TWD"
            return Figure("money", value, "xsd:decimal", start, end, unit=code,
                          qualifier=qualifier)
        unit = UNITS[groups["unit"]] if kind == "count" else None
        return Figure(kind, value, datatype, start, end, unit=unit, qualifier=qualifier)
    return None


_SIMPLIFIED_HINTS = re.compile("[们这个为国会发过时说对书馆]")
_TRADITIONAL_HINTS = re.compile("[們這個為國會發過時說對書館]")


def _simplified(text: str) -> bool:
    return len(_SIMPLIFIED_HINTS.findall(text)) > len(_TRADITIONAL_HINTS.findall(text))
