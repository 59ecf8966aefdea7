#!/usr/bin/env python3
"""Score `kg ingest`'s draft of the bundled report against the curated data/, cold.

    python bench/extract.py                 # both runs, the speed run, the jieba comparison
    python bench/extract.py --no-speed --json

Two runs: ingest with no curated data at all, and with data/shared only (what a curator has
before a new report). The draft (entity, relation and fact proposals; in the second run also
the links to known entities) is scored against data/:

- entities by class: a curated entity is found when a proposal (or a link) carries one of
  its labels or aliases, compared normalised (NFKC, case, spaces, punctuation, Simplified);
  precision is the share of entity proposals that match some curated entity of the report;
- relations by predicate: subject and object right (either direction; proposals mapped to
  curated ids through the entity matching), and with the right predicate too;
- figures: a curated fact is found when a fact proposal has its value (and unit) and cites
  the same section.

Speed: ingest of a ~100-page text (the report repeated) against reading the same file.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kg.build.loader import load_catalog  # noqa: E402
from kg.extract.ingest import ingest, read_report_text  # noqa: E402
from kg.extract.linking import name_key  # noqa: E402

REPORT = ROOT.parent / "shared" / "sources" / "ala-2022-report.zh-Hant.txt"
DOC_FOLDER = "ala-2022"
CLASSES = ("Person", "Organization", "Library", "University", "GovernmentOrganization",
           "Conference", "Session", "Program", "Award", "Place", "Work", "Topic", "other")
GROUP = {"City": "Place", "Country": "Place", "State": "Place", "Place": "Place",
         "Book": "Work", "CreativeWork": "Work", "Periodical": "Work", "Poster": "Work",
         "Game": "Work", "HashtagCampaign": "Work", "Platform": "Work", "Publisher":
         "Organization", "Fund": "Organization"}
CORE = ("Person", "Organization", "Library", "University", "GovernmentOrganization", "Place",
        "Conference")


def gold(catalog):
    """The report's curated entities (its own and the shared ones it cites), relations, facts."""
    doc = next(d for d in catalog.documents.values() if Path(d.folder).name == DOC_FOLDER)
    relations = [r for r in catalog.relations if r.doc == doc.id]
    facts = [f for f in catalog.facts if f.doc == doc.id]
    cited = {r.subject for r in relations} | {r.object for r in relations} | \
        {f.about for f in facts} | {doc.author, doc.publisher, doc.about}
    entities = {e.id: e for e in catalog.entities.values()
                if e.doc == doc.id or e.id in cited}
    return doc, entities, relations, facts


def keys_of(entity) -> set[str]:
    forms = set(entity.surface_forms()) | {entity.id}
    for names in getattr(entity, "former_names", {}).values():
        forms |= set(names)
    return {name_key(f) for f in forms if name_key(f)}


def group(type_name: str) -> str:
    if type_name in CLASSES:
        return type_name
    return GROUP.get(type_name, "other")


def run_ingest(data: Path, report: Path, doc_id: str):
    started = time.perf_counter()
    result = ingest(report, doc_id, data)
    return result, time.perf_counter() - started


