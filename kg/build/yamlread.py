"""Read YAML keeping line numbers, so every problem can name the file and line.

Values mean what they look like (YAML 1.2 core schema, resolved here from libyaml's event
stream, not PyYAML's YAML 1.1 resolver): ``010`` and ``0123`` stay the text ``"010"`` and
``"0123"``, ``1:30`` stays ``"1:30"``, ``yes``/``on`` stay text, dates stay text (the checker
validates them against the declared datatype), and numbers with a fraction or exponent keep
the digits as written (``3.50`` -> ``"3.50"``). Only ``true``/``false``, ``null``/``~`` and
decimal integers without a leading zero are converted.

Hostile files are bounded: anchors and aliases are refused (no "billion laughs"), nesting
deeper than ``MAX_DEPTH`` and integers longer than ``MAX_DIGITS`` digits are errors, and so
is a second document in one file. The construction is one loop over the events (no
recursion), so no nesting depth can crash the process.

>>> doc = load_yaml_text("a: 010\\nb:\\n  - {c: 2, d: 1:30}\\n", "x.yaml")
>>> doc["a"], doc["b"][0]["c"], doc["b"][0]["d"]
('010', 2, '1:30')
>>> doc.line, doc["b"][0].line, doc["b"][0].key_lines["c"]
(1, 3, 3)
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from kg.problems import Problem

MAX_DEPTH = 50      # nested mappings/sequences; the curated data needs 4
MAX_DIGITS = 64     # an integer longer than this is refused (Python's int() is quadratic)

_PARSER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present
_NULL = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}
_INT = re.compile(r"[-+]?(0|[1-9][0-9]*)")
_STR_TAGS = {"!", "tag:yaml.org,2002:str"}


class Node(dict):
    """A YAML mapping with the line it starts on and the line of each key."""

    line: int = 0
    key_lines: dict

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class Seq(list):
    """A YAML sequence with the line it starts on and the line of each item."""

    line: int = 0
    item_lines: list


class YamlSyntaxError(Exception):
    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(problem.format())


def resolve_plain(value: str):
    """The value of an untagged, unquoted scalar under the YAML 1.2 core schema, as kg keeps
    it: null, a boolean, a decimal integer, or else the text as written.

    >>> [resolve_plain(v) for v in ("7738", "-3", "010", "0x1F", "1:30", "yes", "True", "~")]
    [7738, -3, '010', '0x1F', '1:30', 'yes', True, None]
    """
    if value in _NULL:
        return None
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    if _INT.fullmatch(value):
        if len(value.lstrip("+-")) > MAX_DIGITS:
            raise ValueError(f"an integer of {len(value.lstrip('+-'))} digits (more than "
                             f"{MAX_DIGITS})")
        return int(value)
    return value


class _Builder:
    """Turns one file's event stream into Node/Seq/scalars with line numbers."""

    def __init__(self, filename: str):
        self.filename = filename

    def fail(self, event, what: str, fix: str):
        line = event.start_mark.line + 1 if getattr(event, "start_mark", None) else 0
        raise YamlSyntaxError(Problem(self.filename, line, what, fix))

    def scalar(self, event):
        tag = event.tag
        if tag is not None and tag not in _STR_TAGS:
            self.fail(event, f"YAML tag '{tag}' is not supported",
                      "remove the tag; quote the value if it must stay text")
        if tag is None and event.implicit[0] and not event.style:
            try:
                return resolve_plain(event.value)
            except ValueError as exc:
                self.fail(event, f"{exc}", "quote the value if it is text, or shorten it")
        return event.value

    def build(self, events):
        stack: list = []  # open containers: [container, pending key or _NO_KEY, key line]
        root = None
        documents = 0
        for event in events:
            kind = type(event)
            if kind in (yaml.StreamStartEvent, yaml.StreamEndEvent, yaml.DocumentEndEvent):
                continue
            if kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    self.fail(event, "a second YAML document ('---') in one file",
                              "keep one document per file: remove the '---' line or move "
                              "the rest to a file of its own")
                continue
            if kind is yaml.AliasEvent or getattr(event, "anchor", None) is not None:
                self.fail(event, "YAML anchors and aliases (&name, *name) are not supported",
                          "write the value out in full where it is used")
            if kind in (yaml.MappingEndEvent, yaml.SequenceEndEvent):
                value = stack.pop()[0]
                if not stack:
                    root = value
                    continue
                self._add(stack[-1], value, event)
                continue
            line = event.start_mark.line + 1
            if kind is yaml.ScalarEvent:
                value = self.scalar(event)
                if not stack:
                    root = value
                    continue
                self._add(stack[-1], value, event)
                continue
            if kind in (yaml.MappingStartEvent, yaml.SequenceStartEvent):
                if event.tag is not None and event.tag != "!" and not event.implicit:
                    self.fail(event, f"YAML tag '{event.tag}' is not supported",
                              "remove the tag")
                if len(stack) >= MAX_DEPTH:
                    self.fail(event, f"nested more than {MAX_DEPTH} levels deep",
                              "flatten the structure; curated data needs only a few levels")
                if kind is yaml.MappingStartEvent:
                    container = Node()
                    container.key_lines = {}
                else:
                    container = Seq()
                    container.item_lines = []
                container.line = line
                if stack:
                    parent = stack[-1]
                    if isinstance(parent[0], Node) and parent[1] is _NO_KEY:
                        self.fail(event, "a mapping or list used as a key",
                                  "keys must be plain text")
                stack.append([container, _NO_KEY, 0])
        return root

    def _add(self, frame, value, event) -> None:
        container = frame[0]
        if isinstance(container, Seq):
            container.append(value)
            container.item_lines.append(self._start_line(value, event))
            return
        if frame[1] is _NO_KEY:
            key = value if isinstance(value, str) else _key_text(value)
            if key in container:
                self.fail(event, f"YAML syntax error: duplicate key '{key}' in one mapping",
                          "remove one of the two keys, or rename it")
            frame[1] = key
            frame[2] = event.start_mark.line + 1
            return
        key = frame[1]
        container[key] = value
        container.key_lines[key] = frame[2]
        frame[1] = _NO_KEY

    @staticmethod
    def _start_line(value, event) -> int:
        if isinstance(value, (Node, Seq)):
            return value.line
        return event.start_mark.line + 1


