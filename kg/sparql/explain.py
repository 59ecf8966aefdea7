"""Explain a SPARQL syntax error in the user's terms: the common causes, found by reading the
query itself, instead of the engine's list of grammar alternatives.

Causes recognised: an unclosed or stray ``{`` ``(`` ``[`` (``}`` ``)`` ``]``), a triple
pattern with a term too many (a missing ``.``) or too few (no object), an unknown keyword
(with the nearest real one), and a prefix used without ``PREFIX``.

>>> explain("SELECT * WHERE { ?s ?p ?o ?a ?b ?c }").message
"missing '.' after '?o': each triple pattern is subject predicate object, ended by '.'"
>>> explain("SELEC * WHERE { ?s ?p ?o }").message
"unknown keyword 'SELEC'; did you mean SELECT?"
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

__all__ = ["Cause", "explain", "KEYWORDS"]

KEYWORDS = set("""
SELECT ASK CONSTRUCT DESCRIBE WHERE FROM NAMED PREFIX BASE DISTINCT REDUCED AS OPTIONAL
FILTER BIND VALUES UNION MINUS GRAPH SERVICE SILENT LATERAL ORDER BY ASC DESC GROUP HAVING
LIMIT OFFSET UNDEF NOT IN EXISTS COUNT SUM MIN MAX AVG SAMPLE GROUP_CONCAT SEPARATOR STR
LANG LANGMATCHES DATATYPE BOUND IRI URI BNODE RAND ABS CEIL FLOOR ROUND CONCAT STRLEN UCASE
LCASE ENCODE_FOR_URI CONTAINS STRSTARTS STRENDS STRBEFORE STRAFTER YEAR MONTH DAY HOURS
MINUTES SECONDS TIMEZONE TZ NOW UUID STRUUID MD5 SHA1 SHA256 SHA384 SHA512 COALESCE IF
STRLANG STRDT SAMETERM ISIRI ISURI ISBLANK ISLITERAL ISNUMERIC REGEX SUBSTR REPLACE TRUE
FALSE A
""".split())
_TRIPLE_KEYWORDS = {"OPTIONAL", "FILTER", "BIND", "VALUES", "UNION", "MINUS", "GRAPH",
                    "SERVICE", "SELECT", "LATERAL", "NOT", "EXISTS"}
_CLOSE = {"{": "}", "(": ")", "[": "]"}
_OPEN = {v: k for k, v in _CLOSE.items()}
_TOKEN = re.compile(r"""
    (?P<comment>\#[^\n]*)
  | (?P<iri><[^<>"{}|^`\\\s]*>)
  | (?P<string>(?:"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
                (?:@[A-Za-z0-9-]+|\^\^(?:<[^<>\s]*>|[\w.-]*:[\w.-]*))?)
  | (?P<var>[?$][A-Za-z0-9_]+)
  | (?P<bracket>[{}()\[\]])
  | (?P<punct>[.;,])
  | (?P<word>[^\s{}()\[\].;,"'<>=!]+(?:\.[^\s{}()\[\].;,"'<>=!]+)*)
  | (?P<other>\S)
""", re.X)


@dataclass
class Cause:
    message: str
    line: int
    column: int


@dataclass
class _Tok:
    kind: str
    text: str
    line: int
    column: int


def _tokens(query: str) -> list[_Tok]:
    starts = [0] + [m.end() for m in re.finditer("\n", query)]
    out = []
    for found in _TOKEN.finditer(query):
        kind = found.lastgroup
        if kind == "comment":
            continue
        line = next(i for i in range(len(starts), 0, -1) if starts[i - 1] <= found.start())
        out.append(_Tok(kind, found.group(), line, found.start() - starts[line - 1] + 1))
    return out


def _brackets(tokens: list[_Tok]) -> Cause | None:
    stack: list[_Tok] = []
    for tok in tokens:
        if tok.kind != "bracket":
            continue
        if tok.text in _CLOSE:
            stack.append(tok)
        elif not stack or stack[-1].text != _OPEN[tok.text]:
            if stack:
                opener = stack[-1]
                return Cause(f"'{tok.text}' at line {tok.line}, column {tok.column} does not "
                             f"close the '{opener.text}' opened at line {opener.line}, column "
                             f"{opener.column}: add '{_CLOSE[opener.text]}' before it",
                             tok.line, tok.column)
            return Cause(f"'{tok.text}' at line {tok.line}, column {tok.column} closes "
                         "nothing: remove it", tok.line, tok.column)
        else:
            stack.pop()
    if stack:
        opener = stack[-1]
        return Cause(f"the '{opener.text}' opened at line {opener.line}, column "
                     f"{opener.column} is never closed: add '{_CLOSE[opener.text]}'",
                     opener.line, opener.column)
    return None


def _is_term(tok: _Tok) -> bool:
    if tok.kind in ("iri", "string", "var"):
        return True
    if tok.kind != "word":
        return False
    return ":" in tok.text or tok.text == "a" or re.fullmatch(
        r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?|\^\^\S+|@[A-Za-z-]+|true|false", tok.text) \
        is not None or tok.text.startswith(("^^", "@"))


def _keywords(tokens: list[_Tok], prefixes: set[str]) -> Cause | None:
    for tok in tokens:
        if tok.kind != "word" or _is_term(tok):
            continue
        word = tok.text
        if word.upper() in KEYWORDS or re.fullmatch(r"[*/|^+?!=<>&-]+", word):
            continue
        close = difflib.get_close_matches(word.upper(), sorted(KEYWORDS), n=1, cutoff=0.6)
        hint = f"; did you mean {close[0]}?" if close else \
            "; write it as ?variable, <IRI>, prefix:name or a quoted \"literal\""
        return Cause(f"unknown keyword '{word}'{hint}", tok.line, tok.column)
    return None


def _prefixes(tokens: list[_Tok], known: set[str]) -> Cause | None:
    declared = set(known)
    for index, tok in enumerate(tokens):
        if tok.kind == "word" and tok.text.upper() == "PREFIX" and index + 1 < len(tokens):
            declared.add(tokens[index + 1].text.split(":", 1)[0])
    for tok in tokens:
        if tok.kind == "word" and ":" in tok.text and not tok.text.startswith(("^^", "@")):
            for part in re.split(r"[/|^]", tok.text.lstrip("^")):
                prefix = part.split(":", 1)[0]
                if ":" in part and prefix not in declared and re.fullmatch(r"[A-Za-z][\w.-]*|", prefix):
                    return Cause(f"unknown prefix '{prefix}:'; declare it with PREFIX {prefix}: "
                                 f"<…>", tok.line, tok.column)
    return None


def _patterns(tokens: list[_Tok]) -> Cause | None:
    """Count the terms of each triple pattern inside group braces."""
    depth = 0
    skip_until_brace = False  # after SELECT inside a group (sub-query projection)
    run: list[_Tok] = []
    expected = 3

    def finish(end: _Tok) -> Cause | None:
        if not run:
            return None
        if len(run) > expected:
            last = run[expected - 1]
            return Cause(f"missing '.' after '{last.text}': each triple pattern is subject "
                         "predicate object, ended by '.'", run[expected].line,
                         run[expected].column)
        if len(run) < expected and expected == 3:
            shown = " ".join(t.text for t in run)
            missing = "object" if len(run) == 2 else "predicate and object"
            return Cause(f"the pattern '{shown}' has no {missing}: a triple pattern is "
                         "subject predicate object", end.line, end.column)
        if len(run) < expected:
            return Cause(f"'{run[0].text}' after ';' has no object: after ';' come a "
                         "predicate and an object", end.line, end.column)
        return None

    index = 0
    while index < len(tokens):
        tok = tokens[index]
        upper = tok.text.upper() if tok.kind == "word" else ""
        if upper == "VALUES":  # its data block holds rows, not triple patterns
            index = _skip_values(tokens, index + 1)
            run, expected = [], 3
            continue
        if tok.kind == "bracket" and tok.text == "{":
            skip_until_brace = False
            depth += 1
            run, expected = [], 3
        elif tok.kind == "bracket" and tok.text == "}":
            if depth > 0 and (cause := finish(tok)):
                return cause
            depth -= 1
            run, expected = [], 3
        elif depth == 0 or skip_until_brace:
            pass
        elif upper in _TRIPLE_KEYWORDS:
            run, expected = [], 3
            if upper == "SELECT":
                skip_until_brace = True
            elif upper in ("FILTER", "BIND", "EXISTS"):
                index = _skip_group(tokens, index + 1)
                continue
        elif tok.kind == "bracket" and tok.text in "([":
            run.append(tok)  # a blank node [ … ] or a collection ( … ) is one term
            index = _skip_group(tokens, index)
            continue
        elif tok.kind == "punct":
            if (cause := finish(tok)):
                return cause
            run, expected = [], {".": 3, ";": 2, ",": 1}[tok.text]
        elif _is_term(tok):
            run.append(tok)
        index += 1
    return None


def _skip_values(tokens: list[_Tok], index: int) -> int:
    """Index just past the ``{ … }`` data block of a VALUES clause."""
    while index < len(tokens) and tokens[index].text != "{":
        index += 1
    depth = 0
    for position in range(index, len(tokens)):
        if tokens[position].kind == "bracket" and tokens[position].text == "{":
            depth += 1
        elif tokens[position].kind == "bracket" and tokens[position].text == "}":
            depth -= 1
            if depth == 0:
                return position + 1
    return len(tokens)


def _skip_group(tokens: list[_Tok], index: int) -> int:
    """Index just past the bracketed group starting at ``index`` (or ``index`` itself)."""
    if index >= len(tokens) or tokens[index].text not in "([":
        return index
    depth = 0
    for position in range(index, len(tokens)):
        text = tokens[position].text
        if tokens[position].kind == "bracket" and text in "([":
            depth += 1
        elif tokens[position].kind == "bracket" and text in ")]":
            depth -= 1
            if depth == 0:
                return position + 1
    return len(tokens)


def explain(query: str, known_prefixes=()) -> Cause | None:
    """The likely cause of a syntax error in ``query``, or None when none is recognised."""
    tokens = _tokens(query)
    for check in (_brackets, lambda t: _prefixes(t, set(known_prefixes)),
                  lambda t: _keywords(t, set(known_prefixes)), _patterns):
        cause = check(tokens)
        if cause:
            return cause
    return None
