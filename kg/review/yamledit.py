"""Edit curated YAML the way a careful curator would: comments, order and layout kept.

ruamel.yaml (YAML 1.2, round trip) parses the file and says where each list item sits; a new
entry is rendered by ruamel and spliced in after the list's last item, so nothing else in the
file moves (ruamel's own dump would re-flow multi-line ``{…}`` entries). Adding an alias to an
existing entity goes through a full round trip when that reproduces the file byte for byte,
else only the entity's own lines are re-rendered. Every change is returned as a ``Patch``
(offset, removed text, inserted text), so it can be undone exactly and replayed from a log.

>>> text = "# people\\nentities:\\n  - id: a\\n    type: Person\\n    label: {en: A}\\n"
>>> new, patch = append_item(text, "entities", {"id": "b", "type": "Person", "label": {"en": "B"}})
>>> print(new, end="")
# people
entities:
  - id: a
    type: Person
    label: {en: A}
  - id: b
    type: Person
    label: {en: B}
>>> undo_patch(new, patch) == text
True
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

__all__ = ["Patch", "append_item", "add_aliases", "apply_patch", "undo_patch", "parse",
           "remove_last_item", "YamlEditError"]


class YamlEditError(Exception):
    """The file cannot be edited safely (syntax error, unexpected shape, changed by hand)."""


@dataclass(frozen=True)
class Patch:
    """``text[at:at+len(removed)]`` was replaced by ``inserted``."""

    at: int
    removed: str
    inserted: str

    def as_dict(self) -> dict:
        return {"at": self.at, "removed": self.removed, "inserted": self.inserted}

    @classmethod
    def from_dict(cls, data: dict) -> "Patch":
        return cls(int(data["at"]), str(data.get("removed") or ""),
                   str(data.get("inserted") or ""))


def _yaml() -> YAML:
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def parse(text: str, file: str = "<yaml>"):
    """The round-trip document of ``text``; YamlEditError on a syntax error."""
    try:
        return _yaml().load(text) if text.strip() else None
    except YAMLError as exc:
        raise YamlEditError(f"{file}: cannot be parsed as YAML ({exc}); fix it by hand first")


def _dump(data) -> str:
    buffer = io.StringIO()
    _yaml().dump(data, buffer)
    return buffer.getvalue()


def _commented(value, flow: bool):
    """Plain dicts and lists as ruamel nodes; inner maps and lists written inline."""
    if isinstance(value, dict):
        node = CommentedMap((k, _commented(v, True)) for k, v in value.items())
        if flow:
            node.fa.set_flow_style()
        return node
    if isinstance(value, (list, tuple)):
        node = CommentedSeq(_commented(v, True) for v in value)
        node.fa.set_flow_style()
        return node
    return value


def render_item(record: dict, dash_col: int = 2, inline: bool = False) -> str:
    """One list item as YAML text, its dash at ``dash_col``.

    >>> render_item({"subject": "a", "predicate": "kg:heads", "object": "b"}, inline=True)
    '  - {subject: a, predicate: kg:heads, object: b}\\n'
    """
    node = _commented(record, flow=False)
    if inline:
        node.fa.set_flow_style()
    lines = _dump([node]).splitlines(keepends=True)  # dash at column 2
    shift = dash_col - 2
    if shift >= 0:
        return "".join(" " * shift + line if line.strip() else line for line in lines)
    return "".join(line[-shift:] if line[:-shift].isspace() else line for line in lines)


def _line_starts(text: str) -> list[int]:
    starts = [0]
    for index, char in enumerate(text):
        if char == "\n":
            starts.append(index + 1)
    return starts


def _item_end_line(lines: list[str], start: int, dash_col: int, stop: int) -> int:
    """The line after the last content line of the item starting at ``start``."""
    last = start
    for number in range(start + 1, min(stop, len(lines))):
        stripped = lines[number].strip()
        if not stripped or stripped.startswith("#"):
            continue
        indent = len(lines[number]) - len(lines[number].lstrip(" "))
        if indent <= dash_col:
            break
        last = number
    return last + 1


def _item_spans(text: str, seq: CommentedSeq) -> list[tuple[int, int, int]]:
    """(first line, line after the last, dash column) of each item of a block sequence."""
    lines = text.split("\n")
    spans = []
    for index in range(len(seq)):
        line, col = seq.lc.item(index)
        dash = max(col - 2, 0)
        stop = seq.lc.item(index + 1)[0] if index + 1 < len(seq) else len(lines)
        spans.append((line, _item_end_line(lines, line, dash, stop), dash))
    return spans


def _offset(text: str, line: int) -> int:
    starts = _line_starts(text)
    return starts[line] if line < len(starts) else len(text)


def apply_patch(text: str, patch: Patch) -> str:
    if text[patch.at:patch.at + len(patch.removed)] != patch.removed:
        raise YamlEditError("the file changed since the decision was made")
    return text[:patch.at] + patch.inserted + text[patch.at + len(patch.removed):]


def undo_patch(text: str, patch: Patch) -> str:
    """``text`` as it was before ``patch``; YamlEditError when the file changed since."""
    if text[patch.at:patch.at + len(patch.inserted)] != patch.inserted:
        raise YamlEditError("the file was changed by hand since this decision; undo it by "
                            "editing the file")
    return text[:patch.at] + patch.removed + text[patch.at + len(patch.inserted):]


def _diff(old: str, new: str) -> Patch:
    """The smallest single replacement turning ``old`` into ``new`` (whole lines)."""
    start = 0
    while start < min(len(old), len(new)) and old[start] == new[start]:
        start += 1
    start = old.rfind("\n", 0, start) + 1
    end = 0
    while end < min(len(old), len(new)) - start and old[len(old) - 1 - end] == new[len(new) - 1 - end]:
        end += 1
    return Patch(start, old[start:len(old) - end], new[start:len(new) - end])


def append_item(text: str, key: str, record: dict, *, inline: bool = False,
                file: str = "<yaml>") -> tuple[str, Patch]:
    """Add ``record`` at the end of the top-level list ``key`` (created when missing)."""
    doc = parse(text, file)
    if doc is not None and not isinstance(doc, CommentedMap):
        raise YamlEditError(f"{file}: the file is not a mapping of top-level keys")
    seq = doc.get(key) if doc is not None else None
    if doc is not None and key in doc and seq is not None and not isinstance(seq, CommentedSeq):
        raise YamlEditError(f"{file}: '{key}' is not a list")
    if seq:  # a list with items
        if seq.fa.flow_style():
            raise YamlEditError(f"{file}: '{key}' is written inline ([…]); write it one item "
                                "per line first")
        first, end, dash = _item_spans(text, seq)[-1]
        at = _offset(text, end)
        item = render_item(record, dash, inline)
        if at == len(text) and text and not text.endswith("\n"):
            item = "\n" + item
        patch = Patch(at, "", item)
        return apply_patch(text, patch), patch
    item = render_item(record, 2, inline)
    if doc is not None and key in doc:  # `key: []` or `key:` with nothing
        line = doc.lc.key(key)[0]
        start = _offset(text, line)
        end = _offset(text, line + 1)
        old = text[start:end]
        comment = ""
        if "#" in old:
            comment = "  " + old[old.index("#"):].rstrip("\n")
        patch = Patch(start, old, f"{key}:{comment}\n{item}")
        return apply_patch(text, patch), patch
    at = len(text)
    prefix = "" if not text or text.endswith("\n\n") else ("\n" if text.endswith("\n") else "\n\n")
    patch = Patch(at, "", f"{prefix}{key}:\n{item}")
    return apply_patch(text, patch), patch


def remove_last_item(text: str, key: str, file: str = "<yaml>") -> str:
    """``text`` without the last item of the top-level list ``key`` (``key: []`` if none left)."""
    doc = parse(text, file)
    seq = doc.get(key) if isinstance(doc, CommentedMap) else None
    if not seq:
        raise YamlEditError(f"{file}: '{key}' has no item to remove")
    first, end, _ = _item_spans(text, seq)[-1]
    if len(seq) == 1:
        line = doc.lc.key(key)[0]
        return text[:_offset(text, line)] + f"{key}: []\n" + text[_offset(text, end):]
    return text[:_offset(text, first)] + text[_offset(text, end):]


def _find_entity(doc, entity_id: str, file: str):
    seq = doc.get("entities") if isinstance(doc, CommentedMap) else None
    for index, item in enumerate(seq or []):
        if isinstance(item, CommentedMap) and str(item.get("id")) == entity_id:
            return seq, index, item
    raise YamlEditError(f"{file}: no entity '{entity_id}' in its entities list")


def _add_forms(item: CommentedMap, forms: dict[str, list[str]]) -> None:
    alt = item.get("alt")
    if alt is None:
        alt = CommentedMap()
        alt.fa.set_flow_style()
        keys = list(item)
        position = keys.index("label") + 1 if "label" in keys else len(keys)
        item.insert(position, "alt", alt)
    for lang, names in forms.items():
        current = alt.get(lang)
        if current is None:
            current = CommentedSeq()
            current.fa.set_flow_style()
            alt[lang] = current
        elif not isinstance(current, list):
            current = CommentedSeq([current])
            current.fa.set_flow_style()
            alt[lang] = current
        for name in names:
            if name not in current:
                current.append(name)


def add_aliases(text: str, entity_id: str, forms: dict[str, list[str]],
                file: str = "<yaml>") -> tuple[str, Patch]:
    """Add alternative names to the entity ``entity_id`` defined in ``text``."""
    doc = parse(text, file)
    if _dump(doc) == text:  # the file survives a round trip unchanged: let ruamel edit it
        _, _, item = _find_entity(doc, entity_id, file)
        _add_forms(item, forms)
        new = _dump(doc)
        return new, _diff(text, new)
    seq, index, item = _find_entity(doc, entity_id, file)
    first, end, dash = _item_spans(text, seq)[index]
    _add_forms(item, forms)
    start, stop = _offset(text, first), _offset(text, end)
    patch = Patch(start, text[start:stop], render_item(_plain(item), dash))
    return apply_patch(text, patch), patch


def _plain(node):
    if isinstance(node, dict):
        return {k: _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    return node