def score(result, entities, relations, facts, known_ids: set[str]) -> dict:
    index = defaultdict(set)
    for entity in entities.values():
        for key in keys_of(entity):
            index[key].add(entity.id)
    # Entities: proposals and (when data/shared is known) links to known entities.
    proposal_to_gold: dict[str, set[str]] = {}
    entity_proposals = [p for p in result.proposals if p.kind == "entity"]
    for proposal in entity_proposals:
        body = proposal.body["entity"]
        forms = list(body["label"].values()) + [f for fs in body.get("alt", {}).values()
                                                for f in fs]
        matched = set().union(*(index.get(name_key(f), set()) for f in forms))
        if "link" in proposal.body and proposal.body["link"]["id"] in entities:
            matched.add(proposal.body["link"]["id"])
        proposal_to_gold[body["id"]] = matched
    found = set().union(*proposal_to_gold.values()) if proposal_to_gold else set()
    linked = {e for m in result.mentions for e in m.entities} & set(entities)
    found |= linked
    by_class = defaultdict(lambda: [0, 0])
    for entity in entities.values():
        cls = group(entity.type)
        by_class[cls][1] += 1
        by_class[cls][0] += entity.id in found
    matched_proposals = sum(1 for m in proposal_to_gold.values() if m)
    # Relations: map proposal ids to curated ids; known ids are themselves.
    def ids(entity_id: str) -> set[str]:
        if entity_id in known_ids:
            return {entity_id}
        return proposal_to_gold.get(entity_id, set())

    gold_pairs = {frozenset((r.subject, r.object)) for r in relations}
    gold_triples = {(r.subject, r.predicate, r.object) for r in relations}
    pairs_found, triples_found = set(), set()
    relation_proposals = [p for p in result.proposals if p.kind == "relation"]
    right_pair = right_triple = 0
    typed = [p for p in relation_proposals if p.body["relation"]["predicate"] !=
             "kg:mentionedWith"]
    for proposal in relation_proposals:
        rel = proposal.body["relation"]
        hit_pair = hit_triple = False
        for s in ids(rel["subject"]):
            for o in ids(rel["object"]):
                pair = frozenset((s, o))
                if pair in gold_pairs:
                    pairs_found.add(pair)
                    hit_pair = True
                for triple in ((s, rel["predicate"], o), (o, rel["predicate"], s)):
                    if triple in gold_triples:
                        triples_found.add(triple)
                        hit_triple = True
        right_pair += hit_pair
        right_triple += hit_triple and rel["predicate"] != "kg:mentionedWith"
    by_predicate = defaultdict(lambda: [0, 0])
    for triple in gold_triples:
        by_predicate[triple[1]][1] += 1
        by_predicate[triple[1]][0] += triple in triples_found
    # Figures: value (and unit) in the cited section.
    fact_proposals = [p for p in result.proposals if p.kind == "fact"]
    offered = Counter((str(p.body["fact"].get("value")), p.section) for p in fact_proposals)
    figures_found = sum(1 for f in facts if offered[(str(f.value), f.section)] > 0)
    figures_right = sum(1 for p in fact_proposals if any(
        str(p.body["fact"].get("value")) == str(f.value) and p.section == f.section
        for f in facts))
    people = by_class["Person"]
    no_topics = [sum(v[i] for c, v in by_class.items() if c != "Topic") for i in (0, 1)]
    core = [sum(by_class[c][i] for c in CORE) for i in (0, 1)]
    return {
        "entities": {"found": len(found), "of": len(entities),
                     "recall": _ratio(len(found), len(entities)),
                     "precision": _ratio(matched_proposals, len(entity_proposals)),
                     "proposals": len(entity_proposals), "linked": len(linked),
                     "people": _ratio(*people), "core": _ratio(*core),
                     "without_topics": _ratio(*no_topics),
                     "by_class": {c: by_class[c] for c in CLASSES if by_class[c][1]}},
        "relations": {"of": len(gold_triples), "pairs": _ratio(len(pairs_found),
                                                                len(gold_pairs)),
                      "with_predicate": _ratio(len(triples_found), len(gold_triples)),
                      "proposals": len(relation_proposals), "typed_proposals": len(typed),
                      "precision_pair": _ratio(right_pair, len(relation_proposals)),
                      "precision_typed": _ratio(right_triple, len(typed)),
                      "by_predicate": {p: v for p, v in sorted(by_predicate.items(),
                                                               key=lambda kv: -kv[1][1])}},
        "figures": {"found": figures_found, "of": len(facts),
                    "recall": _ratio(figures_found, len(facts)),
                    "precision": _ratio(figures_right, len(fact_proposals)),
                    "proposals": len(fact_proposals)},
    }


def _ratio(part: int, whole: int) -> float:
    return round(part / whole, 3) if whole else 0.0