_NO_KEY = object()


def _key_text(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def load_yaml_text(text: str, filename: str):
    """Parse YAML text; raise YamlSyntaxError carrying a Problem with the line."""
    builder = _Builder(filename)
    try:
        return builder.build(yaml.parse(text, Loader=_PARSER))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        what = f"YAML syntax error: {exc.problem or exc.context}"
        fix = "fix the YAML syntax at that line (indentation, quotes, a missing ':' or a " \
              "stray character)"
        raise YamlSyntaxError(Problem(filename, line, what, fix)) from None
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(Problem(filename, 0, f"YAML error: {exc}", "fix the YAML")) \
            from None


def load_yaml_file(path: Path, display: str):
    """Read a UTF-8 YAML file; an unreadable, non-UTF-8 or odd file is a YamlSyntaxError too
    (a directory or a dangling symlink named ``*.yaml``, no permission, a device)."""
    path = Path(path)
    def refuse(what: str, fix: str):
        return YamlSyntaxError(Problem(display, 0, what, fix))
    if path.is_symlink() and not path.exists():
        raise refuse(f"a symbolic link to '{path.readlink()}', which does not exist",
                     "point the link at an existing file, or remove it")
    if path.is_dir():
        raise refuse("a folder named like a YAML file",
                     "rename the folder (data files are read by their .yaml suffix)")
    if path.exists() and not path.is_file():
        raise refuse("not a regular file", "replace it with a plain .yaml file")
    try:
        data = path.read_bytes()
    except PermissionError:
        raise refuse("cannot be read: permission denied",
                     f"give read permission (chmod a+r {path})") from None
    except OSError as exc:
        raise refuse(f"cannot be read: {exc.strerror or exc}", "check the file") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise refuse(f"not UTF-8 text ({exc.reason} at byte {exc.start})",
                     "save the file as UTF-8") from None
    return load_yaml_text(text.removeprefix("\ufeff"), display)
