"""Decide proposals: accept, reject, edit or merge; each decision validated, saved, undoable.

A decision writes the report's curated YAML (``entities.yaml``, ``relations.yaml``,
``facts.yaml``; a merge adds the names to the existing entity's own file) through
``kg.review.yamledit`` and is appended to ``decisions.yaml`` with the exact text it inserted,
so the log is the truth: replaying it on the files before the review gives the files now, and
undo removes exactly what the last decision wrote. Before anything is written the changed data
is loaded and checked by the project's loader and checks (``kg.build.loader``,
``kg.build.checks``) in a scratch copy; a decision that adds an error is refused with the
validator's message (``DataError``) and nothing changes on disk.

A relation or figure whose end is an entity proposal needs that proposal decided first
(accepted, edited or merged); it is refused with a message naming the proposal otherwise — the
curator sees each new entity, none is created behind their back.

>>> review = Review("data", "ala-2023")                             # doctest: +SKIP
>>> review.decide("e-3f9a1c02b7", "edit", edits={"type": "Library"})  # doctest: +SKIP
'accepted e-3f9a1c02b7 as entity chicago-public-library (Library) in entities.yaml'
"""

from __future__ import annotations

import copy
import difflib
import shutil
import tempfile
from datetime import datetime, timezone
from pathlib import Path

from kg.problems import DataError, Problem, UserError
from kg.review.proposals import describe, read_proposals
from kg.review.yamledit import (Patch, YamlEditError, add_aliases, append_item, parse,
                                remove_last_item, undo_patch)

__all__ = ["Review", "DECISIONS", "EDITABLE", "parse_edits", "replay"]

DECISIONS = ("accept", "reject", "edit", "merge")
EDITABLE = {
    "entity": ("id", "type", "label.en", "label.zh-Hant", "label.zh-Hans"),
    "relation": ("predicate", "subject", "object", "section", "role.en", "role.zh-Hant",
                 "implied"),
    "fact": ("value", "unit", "property", "datatype", "as_of", "about", "section",
             "qualifier"),
}
TARGET = {"entity": ("entities.yaml", "entities", False),
          "relation": ("relations.yaml", "relations", True),
          "fact": ("facts.yaml", "facts", True)}
HEADER = {"entities.yaml": "# Entities accepted in `kg review` (one per proposal).\n",
          "relations.yaml": "# Relations accepted in `kg review`, each citing its section.\n",
          "facts.yaml": "# Figures accepted in `kg review`, each citing its section.\n",
          "decisions.yaml": "# Review decisions, appended by `kg review` (the log is the truth:\n"
                            "# each entry holds the exact text it inserted). Do not edit by "
                            "hand.\n"}


def _scalar(text):
    """A value typed from text as YAML 1.2 reads it: ``3600`` -> 3600, ``1,234`` stays text."""
    if not isinstance(text, str):
        return text
    from ruamel.yaml import YAML

    try:
        value = YAML(typ="safe", pure=True).load(text)
    except Exception:  # not a scalar YAML can read: keep the text
        return text
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    return text


def parse_edits(pairs) -> dict:
    """``["type=Library", "label.en=Chicago PL"]`` -> ``{"type": "Library", ...}``.

    >>> parse_edits(["type=Library", "label.en=Chicago Public Library"])
    {'type': 'Library', 'label.en': 'Chicago Public Library'}
    """
    edits = {}
    for pair in pairs:
        key, sep, value = str(pair).partition("=")
        if not sep or not key.strip():
            raise UserError(f"edit {pair!r} is not KEY=VALUE; e.g. type=Library or "
                            "label.en='Chicago Public Library'")
        edits[key.strip()] = value.strip()
    return edits


def _flatten(edits: dict) -> dict:
    flat = {}
    for key, value in (edits or {}).items():
        if isinstance(value, dict):
            for sub, inner in value.items():
                flat[f"{key}.{sub}"] = inner
        else:
            flat[str(key)] = value
    return flat


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def replay(before: dict[str, str | None], log: list[dict]) -> dict[str, str | None]:
    """The files after applying every decision's patches to ``before`` (path -> text)."""
    from kg.review.yamledit import apply_patch

    files = dict(before)
    for entry in log:
        for change in entry.get("wrote") or []:
            text = files.get(change["file"]) or ""
            files[change["file"]] = apply_patch(text, Patch.from_dict(change))
    return files