def speed(tmp: Path) -> dict:
    """Ingest of a ~100-page text against reading it (both in this process)."""
    text = REPORT.read_text(encoding="utf-8")
    pages = 100
    chars_per_page = 800
    copies = max(1, -(-pages * chars_per_page // len(text)))
    big = tmp / "hundred-pages.txt"
    big.write_text("\n\n".join([text] * copies), encoding="utf-8")
    data = tmp / "speed-data"
    (data / "shared").mkdir(parents=True)
    started = time.perf_counter()
    read_report_text(big)
    read = time.perf_counter() - started
    result, seconds = run_ingest(data, big, "hundred-pages")
    return {"chars": len(big.read_text(encoding="utf-8")), "copies": copies,
            "read_s": round(read, 4), "ingest_s": round(seconds, 2),
            "ratio": round(seconds / read, 1) if read else None,
            "proposals": len(result.proposals)}


def compare_jieba(entities) -> dict:
    """People with Chinese-script names: found by LAC (as ingest runs it) and by jieba POS."""
    from kg.extract.ner import find_names
    from kg.extract.propose import sentence_spans

    text = REPORT.read_text(encoding="utf-8")
    reading = name_key(text)
    wanted = {name_key(form) for e in entities.values() if e.type == "Person"
              for form in e.surface_forms() if not form.isascii()}
    wanted = {k for k in wanted if k and k in reading}   # the names the text writes in Chinese
    spans = sentence_spans(text)
    started = time.perf_counter()
    lac = {name_key(n.text) for n in find_names(text, spans, ("PER",))}
    lac_s = time.perf_counter() - started
    out = {"people": len(wanted), "lac": len(wanted & lac), "lac_s": round(lac_s, 2)}
    try:
        import jieba
        import jieba.posseg as posseg
    except ImportError:
        out["jieba"] = "not installed (pip install jieba to compare)"
        return out
    from kg.extract.ner import clean, simplified

    jieba.setLogLevel(60)
    started = time.perf_counter()
    found = set()
    for start, end in spans:
        for pair in posseg.cut(simplified(clean(text, start, end)[0])):
            if pair.flag == "nr":
                found.add(name_key(pair.word))
    out.update({"jieba": len(wanted & found), "jieba_s": round(time.perf_counter() - started, 2),
                "jieba_nr": len(found), "lac_per": len(lac)})
    # Names whose parts jieba tags separately count as found only if one piece is the name.
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--no-speed", action="store_true", help="skip the 100-page run")
    args = parser.parse_args()
    catalog, _ = load_catalog(ROOT / "data")
    doc, entities, relations, facts = gold(catalog)
    report = {"report": REPORT.name, "gold": {"entities": len(entities),
                                              "relations": len(relations),
                                              "facts": len(facts)}}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for name, shared in (("cold", False), ("shared", True)):
            data = tmp / name
            (data / "shared").mkdir(parents=True)
            if shared:
                shutil.rmtree(data / "shared")
                shutil.copytree(ROOT / "data" / "shared", data / "shared")
            known = set(load_catalog(data)[0].entities)
            result, seconds = run_ingest(data, REPORT, "bench-draft")
            report[name] = score(result, entities, relations, facts, known)
            report[name]["seconds"] = round(seconds, 2)
        if not args.no_speed:
            report["speed"] = speed(tmp)
        report["jieba_vs_lac"] = compare_jieba(entities)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return 0
    print(f"{REPORT.name}: {len(entities)} curated entities, {len(relations)} relations, "
          f"{len(facts)} facts")
    print(f"{'run':8} {'ent R':>6} {'no top':>6} {'ent P':>6} {'people':>6} {'core':>6} {'rel s+o':>7} "
          f"{'rel +p':>6} {'rel P':>6} {'fig R':>6} {'fig P':>6} {'props':>6} {'sec':>5}")
    for name in ("cold", "shared"):
        r = report[name]
        e, rel, fig = r["entities"], r["relations"], r["figures"]
        print(f"{name:8} {e['recall']:6.0%} {e['without_topics']:6.0%} {e['precision']:6.0%} {e['people']:6.0%} "
              f"{e['core']:6.0%} {rel['pairs']:7.0%} {rel['with_predicate']:6.0%} "
              f"{rel['precision_typed']:6.0%} {fig['recall']:6.0%} {fig['precision']:6.0%} "
              f"{e['proposals'] + rel['proposals'] + fig['proposals']:6d} {r['seconds']:5.1f}")
    for name in ("cold", "shared"):
        print(f"\n{name}: entities found/curated by class")
        print("  " + "  ".join(f"{c} {f}/{n}" for c, (f, n) in
                               report[name]["entities"]["by_class"].items()))
        print(f"{name}: relations with the right predicate, by predicate")
        print("  " + "  ".join(f"{p} {f}/{n}" for p, (f, n) in
                               report[name]["relations"]["by_predicate"].items()))
    if "speed" in report:
        s = report["speed"]
        print(f"\nspeed: ingest of {s['chars']} characters (~100 pages) {s['ingest_s']} s = "
              f"{s['ratio']}x the time to read the file ({s['read_s']} s)")
    j = report["jieba_vs_lac"]
    print(f"people with Chinese-script names: LAC {j['lac']}/{j['people']} "
          f"({j.get('lac_s')} s); jieba POS nr {j.get('jieba')}/{j['people']} "
          f"({j.get('jieba_s', '-')} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
