"""Rule-based name spans in a report text, beside the NER model (kg.extract.ner).

Four kinds: Latin-script proper names (``Kelsey Bogan``, ``Great Valley``), titles in 《》 and
「」, hashtags (``#LibFive``) and names that end in an institutional word (``…圖書館``,
``…協會``, ``…大學``, ``…基金會``, ``…學院``). kg.extract.propose turns them into proposals.

>>> text = "位於韓國的 Michuhol 圖書館推出了 #BookDrive 服務"
>>> sorted((surface(text, s, e), kind) for s, e, kind, _ in occurrences(text))
[('#BookDrive', 'hashtag'), ('Michuhol', 'latin-name'), ('Michuhol 圖書館', 'institution')]
"""

from __future__ import annotations

import re

__all__ = ["occurrences", "surface", "INSTITUTION_SUFFIXES"]

# Longest first, so 圖書館協會 is read as a 協會 whose name contains 圖書館.
INSTITUTION_SUFFIXES = {
    "圖書館系統": "Library", "圖書館": "Library", "分館": "Library", "基金會": "Organization",
    "協會": "Organization", "學會": "Organization", "委員會": "Organization",
    "博物館": "Organization", "出版社": "Publisher", "大學": "University",
    "學院": "University", "分校": "University",
}
# Words that never start a name: a prefix is cut after the last of these characters.
STOP_CHARS = set("的在與和及是由於為了到從對將向並等或以把被位個各該這此其之也都而但且就所讓給有"
                 "用說稱如今即後前中上下成至於非未不無已曾更最很多每某同另跟替年月日座所家名、，。；：！？"
                 "（）()「」《》“”\"'…—-")
# Modifiers that make a generic phrase (公共圖書館, 學校圖書館), not a name.
GENERIC_PREFIXES = ("公共", "學校", "高中", "國家", "專業", "傳統", "其他", "各類型", "特殊",
                    "社區", "地方", "全球", "各國", "國內", "國外", "這些", "許多", "大部分",
                    "新蓋", "改造", "舊", "新", "美國", "韓國", "青年服務", "戰爭地區", "本")
MAX_PREFIX = 8
# A library is a name only with a marker of one (國立…, …縣…, …大學…); else 圖書館 is a noun.
LIBRARY_SUFFIXES = ("圖書館系統", "圖書館", "分館")
NAME_MARKERS = ("立", "縣", "市", "州", "郡", "鎮", "區", "大學", "學院", "分館")
LATIN_STOP = {"The", "A", "An", "In", "On", "Of", "And", "To", "For", "With", "By", "At", "I",
              "It", "We", "He", "She", "They", "This", "That", "TEENS"}

_HAN = r"\u3400-\u9fff\uf900-\ufaff"
_LATIN_WORD = r"[A-Z]\.(?=\s)|[A-Z][A-Za-z0-9'’.&-]*[A-Za-z0-9]|[A-Z]"
_LATIN_NAME = re.compile(
    rf"(?<![A-Za-z0-9#])(?:{_LATIN_WORD})(?:[ \t\r\n]+(?:(?:of|and|the|to|for|in|on|de|&)"
    rf"[ \t\r\n]+)*(?:{_LATIN_WORD}))*(?![A-Za-z0-9])")
_HASHTAG = re.compile(r"(?<![\w#])#[\w-]*\w")
_BRACKETS = {"《": ("》", 40, "title"), "「": ("」", 20, "quoted")}
_SUFFIX = re.compile("|".join(sorted(INSTITUTION_SUFFIXES, key=len, reverse=True)))
_TRAILING_LATIN = re.compile(
    rf"((?:{_LATIN_WORD})(?:\s+(?:{_LATIN_WORD}|\([A-Z]{{2,3}}\)))*)\s*$")


