"""Read a report's proposals (``proposals.yaml``, written by ``kg ingest``) and describe them.

A proposal is a record with an id, a kind (entity, relation, fact), a score, the rule or model
that found it, the section, the evidence sentence and the span as offsets in the report text
(see the shared contract in data/README.md).

>>> describe({"kind": "relation", "relation": {"subject": "a", "predicate": "kg:heads",
...           "object": "b"}})
'a kg:heads b'
"""

from __future__ import annotations

from pathlib import Path

from kg.problems import DataError, Problem

__all__ = ["KINDS", "read_proposals", "describe", "group_of"]

KINDS = ("entity", "relation", "fact")
GROUPS = {"entity": "entities", "relation": "relations", "fact": "figures"}


def group_of(kind: str) -> str:
    return GROUPS.get(kind, kind)


def _display(path: Path) -> str:
    return str(path)


def _check(item, index: int, line: int, file: str) -> list[Problem]:
    if not isinstance(item, dict):
        return [Problem(file, line, f"proposal {index + 1} is not a mapping",
                        "re-run `kg ingest` to regenerate proposals.yaml")]
    problems = []
    where = (file, getattr(item, "line", line))
    if not item.get("id"):
        problems.append(Problem(*where, f"proposal {index + 1} has no id",
                                "re-run `kg ingest` to regenerate proposals.yaml"))
    kind = item.get("kind")
    if kind not in KINDS:
        problems.append(Problem(*where, f"proposal {item.get('id')}: unknown kind {kind!r}",
                                f"use one of: {', '.join(KINDS)}"))
    elif not isinstance(item.get(kind), dict):
        problems.append(Problem(*where, f"proposal {item.get('id')} ({kind}) has no "
                                f"'{kind}:' mapping", "re-run `kg ingest`"))
    for key in ("span", "evidence"):
        value = item.get(key)
        if value is not None and not (isinstance(value, dict) and
                                      isinstance(value.get("start"), int) and
                                      isinstance(value.get("end"), int)):
            problems.append(Problem(*where, f"proposal {item.get('id')}: '{key}' must be "
                                    "{start: N, end: M}", "re-run `kg ingest`"))
    return problems


def read_proposals(folder: Path) -> list[dict]:
    """The proposals in ``folder/proposals.yaml`` (``[]`` when there is none), checked."""
    from kg.build.yamlread import YamlSyntaxError, load_yaml_file

    path = Path(folder) / "proposals.yaml"
    if not path.is_file():
        return []
    try:
        top = load_yaml_file(path, _display(path))
    except YamlSyntaxError as exc:
        raise DataError([exc.problem])
    if top is None:
        return []
    items = top.get("proposals") if isinstance(top, dict) else None
    if items is None:
        items = []
    if not isinstance(items, list):
        raise DataError([Problem(_display(path), 1, "'proposals' must be a list",
                                 "re-run `kg ingest` to regenerate proposals.yaml")])
    problems, seen, result = [], set(), []
    lines = getattr(items, "item_lines", [1] * len(items))
    for index, item in enumerate(items):
        found = _check(item, index, lines[index], _display(path))
        problems += found
        if not found:
            if item["id"] in seen:
                problems.append(Problem(_display(path), lines[index],
                                        f"proposal id {item['id']} appears twice",
                                        "re-run `kg ingest`"))
            seen.add(item["id"])
            result.append(_with_score(_plain(item)))
    if problems:
        raise DataError(problems)
    return result


def _with_score(item: dict) -> dict:
    """The score as a number (the project's YAML reader keeps decimals as text)."""
    try:
        item["score"] = float(item.get("score") or 0)
    except (TypeError, ValueError):
        item["score"] = 0.0
    return item


def _plain(value):
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def describe(proposal: dict) -> str:
    """A one-line summary: the name, the statement or the figure."""
    kind = proposal.get("kind")
    body = proposal.get(kind) or {}
    if kind == "entity":
        labels = body.get("label") or {}
        names = " / ".join(dict.fromkeys(str(v) for v in labels.values() if v))
        return f"{names or body.get('id')} ({body.get('type', '?')})"
    if kind == "relation":
        return f"{body.get('subject')} {body.get('predicate')} {body.get('object')}"
    unit = f" {body['unit']}" if body.get("unit") else ""
    return f"{body.get('about')} {body.get('property')} = {body.get('value')}{unit}"
