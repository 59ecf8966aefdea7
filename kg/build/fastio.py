"""The fast path for large graphs: Oxigraph underneath rdflib for loading, queries and output.

rdflib stays the modelling API (``kg.build.rdfbuild`` builds an ``rdflib.Dataset``); above a few
hundred thousand triples its in-memory store and serializers are the bottleneck (GUIDE: ~50 s
for Turtle at 1M triples against ~1 s for Oxigraph), so large datasets are loaded into,
queried in and written from a ``pyoxigraph.Store``.

Oxigraph lowercases language tags (``zh-Hant`` comes back as ``zh-hant``). Outputs written
here get their tags restored to BCP 47 case (``zh-Hant``, ``zh-Hans``, ``en-US``) by
``restore_language_tags``; queries should compare tags with ``langMatches``.

>>> store = load_store("big.nq")                               # doctest: +SKIP
>>> outputs = serialize_large(store)                           # doctest: +SKIP
>>> sorted(outputs)                                            # doctest: +SKIP
['kg.jsonld', 'kg.nt', 'kg.trig', 'kg.ttl']
"""

from __future__ import annotations

import io
from pathlib import Path

import pyoxigraph as ox

from kg.namespaces import PREFIXES

__all__ = ["LARGE_DATASET", "quad_count", "is_oxigraph_backed", "load_store", "load_dataset", "oxigraph_store", "query",
           "serialize_large", "write_large", "restore_language_tags", "canonical_tag", "language_tags"]

# Above this many quads the build models into Oxigraph and ``kg.build.writers.write_graph`` streams
# the files with ``write_large``.
LARGE_DATASET = 200_000



def is_oxigraph_backed(data) -> bool:
    """True for a pyoxigraph Store or an rdflib Dataset/Graph over the oxrdflib store."""
    if isinstance(data, ox.Store):
        return True
    return isinstance(getattr(getattr(data, "store", None), "_inner", None), ox.Store)


def quad_count(data) -> int:
    """How many quads ``data`` holds, without a Python pass when Oxigraph holds them."""
    if is_oxigraph_backed(data):
        return len(oxigraph_store(data))
    return sum(1 for _ in data.quads((None, None, None, None)))


FORMATS = {".nq": ox.RdfFormat.N_QUADS, ".nt": ox.RdfFormat.N_TRIPLES,
           ".trig": ox.RdfFormat.TRIG, ".ttl": ox.RdfFormat.TURTLE,
           ".jsonld": ox.RdfFormat.JSON_LD}


def _format_of(path: Path) -> ox.RdfFormat:
    try:
        return FORMATS[path.suffix]
    except KeyError:
        from kg.problems import UserError

        raise UserError(f"{path}: unknown RDF format; use one of "
                        f"{', '.join(sorted(FORMATS))}") from None


def load_store(path: str | Path) -> ox.Store:
    """Read an RDF file (N-Quads, TriG, Turtle, N-Triples, JSON-LD) into an in-memory store."""
    path = Path(path)
    store = ox.Store()
    store.bulk_load(path=str(path), format=_format_of(path))
    return store


def load_dataset(path: str | Path):
    """An ``rdflib.Dataset`` backed by Oxigraph (oxrdflib), loaded with Oxigraph's parser."""
    from rdflib import Dataset

    path = Path(path)
    dataset = Dataset(store="Oxigraph")
    oxigraph_store(dataset).bulk_load(path=str(path), format=_format_of(path))
    return dataset


def _to_ox(term):
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"cannot convert {term!r}")


def oxigraph_store(data) -> ox.Store:
    """The ``pyoxigraph.Store`` under ``data``: a Store, an oxrdflib-backed Dataset, or a copy
    of an rdflib Dataset/Graph in its default in-memory store."""
    if isinstance(data, ox.Store):
        return data
    inner = getattr(getattr(data, "store", None), "_inner", None)
    if isinstance(inner, ox.Store):
        return inner
    from rdflib import Dataset

    store = ox.Store()
    quads = data.quads((None, None, None, None)) if isinstance(data, Dataset) else \
        ((s, p, o, None) for s, p, o in data)
    batch = []
    for s, p, o, g in quads:
        graph = ox.DefaultGraph() if g is None or str(getattr(g, "identifier", g)).startswith(
            "urn:x-rdflib:") else ox.NamedNode(str(getattr(g, "identifier", g)))
        batch.append(ox.Quad(_to_ox(s), _to_ox(p), _to_ox(o), graph))
    store.bulk_extend(batch)
    return store


def query(data, sparql: str):
    """Run SPARQL on the store under ``data``; the default graph is the union of all graphs."""
    return oxigraph_store(data).query(sparql, use_default_graph_as_union=True)


def canonical_tag(tag: str) -> str:
    """BCP 47 case: language lower, script title, region upper.

    >>> canonical_tag("zh-hant"), canonical_tag("en-us"), canonical_tag("zh-hant-tw")
    ('zh-Hant', 'en-US', 'zh-Hant-TW')
    """
    parts = tag.split("-")
    out = [parts[0].lower()]
    for part in parts[1:]:
        if len(part) == 4 and part.isalpha():
            out.append(part.title())
        elif len(part) == 2 and part.isalpha() or len(part) == 3 and part.isdigit():
            out.append(part.upper())
        else:
            out.append(part.lower())
    return "-".join(out)