def surface(text: str, start: int, end: int) -> str:
    """The text between offsets with PDF line breaks undone.

    White space next to a CJK character disappears; other runs become one space.

    >>> surface("Carla \\n\\nHayden 為國\\n會圖書館", 0, 22)
    'Carla Hayden 為國會圖書館'
    """
    piece = text[start:end]

    def join(match: re.Match) -> str:
        before = piece[match.start() - 1] if match.start() > 0 else ""
        after = piece[match.end()] if match.end() < len(piece) else ""
        if "\n" not in match.group() and not (_is_cjk(before) and _is_cjk(after)):
            return " "
        return "" if (_is_cjk(before) or _is_cjk(after)) else " "

    return re.sub(r"\s+", join, piece).strip()


def _is_cjk(char: str) -> bool:
    return bool(char) and ("\u3000" <= char <= "\u9fff" or "\uf900" <= char <= "\uffef")


LATIN_HEADS = {"Library": "Library", "Libraries": "Library", "Association": "Organization",
               "Foundation": "Organization", "Council": "Organization",
               "Society": "Organization", "Institute": "Organization", "Press": "Publisher",
               "University": "University", "College": "University", "School": "University",
               "Museum": "Organization", "Award": "Award", "Prize": "Award",
               "Medal": "Award", "Conference": "Conference", "Summit": "Conference"}


def _latin_type(form: str) -> str:
    words = form.split()
    if words and words[-1] in LATIN_HEADS:  # the head noun comes last in English
        return LATIN_HEADS[words[-1]]
    if any(w in ("University", "College") for w in words[:-1]) and "of" in words:
        return "University"
    if any(w in ("Library", "Libraries") for w in words):
        return "Library"
    if 2 <= len(words) <= 3 and all(re.fullmatch(r"[A-Z][a-z'’-]+\.?|[A-Z]\.", w)
                                    for w in words):
        return "Person"
    return "CreativeWork"


def _is_generic(prefix: str) -> bool:
    """True for an empty prefix or one made only of generic modifiers (韓國公共)."""
    rest = prefix
    while rest:
        for word in sorted(GENERIC_PREFIXES, key=len, reverse=True):
            if rest.startswith(word):
                rest = rest[len(word):]
                break
        else:
            return False
    return True


def _institutions(text: str):
    """(start, end, type) of every name ending in an institutional word.

    Works on the text without white space, so a name broken across PDF lines is found.
    """
    from kg.text.forms import normalized

    norm, index = normalized(text)
    for match in _SUFFIX.finditer(norm):
        begin = match.start()
        while begin > 0 and match.start() - begin < MAX_PREFIX and \
                re.match(f"[{_HAN}]", norm[begin - 1]) and norm[begin - 1] not in STOP_CHARS:
            begin -= 1
        start = index[begin]
        end = index[match.end() - 1] + 1
        prefix = norm[begin:match.start()]
        head = text[max(0, start - 80):start]
        latin = _TRAILING_LATIN.search(head)
        if latin is not None and (len(prefix) <= 2 or _is_generic(prefix)):
            # A Latin name just before: "Michuhol 圖書館", "Madison (WI) 公共圖書館".
            start = start - len(head) + latin.start()
        elif _is_generic(prefix) or len(prefix) < 2 or (
                match.group() in LIBRARY_SUFFIXES and
                not any(marker in prefix for marker in NAME_MARKERS)):
            continue
        yield start, end, INSTITUTION_SUFFIXES[match.group()]


def occurrences(text: str):
    """(start, end, kind, type) of every candidate occurrence, in rule order."""
    for match in _LATIN_NAME.finditer(text):
        form = surface(text, match.start(), match.end())
        if form in LATIN_STOP or len(form) < 2 or form.isdigit():
            continue
        yield match.start(), match.end(), "latin-name", _latin_type(form)
    for match in _HASHTAG.finditer(text):
        yield match.start(), match.end(), "hashtag", "HashtagCampaign"
    for opening, (closing, limit, kind) in _BRACKETS.items():
        for match in re.finditer(f"{opening}([^{closing}{opening}]{{1,{limit * 3}}}){closing}",
                                 text):
            inner = surface(text, match.start(1), match.end(1))
            if 0 < len(inner) <= limit and not any(p in inner for p in "，。；！？,;"):
                yield match.start(1), match.end(1), kind, "CreativeWork"
    for start, end, type_name in _institutions(text):
        yield start, end, "institution", type_name