class Review:
    """One report's proposals and decisions over a data folder.

    ``stage_*`` methods change an in-memory overlay after validating it; ``commit`` writes the
    overlay atomically file by file; ``decide`` and ``undo`` do both.
    """

    def __init__(self, data_dir: str | Path, doc_id: str):
        from kg.build.checks import check_catalog
        from kg.build.loader import load_catalog

        self.data_dir = Path(data_dir).resolve()
        if not self.data_dir.is_dir():
            raise UserError(f"{data_dir}: data folder not found; pass --data DIR")
        catalog, problems = load_catalog(self.data_dir)
        if not any(p.is_error for p in problems):
            problems += check_catalog(catalog)
        document = catalog.documents.get(doc_id)
        if document is None:
            known = sorted(catalog.documents)
            close = difflib.get_close_matches(doc_id, known, n=1)
            hint = f"did you mean '{close[0]}'?" if close else \
                f"reports in {data_dir}: {', '.join(known) or 'none'}"
            raise UserError(f"no report '{doc_id}' in {data_dir}; {hint} (`kg ingest` drafts "
                            "a new one)")
        self.doc_id = doc_id
        self.document = document
        self.catalog = catalog
        self.folder = Path(document.folder).resolve()
        self.baseline = {(p.file, p.what) for p in problems if p.is_error}
        self.overlay: dict[str, str | None] = {}
        self.proposals = read_proposals(self.folder)
        self.log = self._read_log()
        self.notes: list[str] = []

    # -- files ----------------------------------------------------------------------------
    def rel(self, path: Path) -> str:
        return Path(path).resolve().relative_to(self.data_dir).as_posix()

    def _decisions_rel(self) -> str:
        return self.rel(self.folder / "decisions.yaml")

    def read(self, rel: str) -> str | None:
        if rel in self.overlay:
            return self.overlay[rel]
        path = self.data_dir / rel
        return path.read_text(encoding="utf-8") if path.is_file() else None

    def _read_log(self) -> list[dict]:
        rel = self._decisions_rel()
        text = self.read(rel)
        if not text:
            return []
        try:
            doc = parse(text, rel)
        except YamlEditError as exc:
            raise DataError([Problem(rel, 0, str(exc), "restore decisions.yaml from git")])
        items = (doc or {}).get("decisions") or []
        return [_plain(item) for item in items]

    # -- lookups --------------------------------------------------------------------------
    def decided(self) -> dict[str, dict]:
        return {entry["proposal"]: entry for entry in self.log}

    def items(self) -> list[dict]:
        """Every proposal of the report: those in proposals.yaml, then decided ones ingest
        has since dropped (kept in the log)."""
        listed = {p["id"] for p in self.proposals}
        extra = [e["was"] for e in self.log if e.get("was") and e["proposal"] not in listed]
        return self.proposals + extra

    def pending(self) -> list[dict]:
        decided = self.decided()
        return [p for p in self.proposals if p["id"] not in decided]

    def proposal(self, pid: str) -> dict:
        for item in self.items():
            if item["id"] == pid:
                return item
        ids = [p["id"] for p in self.items()]
        close = difflib.get_close_matches(pid, ids, n=1)
        raise UserError(f"no proposal '{pid}' in {self.doc_id}; " +
                        (f"did you mean '{close[0]}'?" if close else
                         "`kg review ID --list` shows the pending ones"))

    def entity_graph(self):
        """The catalog's entities as a networkx graph for kg.explore.resolve."""
        import networkx as nx

        graph = nx.Graph()
        for entity in self.catalog.entities.values():
            alt = [form for forms in entity.alt.values() for form in forms]
            alt += [v for k, v in entity.labels.items() if k not in ("en", "zh-Hant")]
            graph.add_node(entity.id, label_en=entity.labels.get("en", ""),
                           label_zh=entity.labels.get("zh-Hant", ""), alt_labels=alt,
                           **{"class": entity.type})
        return graph

    def search(self, text: str, limit: int = 10) -> list[dict]:
        """Existing entities matching ``text`` (any name, either script), best first."""
        from kg.explore.resolve import search

        if not str(text).strip():
            return []
        return [m._asdict() for m in search(self.entity_graph(), text, limit=limit)]

    def resolve(self, name: str) -> str:
        from kg.explore.resolve import resolve

        return resolve(self.entity_graph(), name)

    def _endpoint(self, entity_id: str, pid: str, role: str) -> str:
        if entity_id in self.catalog.entities:
            return entity_id
        decided = self.decided()
        for item in self.items():
            if item.get("kind") == "entity" and (item.get("entity") or {}).get("id") == entity_id:
                entry = decided.get(item["id"])
                name = describe(item)
                if entry is None:
                    raise UserError(f"{pid}: its {role} '{entity_id}' is the entity proposal "
                                    f"{item['id']} ({name}), not decided yet; accept, edit "
                                    "or merge that proposal first (or reject this one)")
                if entry["decision"] == "reject":
                    raise UserError(f"{pid}: its {role} '{entity_id}' was rejected "
                                    f"({item['id']}, {name}); reject this proposal too, or "
                                    f"undo that rejection")
                return entry.get("into") or entry.get("id") or entity_id
        return entity_id  # not known anywhere: the checks will say so

    # -- records --------------------------------------------------------------------------
    def _record(self, proposal: dict, edits: dict) -> dict:
        kind = proposal["kind"]
        body = copy.deepcopy(proposal.get(kind) or {})
        allowed = EDITABLE[kind]
        for key, value in _flatten(edits).items():
            if key not in allowed:
                close = difflib.get_close_matches(key, allowed, n=1)
                raise UserError(f"{proposal['id']}: cannot edit '{key}' of a {kind}; " +
                                (f"did you mean '{close[0]}'?" if close else
                                 f"editable: {', '.join(allowed)}"))
            head, _, sub = key.partition(".")
            if sub:
                target = body.setdefault(head, {})
                if not isinstance(target, dict):
                    target = body[head] = {}
                if value in (None, ""):
                    target.pop(sub, None)
                else:
                    target[sub] = str(value).strip()
            elif value in (None, ""):
                body.pop(head, None)
            elif key == "value":
                body[head] = _scalar(value)
            elif key == "implied":
                body[head] = str(value).lower() in ("true", "1", "yes")
            else:
                body[head] = str(value).strip()
        section = proposal.get("section")
        pid = proposal["id"]
        if kind == "entity":
            labels = body.get("label") or {}
            order = ["en", "zh-Hant"] + sorted(k for k in labels if k not in ("en", "zh-Hant"))
            record = {"id": body.get("id"), "type": body.get("type"),
                      "label": {k: labels[k] for k in order if labels.get(k)}}
            alt = {k: list(v) if isinstance(v, list) else [v]
                   for k, v in (body.get("alt") or {}).items() if v}
            if alt:
                record["alt"] = alt
            return record
        if kind == "relation":
            record = {"subject": self._endpoint(str(body.get("subject")), pid, "subject"),
                      "predicate": body.get("predicate"),
                      "object": self._endpoint(str(body.get("object")), pid, "object"),
                      "section": body.get("section") or section}
            role = {k: v for k, v in (body.get("role") or {}).items() if v}
            if role:
                record["role"] = role
            if body.get("implied"):
                record["implied"] = True
            return record
        record = {"about": self._endpoint(str(body.get("about")), pid, "subject"),
                  "property": body.get("property"), "value": _scalar(body.get("value")),
                  "datatype": body.get("datatype")}
        for key in ("unit", "as_of"):
            if body.get(key) not in (None, ""):
                record[key] = str(body[key])
        if body.get("qualifier") not in (None, ""):
            record["qualifier"] = str(body["qualifier"])
        record["section"] = body.get("section") or section
        return record

    def _merge_forms(self, proposal: dict, target) -> dict[str, list[str]]:
        body = proposal.get("entity") or {}
        forms: dict[str, list[str]] = {}
        have = set(target.surface_forms())

        def add(lang, name):
            name = str(name).strip()
            if name and name not in have and name not in forms.get(lang, []):
                forms.setdefault(lang, []).append(name)

        for lang, name in (body.get("label") or {}).items():
            add(lang, name)
        for lang, names in (body.get("alt") or {}).items():
            for name in names if isinstance(names, list) else [names]:
                add(lang, name)
        return forms

    # -- validation -----------------------------------------------------------------------
    def _validate(self, overlay: dict[str, str | None]):
        from kg.build.checks import check_catalog
        from kg.build.loader import load_catalog

        with tempfile.TemporaryDirectory(prefix="kg-review-") as tmp:
            root = Path(tmp) / self.data_dir.name
            shutil.copytree(self.data_dir, root)
            for rel, text in overlay.items():
                path = root / rel
                if text is None:
                    path.unlink(missing_ok=True)
                else:
                    path.parent.mkdir(parents=True, exist_ok=True)
                    path.write_text(text, encoding="utf-8")
            catalog, problems = load_catalog(root)
            if not any(p.is_error for p in problems):
                problems += check_catalog(catalog)
        new = [p for p in problems if p.is_error and (p.file, p.what) not in self.baseline]
        if new:
            raise DataError(new)
        return catalog

    # -- decisions ------------------------------------------------------------------------
    def stage(self, pid: str, decision: str, *, into: str | None = None,
              edits: dict | None = None) -> str:
        """Validate one decision and keep it in the overlay; returns what it did."""
        if decision not in DECISIONS:
            raise UserError(f"unknown decision '{decision}'; use one of: {', '.join(DECISIONS)}")
        proposal = self.proposal(pid)
        previous = self.decided().get(pid)
        if previous is not None:
            raise UserError(f"{pid} was already decided ({previous['decision']} at "
                            f"{previous.get('at')}); undo it first")
        kind = proposal["kind"]
        if decision == "edit" and not edits:
            raise UserError(f"{pid}: an edit needs changes, e.g. type=Library "
                            f"(editable for a {kind}: {', '.join(EDITABLE[kind])})")
        entry = {"proposal": pid, "decision": decision, "kind": kind, "at": _now()}
        overlay = dict(self.overlay)
        changes = []
        message = f"rejected {pid} ({describe(proposal)})"
        if decision == "merge":
            if kind != "entity":
                raise UserError(f"{pid} is a {kind}; only entity proposals can be merged")
            if not into:
                raise UserError(f"{pid}: merge needs the existing entity, e.g. "
                                f"--merge {pid}=library-of-congress")
            target_id = self.resolve(into)
            target = self.catalog.entities[target_id]
            entry["into"] = target_id
            forms = self._merge_forms(proposal, target)
            message = f"merged {pid} into {target_id}"
            if forms:
                rel = self.rel(self.data_dir.parent / target.file)
                text = self.read(rel) or ""
                try:
                    new, patch = add_aliases(text, target_id, forms, rel)
                except YamlEditError as exc:
                    raise UserError(str(exc))
                overlay[rel] = new
                changes.append({"file": rel, **patch.as_dict()})
                names = ", ".join(n for ns in forms.values() for n in ns)
                message += f" (added {names} to its names in {rel})"
        elif decision in ("accept", "edit"):
            if edits:
                entry["edits"] = {k: str(v) for k, v in _flatten(edits).items()}
            record = self._record(proposal, edits or {})
            name, key, inline = TARGET[kind]
            rel = self.rel(self.folder / name)
            text = self.read(rel)
            created = text is None
            try:
                new, patch = append_item(HEADER[name] if created else text, key, record,
                                         inline=inline, file=rel)
            except YamlEditError as exc:
                raise UserError(str(exc))
            if created:
                patch = Patch(0, "", new)
            overlay[rel] = new
            changes.append({"file": rel, **patch.as_dict(), **({"created": True}
                                                                 if created else {})})
            if kind == "entity":
                entry["id"] = record["id"]
            verb = "accepted" if decision == "accept" else "accepted with edits"
            message = f"{verb} {pid} as {kind} " + (
                f"{record['id']} ({record['type']})" if kind == "entity" else
                describe({"kind": kind, kind: record})) + f" in {rel}"
        if changes:
            entry["wrote"] = changes
        entry["was"] = proposal
        log_rel = self._decisions_rel()
        log_text = self.read(log_rel) or HEADER["decisions.yaml"]
        overlay[log_rel], _ = append_item(log_text, "decisions", entry, file=log_rel)
        catalog = self._validate(overlay) if changes else self.catalog
        self.overlay, self.catalog = overlay, catalog
        self.log = self.log + [entry]
        return message

    def stage_undo(self) -> str:
        if not self.log:
            raise UserError(f"nothing to undo in {self.doc_id}: no decisions yet")
        entry = self.log[-1]
        overlay = dict(self.overlay)
        for change in reversed(entry.get("wrote") or []):
            rel = change["file"]
            try:
                text = undo_patch(self.read(rel) if rel not in overlay else overlay[rel] or "",
                                  Patch.from_dict(change))
            except YamlEditError as exc:
                raise UserError(f"{rel}: {exc}")
            overlay[rel] = None if change.get("created") and not text else text
        log_rel = self._decisions_rel()
        overlay[log_rel] = remove_last_item(overlay.get(log_rel) or self.read(log_rel) or "",
                                            "decisions", log_rel)
        self.catalog = self._validate(overlay) if entry.get("wrote") else self.catalog
        self.overlay = overlay
        self.log = self.log[:-1]
        return f"undid {entry['decision']} of {entry['proposal']}"

    def commit(self) -> list[str]:
        """Write the staged files (curated YAML first, the log last); return their paths."""
        from kg.files import atomic_write

        log_rel = self._decisions_rel()
        order = sorted(self.overlay, key=lambda rel: rel == log_rel)
        written = []
        for rel in order:
            text = self.overlay[rel]
            path = self.data_dir / rel
            if text is None:
                path.unlink(missing_ok=True)
            else:
                atomic_write(path, text.encode("utf-8"))
            written.append(rel)
        self.overlay = {}
        return written

    def decide(self, pid: str, decision: str, *, into: str | None = None,
               edits: dict | None = None) -> str:
        message = self.stage(pid, decision, into=into, edits=edits)
        self.commit()
        return message

    def undo(self) -> str:
        message = self.stage_undo()
        self.commit()
        return message

    def progress(self) -> tuple[int, int]:
        """(reviewed, total) over every proposal of the report."""
        items = self.items()
        decided = self.decided()
        return sum(1 for p in items if p["id"] in decided), len(items)


def _plain(value):
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, str):
        return str(value)
    return value