def language_tags(store: ox.Store) -> set[str]:
    """The distinct language tags in the store (as Oxigraph reports them: lower case)."""
    found = store.query('SELECT DISTINCT (LANG(?o) AS ?tag) WHERE { ?s ?p ?o '
                        'FILTER(isLiteral(?o) && LANG(?o) != "") }',
                        use_default_graph_as_union=True)
    return {row["tag"].value for row in found}


def restore_language_tags(data: bytes, tags, fmt: str) -> bytes:
    """Put BCP 47 case back on the language tags Oxigraph lowercased.

    ``fmt`` is ``"rdf"`` (Turtle, TriG, N-Triples: ``"…"@zh-hant``) or ``"jsonld"``. Plain
    byte replacement (fast on hundreds of MB); a literal whose text itself contains an
    escaped quote followed by ``@zh-hant`` would be changed too.

    >>> restore_language_tags(b'<a> <b> "x"@zh-hant .', {"zh-hant", "en"}, "rdf")
    b'<a> <b> "x"@zh-Hant .'
    """
    for tag in sorted(tags):
        right = canonical_tag(tag)
        if right == tag:
            continue
        if fmt == "jsonld":
            data = data.replace(f'"@language":"{tag}"'.encode(),
                                f'"@language":"{right}"'.encode())
            continue
        for end in (b" ", b"\t", b"\n", b";", b",", b".", b")", b"]"):
            data = data.replace(b'"@' + tag.encode() + end, b'"@' + right.encode() + end)
    return data


def _dump(store: ox.Store, fmt: ox.RdfFormat, **options) -> bytes:
    buffer = io.BytesIO()
    store.dump(buffer, fmt, **options)
    return buffer.getvalue()


def _restore_stream(src: Path, dst, tags, fmt: str, chunk: int = 1 << 24) -> None:
    """Copy ``src`` to the open file ``dst`` with tag case restored, a chunk at a time.

    Restoring only changes letter case, so lengths never change: each chunk is fixed in
    full, and its last bytes are carried into the next chunk in case a tag straddles them.
    """
    keep = 64
    carry = b""
    with open(src, "rb") as handle:
        while block := handle.read(chunk):
            fixed = restore_language_tags(carry + block, tags, fmt)
            dst.write(fixed[:-keep])
            carry = fixed[-keep:]
    dst.write(carry)


def _sort_unique(src: Path, dst: Path) -> None:
    """Sort lines bytewise and drop duplicates with bounded memory (coreutils ``sort``)."""
    import os
    import subprocess

    env = dict(os.environ, LC_ALL="C")
    subprocess.run(["sort", "-u", "-S", "256M", "-T", str(dst.parent), "-o", str(dst), str(src)],
                   check=True, env=env)


def write_large(data, out_dir: str | Path, *, tags=None) -> dict[str, Path]:
    """Write kg.nt, kg.ttl, kg.trig and kg.jsonld with Oxigraph's writers, one at a time,
    streaming through temporary files in ``out_dir`` (so memory stays near the store's size),
    language-tag case restored, each file renamed into place only when complete.

    Turtle and N-Triples hold the union of all graphs (as ``kg.build.writers`` does); N-Triples
    lines are sorted and unique, so equal graphs give equal bytes.
    """
    import os
    import tempfile

    from kg.build.staging import checkpoint
    from kg.files import publish

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    store = oxigraph_store(data)
    tags = language_tags(store) if tags is None else {t.lower() for t in tags}
    union = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    written: dict[str, Path] = {}
    with tempfile.TemporaryDirectory(dir=out_dir, prefix=".kg-write-") as work:
        work = Path(work)
        raw = work / "raw"
        for name in ("kg.nt", "kg.ttl", "kg.trig", "kg.jsonld"):
            with open(raw, "wb") as handle:
                if name == "kg.nt":
                    store.query(union, use_default_graph_as_union=True).serialize(
                        handle, ox.RdfFormat.N_TRIPLES)
                elif name == "kg.ttl":
                    ox.serialize(store.query(union, use_default_graph_as_union=True), handle,
                                 ox.RdfFormat.TURTLE, prefixes=PREFIXES)
                elif name == "kg.trig":
                    store.dump(handle, ox.RdfFormat.TRIG, prefixes=PREFIXES)
                else:
                    store.dump(handle, ox.RdfFormat.JSON_LD)
            source = raw
            if name == "kg.nt":
                source = work / "sorted"
                _sort_unique(raw, source)
            final = work / name
            with open(final, "wb") as handle:
                _restore_stream(source, handle, tags, "jsonld" if name == "kg.jsonld" else "rdf")
                handle.flush()
                os.fsync(handle.fileno())
            written[name] = publish(final, out_dir / name)
            checkpoint(f"write:{name}")
    return written


def serialize_large(data, *, tags=None) -> dict[str, bytes]:
    """The same files as ``write_large``, as bytes (for tests and small comparisons)."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        paths = write_large(data, folder, tags=tags)
        return {name: path.read_bytes() for name, path in paths.items()}
