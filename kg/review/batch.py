"""Decisions given on the command line or in a file, applied as one batch.

Entity decisions go first, then relations, then figures, so a relation can use an entity
accepted in the same batch. Every decision is validated in turn; if one is refused, nothing is
written.

>>> plan(accept=["e-1,e-2"], reject=["e-3"], edit=[("e-4", "type=Library")],
...      merge=["e-5=library-of-congress"])                           # doctest: +NORMALIZE_WHITESPACE
[('e-1', 'accept', None, {}), ('e-2', 'accept', None, {}), ('e-4', 'edit', None, {'type': 'Library'}),
 ('e-5', 'merge', 'library-of-congress', {}), ('e-3', 'reject', None, {})]
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from kg.problems import UserError
from kg.review.decisions import DECISIONS, Review, parse_edits

__all__ = ["plan", "read_decisions_file", "apply"]

Step = tuple[str, str, "str | None", dict]
KIND_ORDER = {"entity": 0, "relation": 1, "fact": 2}


def _ids(values) -> list[str]:
    return [part for value in values for part in re.split(r"[,\s]+", value) if part]


def plan(accept=(), reject=(), edit=(), merge=()) -> list[Step]:
    """The steps the options ask for (edits of one proposal combined; an edit accepts)."""
    steps: dict[str, Step] = {}
    for pid in _ids(accept):
        steps[pid] = (pid, "accept", None, {})
    for pid, pair in edit:
        _, _, _, before = steps.get(pid, (pid, "edit", None, {}))
        steps[pid] = (pid, "edit", None, {**before, **parse_edits([pair])})
    for item in merge:
        pid, sep, into = item.partition("=")
        if not sep or not pid.strip() or not into.strip():
            raise UserError(f"--merge {item!r}: write PROPOSAL=ENTITY, e.g. "
                            "--merge e-3f9a1c02b7=library-of-congress")
        steps[pid.strip()] = (pid.strip(), "merge", into.strip(), {})
    for pid in _ids(reject):
        if pid in steps:
            raise UserError(f"{pid} is both rejected and {steps[pid][1]}ed; choose one")
        steps[pid] = (pid, "reject", None, {})
    return list(steps.values())


def read_decisions_file(path: Path) -> list[Step]:
    """A YAML or JSON list of ``{proposal, decision, into, edits}`` (or ``decisions: [...]``)."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    path = Path(path)
    if not path.is_file():
        raise UserError(f"{path}: decisions file not found")
    try:
        text = path.read_text(encoding="utf-8")
        data = json.loads(text) if path.suffix == ".json" else YAML(typ="safe").load(text)
    except (YAMLError, json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise UserError(f"{path}: cannot be read ({exc}); write a YAML or JSON list of "
                        "{proposal: ID, decision: accept|reject|edit|merge}") from None
    if isinstance(data, dict) and "decisions" in data:
        data = data["decisions"]
    if not isinstance(data, list):
        raise UserError(f"{path}: expected a list of decisions, e.g. "
                        "- {proposal: e-3f9a1c02b7, decision: accept}")
    steps = []
    for number, item in enumerate(data, start=1):
        if not isinstance(item, dict) or not item.get("proposal") or \
                item.get("decision") not in DECISIONS:
            raise UserError(f"{path}: decision {number} needs 'proposal: ID' and 'decision:' "
                            f"one of {', '.join(DECISIONS)}")
        edits = item.get("edits") or {}
        if not isinstance(edits, dict):
            raise UserError(f"{path}: decision {number}: 'edits' must be a mapping, e.g. "
                            "{type: Library}")
        steps.append((str(item["proposal"]), item["decision"], item.get("into"), edits))
    return steps


def apply(review: Review, steps: list[Step], echo=lambda message: None) -> list[str]:
    """Stage every step (entities first), then write; nothing is written if one fails."""
    def order(step):
        return KIND_ORDER.get(review.proposal(step[0]).get("kind"), 3)

    for pid, decision, into, edits in sorted(steps, key=order):
        echo(review.stage(pid, decision, into=into, edits=edits))
    return review.commit()
