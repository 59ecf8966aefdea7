"""Write a dataset to disk: deterministic bytes, each file replaced atomically.

Serialisations are produced in memory first; only when all succeed are they written, each
to a temporary file in the same folder and renamed over the old one.

>>> write_outputs(dataset, Path("out"))          # doctest: +SKIP
{'kg.ttl': PosixPath('out/kg.ttl'), ...}
"""

from __future__ import annotations

import json
from pathlib import Path

from rdflib import Dataset, Graph

from kg.files import atomic_write
from kg.namespaces import PREFIXES
from kg.build.shacl import union_graph

FORMATS = {"kg.ttl": "turtle", "kg.trig": "trig", "kg.jsonld": "json-ld", "kg.nt": "nt"}


def _sorted_lines(data: bytes) -> bytes:
    # split("\n"), not splitlines(): U+2028, U+0085, \v, \f and U+001C may sit inside literals
    lines = sorted(set(line for line in data.decode("utf-8").split("\n") if line.strip()))
    return ("\n".join(lines) + "\n").encode("utf-8")


def _stable(value):
    """Sort every JSON array (order carries no meaning outside @list) for stable bytes."""
    if isinstance(value, dict):
        return {key: (item if key == "@list" else _stable(item)) for key, item in value.items()}
    if isinstance(value, list):
        items = [_stable(item) for item in value]
        return sorted(items, key=lambda item: json.dumps(item, sort_keys=True,
                                                         ensure_ascii=False))
    return value


def trig_bytes(dataset: Dataset) -> bytes:
    """TriG with the named graphs in IRI order (rdflib's own order varies between runs)."""
    header: list[str] = []
    blocks: list[str] = []
    for context in sorted(dataset.graphs(), key=lambda g: str(g.identifier)):
        if len(context) == 0 or str(context.identifier).startswith("urn:x-rdflib:"):
            continue
        graph = Graph()
        for prefix, ns in dataset.namespaces():
            graph.bind(prefix, ns, override=True)
        for triple in context:
            graph.add(triple)
        body = graph.serialize(format="turtle")
        lines = body.split("\n")  # not splitlines(): U+2028 etc. may sit inside literals
        prefixes = [line for line in lines if line.startswith("@prefix")]
        header = sorted(set(header) | set(prefixes))
        # No indentation: a line may sit inside a multi-line literal.
        content = [line for line in lines if not line.startswith("@prefix")]
        while content and not content[0]:
            content.pop(0)
        blocks.append(f"<{context.identifier}> {{\n" + "\n".join(content).rstrip() + "\n}\n")
    return ("\n".join(header) + "\n\n" + "\n".join(blocks)).encode("utf-8")


def jsonld_context() -> dict:
    context = dict(PREFIXES)
    context["label"] = {"@id": PREFIXES["rdfs"] + "label", "@container": "@language"}
    context["altLabel"] = {"@id": PREFIXES["skos"] + "altLabel", "@container": "@language"}
    return context


def serialize_all(dataset: Dataset) -> dict[str, bytes]:
    """Every output format as bytes, keyed by file name, by rdflib's writers (small datasets;
    ``write_graph`` streams large ones through Oxigraph instead)."""
    union = union_graph(dataset)
    outputs = {
        "kg.ttl": union.serialize(format="turtle", encoding="utf-8"),
        "kg.trig": trig_bytes(dataset),
        "kg.nt": _sorted_lines(union.serialize(format="nt", encoding="utf-8")),
    }
    compact = union.serialize(format="json-ld", context=jsonld_context(), auto_compact=True,
                              encoding="utf-8")
    # Stable order for nodes and keys, so the same input gives the same bytes.
    document = _stable(json.loads(compact))
    outputs["kg.jsonld"] = (json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True)
                            + "\n").encode("utf-8")
    return outputs


def write_graph(dataset: Dataset, out_dir: Path, large: int | None = None) -> dict[str, Path]:
    """Write kg.ttl, kg.trig, kg.nt and kg.jsonld into ``out_dir``.

    Small datasets are serialised by rdflib in memory, then written; datasets above ``large``
    quads (default ``kg.build.fastio.LARGE_DATASET``) are streamed by Oxigraph one file at a time.
    """
    from kg.build.fastio import LARGE_DATASET, is_oxigraph_backed, quad_count, write_large

    if is_oxigraph_backed(dataset) or quad_count(dataset) > (large or LARGE_DATASET):
        return write_large(dataset, out_dir)
    return write_outputs(serialize_all(dataset), out_dir)


def write_outputs(outputs: dict[str, bytes], out_dir: Path) -> dict[str, Path]:
    from kg.build.staging import checkpoint

    written = {}
    for name in sorted(outputs):
        atomic_write(out_dir / name, outputs[name])
        written[name] = out_dir / name
        checkpoint(f"write:{name}")
    return written
