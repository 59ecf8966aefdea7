"""Read YAML keeping line numbers, so every problem can name the file and line.

>>> doc = load_yaml_text("a: 1\\nb:\\n  - {c: 2}\\n", "x.yaml")
>>> doc.line, doc["b"][0].line, doc["b"][0].key_lines["c"]
(1, 3, 3)
"""

from __future__ import annotations

import yaml

from kg.problems import Problem


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


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml when present
    pass


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> Node:
    result = Node()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            key = str(key)
        if key in result:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key '{key}' in one mapping", key_node.start_mark
            )
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> Seq:
    result = Seq(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


def _construct_str_timestamp(loader: _Loader, node: yaml.ScalarNode) -> str:
    # Dates stay strings: the checker validates them against the declared datatype.
    return loader.construct_scalar(node)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_str_timestamp)


class YamlSyntaxError(Exception):
    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(problem.format())


def load_yaml_text(text: str, filename: str):
    """Parse YAML text; raise YamlSyntaxError carrying a Problem with the line."""
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        what = f"YAML syntax error: {exc.problem or exc.context}"
        fix = "fix the YAML syntax at that line (indentation, quotes, a missing ':' or a " \
              "stray character)"
        if "duplicate key" in what:
            fix = "remove one of the two keys, or rename it"
        raise YamlSyntaxError(Problem(filename, line, what, fix)) from None
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(Problem(filename, 0, f"YAML error: {exc}", "fix the YAML")) from None


def load_yaml_file(path, display: str):
    """Read a UTF-8 YAML file; encoding problems become a YamlSyntaxError too."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise YamlSyntaxError(
            Problem(display, 0, f"not UTF-8 text ({exc.reason} at byte {exc.start})",
                    "save the file as UTF-8")
        ) from None
    return load_yaml_text(text, display)
