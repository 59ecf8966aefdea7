#!/usr/bin/env python3
"""Synthetic report-shaped RDF at any size (10k, 100k, 1M triples), written as N-Quads.

The shape follows CONTRIBUTING.md: the ontology graph, a shared graph of entities defined
once (labels in ``en`` and ``zh-Hant``), and one named graph per synthetic report holding its
metadata, sections, own entities, statements (the direct triple plus a ``kg:Statement`` with
``prov:wasDerivedFrom`` its section) and mentions (``oa:Annotation`` with text selectors).
Deterministic for a given size and seed.

    python bench/synthetic.py 1000000 /tmp/synthetic-1m.nq
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

BASE = "https://w3id.org/nlpi-kg/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SCHEMA = "https://schema.org/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
PROV = "http://www.w3.org/ns/prov#"
DCT = "http://purl.org/dc/terms/"
OA = "http://www.w3.org/ns/oa#"
KG = BASE + "ontology#"

CLASSES = [("Person", SCHEMA + "Person"), ("Library", SCHEMA + "Library"),
           ("Organization", SCHEMA + "Organization"), ("Session", KG + "Session"),
           ("Topic", SKOS + "Concept"), ("City", SCHEMA + "City"), ("Book", SCHEMA + "Book")]
PREDICATES = [SCHEMA + "about"] * 6 + [SCHEMA + "mentions"] * 3 + [
    SCHEMA + "location", SCHEMA + "organizer", SCHEMA + "performerIn", SCHEMA + "attendee",
    SCHEMA + "worksFor", KG + "heads", KG + "partnersWith", KG + "usesPlatform"]
ZH = "圖書館學會資訊公共國立閱讀推廣服務社區數位青少年講座會議氣候正義多元文化"

SECTIONS_PER_REPORT = 30
OWN_ENTITIES = 120
STATEMENTS = 420
MENTIONS = 300
SHARED_ENTITIES = 2000


def _iri(value: str) -> str:
    return f"<{value}>"


def _lit(text: str, lang: str | None = None, datatype: str | None = None) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    if lang:
        return f'"{escaped}"@{lang}'
    if datatype:
        return f'"{escaped}"^^<{datatype}>'
    return f'"{escaped}"'


def _zh(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(ZH) for _ in range(n))


class _Writer:
    def __init__(self, handle):
        self.handle = handle
        self.count = 0

    def quad(self, s: str, p: str, o: str, g: str) -> None:
        self.handle.write(f"{s} {p} {o} {g} .\n")
        self.count += 1


def _entity(w: _Writer, rng: random.Random, entity_id: str, graph: str) -> None:
    node = _iri(BASE + "id/" + entity_id)
    cls_name, cls = CLASSES[int(entity_id.rsplit("-", 1)[-1]) % len(CLASSES)]
    w.quad(node, _iri(RDF + "type"), _iri(cls), graph)
    w.quad(node, _iri(DCT + "identifier"), _lit(entity_id), graph)
    w.quad(node, _iri(RDFS + "label"), _lit(f"{cls_name} {entity_id}", "en"), graph)
    w.quad(node, _iri(RDFS + "label"), _lit(_zh(rng, 6), "zh-Hant"), graph)
    w.quad(node, _iri(SCHEMA + "description"), _lit(f"A synthetic {cls_name.lower()}.", "en"),
           graph)
    if rng.random() < 0.3:
        w.quad(node, "<http://www.w3.org/2004/02/skos/core#altLabel>", _lit(_zh(rng, 4),
                                                                             "zh-Hant"), graph)


def _report(w: _Writer, rng: random.Random, number: int, shared_ids: list[str]) -> None:
    doc_id = f"synthetic-{number:05d}"
    doc = BASE + "doc/" + doc_id
    graph = _iri(BASE + "graph/" + doc_id)
    w.quad(_iri(doc), _iri(RDF + "type"), _iri(SCHEMA + "Report"), graph)
    w.quad(_iri(doc), _iri(DCT + "identifier"), _lit(doc_id), graph)
    w.quad(_iri(doc), _iri(DCT + "title"), _lit("合成報告 " + doc_id, "zh-Hant"), graph)
    w.quad(_iri(doc), _iri(DCT + "issued"), _lit(str(2011 + number % 13), datatype=XSD + "gYear"),
           graph)
    sections = []
    for index in range(SECTIONS_PER_REPORT):
        section = _iri(f"{doc}/s{index}")
        sections.append(section)
        w.quad(section, _iri(RDF + "type"), _iri(KG + "Section"), graph)
        w.quad(section, _iri(KG + "notation"), _lit(f"貳.{index}"), graph)
        w.quad(section, _iri(DCT + "title"), _lit(_zh(rng, 8), "zh-Hant"), graph)
        w.quad(section, _iri(DCT + "isPartOf"), _iri(doc) if index < 4 else sections[index % 4],
               graph)
    own = [f"{doc_id}-e-{i}" for i in range(OWN_ENTITIES)]
    for entity_id in own:
        _entity(w, rng, entity_id, graph)
    pool = own + rng.sample(shared_ids, min(len(shared_ids), 300))
    referenced = set()
    for index in range(STATEMENTS):
        s, o = rng.sample(pool, 2)
        p = rng.choice(PREDICATES)
        subject, obj = _iri(BASE + "id/" + s), _iri(BASE + "id/" + o)
        referenced.update((s, o))
        node = _iri(f"{doc}/statement/{index}")
        w.quad(subject, _iri(p), obj, graph)
        w.quad(node, _iri(RDF + "type"), _iri(KG + "Statement"), graph)
        w.quad(node, _iri(RDF + "subject"), subject, graph)
        w.quad(node, _iri(RDF + "predicate"), _iri(p), graph)
        w.quad(node, _iri(RDF + "object"), obj, graph)
        w.quad(node, _iri(PROV + "wasDerivedFrom"), rng.choice(sections), graph)
        w.quad(node, _iri(KG + "implied"), _lit("true" if rng.random() < 0.1 else "false",
                                                datatype=XSD + "boolean"), graph)
    for index in range(MENTIONS):
        entity = rng.choice(pool)
        referenced.add(entity)
        node = _iri(f"{doc}/mention/{index}")
        target = _iri(f"{doc}/mention/{index}/target")
        selector = _iri(f"{doc}/mention/{index}/target/position")
        start = index * 37
        w.quad(node, _iri(RDF + "type"), _iri(KG + "Mention"), graph)
        w.quad(node, _iri(RDF + "type"), _iri(OA + "Annotation"), graph)
        w.quad(node, _iri(OA + "hasBody"), _iri(BASE + "id/" + entity), graph)
        w.quad(node, _iri(OA + "hasTarget"), target, graph)
        w.quad(target, _iri(OA + "hasSource"), _iri(doc), graph)
        w.quad(target, _iri(KG + "inSection"), rng.choice(sections), graph)
        w.quad(target, _iri(OA + "hasSelector"), selector, graph)
        w.quad(selector, _iri(OA + "start"), _lit(str(start), datatype=XSD + "integer"), graph)
        w.quad(selector, _iri(OA + "end"), _lit(str(start + 6), datatype=XSD + "integer"), graph)
    for entity in sorted(referenced):
        w.quad(_iri(BASE + "id/" + entity), _iri(DCT + "isReferencedBy"), _iri(doc), graph)


def generate(triples: int, path: str | Path, seed: int = 2022) -> int:
    """Write about ``triples`` quads of synthetic reports to ``path`` (N-Quads); return the count."""
    from rdflib import Graph

    rng = random.Random(seed)
    path = Path(path)
    ontology = Graph().parse(Path(__file__).resolve().parents[1] / "ontology" / "kg.ttl")
    with path.open("w", encoding="utf-8") as handle:
        w = _Writer(handle)
        for s, p, o in sorted(ontology):
            w.quad(s.n3(), p.n3(), o.n3(), _iri(BASE + "graph/ontology"))
        shared_graph = _iri(BASE + "graph/shared")
        shared_count = max(50, min(SHARED_ENTITIES, triples // 500))
        shared_ids = [f"shared-{i}" for i in range(shared_count)]
        for entity_id in shared_ids:
            _entity(w, rng, entity_id, shared_graph)
        number = 0
        while w.count < triples:
            _report(w, rng, number, shared_ids)
            number += 1
    return w.count


def main(argv: list[str]) -> None:
    if len(argv) != 2 or not argv[0].isdigit():
        sys.exit("usage: python bench/synthetic.py TRIPLES OUT.nq   (e.g. 1000000 /tmp/1m.nq)")
    count = generate(int(argv[0]), argv[1])
    print(f"wrote {count} quads to {argv[1]}")


if __name__ == "__main__":
    main(sys.argv[1:])
