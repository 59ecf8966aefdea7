"""The build pipeline as plain functions: check the data, attach the text, build, write.

>>> result = build("data", "out", sources=["../shared/sources"])     # doctest: +SKIP
>>> result.summary["statements"]                                    # doctest: +SKIP
312
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from rdflib import Dataset, Literal
from rdflib.namespace import RDF, RDFS, SKOS

from kg.build.checks import check_catalog
from kg.build.loader import load_catalog
from kg.build.model import Catalog
from kg.problems import DataError, Problem, UserError
from kg.build.provenance import (Located, alias_warnings, check_checksum, locate, read_source,
                                 sha256_of, source_files)

Progress = Callable[[str, str], None]
# (dataset, html folder, {report id: text}) -> the pages written
Views = Callable[[Dataset, Path, dict], list]


def _quiet(stage: str, detail: str) -> None:
    pass


@dataclass
class BuildResult:
    catalog: Catalog
    dataset: Dataset
    located: dict[str, Located]
    warnings: list[Problem]
    summary: dict
    written: dict[str, Path] = field(default_factory=dict)
    unattached: list[str] = field(default_factory=list)  # documents built without their text


def where_index(catalog: Catalog) -> dict[str, tuple[str, int]]:
    """Node IRI -> (file, line) it was curated at, to point SHACL results back at the YAML."""
    from kg.namespaces import entity_iri
    from kg.build.rdfbuild import fact_iri, statement_iri

    where = {str(entity_iri(e.id)): (e.file, e.line) for e in catalog.entities.values()}
    where.update({str(statement_iri(r)): (r.file, r.line) for r in catalog.relations})
    where.update({str(fact_iri(f)): (f.file, f.line) for f in catalog.facts})
    from kg.namespaces import document_iri, section_iri

    for document in catalog.documents.values():
        where[str(document_iri(document.id))] = (document.file, document.line)
        for section in document.sections:
            where[str(section_iri(document.id, section.id))] = (section.file, section.line)
    return where


def check(data_dir: str | Path, *, shacl: bool = True, progress: Progress = _quiet,
          sources: list[str | Path] = ()) -> tuple[Catalog, list[Problem], Dataset | None]:
    """Load and check the data; SHACL runs when the data has no structural errors.

    With ``sources`` (report texts or folders) the texts are checked too: checksum, headings,
    aliases never found, statements whose cited section names neither end."""
    catalog, problems = load_catalog(data_dir)
    progress("load", f"{len(catalog.entities)} entities, {len(catalog.relations)} relations, "
             f"{len(catalog.facts)} facts from {data_dir}")
    if not any(p.is_error for p in problems):
        problems += check_catalog(catalog)
    if sources and not any(p.is_error for p in problems):
        located: dict[str, Located] = {}
        for doc_id, path in sorted(find_sources(catalog, list(sources)).items()):
            text = read_source(path)
            mismatch = check_checksum(catalog.documents[doc_id], text, str(path))
            if mismatch:
                problems.append(mismatch)
                continue
            located[doc_id] = locate(catalog, catalog.documents[doc_id], text)
            problems += located[doc_id].warnings
        problems += alias_warnings(catalog, located)
    progress("check", f"{sum(p.is_error for p in problems)} errors, "
             f"{sum(not p.is_error for p in problems)} warnings")
    dataset = None
    if not any(p.is_error for p in problems):
        from kg.build.rdfbuild import build_dataset
        from kg.build.shacl import shacl_problems

        dataset = build_dataset(catalog, {})
        if shacl:
            found = shacl_problems(dataset, where_index(catalog))
            problems += found
            progress("shacl", f"{len(found)} violations")
    return catalog, sorted(problems, key=lambda p: (not p.is_error, p.file, p.line)), dataset


def find_sources(catalog: Catalog, sources: list[str | Path]) -> dict[str, Path]:
    """Match report texts to documents: by file name, else by SHA-256 of the text."""
    files = source_files(sources)
    found: dict[str, Path] = {}
    by_hash = {d.sha256: d.id for d in catalog.documents.values() if d.sha256}
    by_name = {d.source_file: d.id for d in catalog.documents.values() if d.source_file}
    for path in files:
        doc_id = by_name.get(path.name)
        if doc_id is None:
            try:
                doc_id = by_hash.get(sha256_of(read_source(path)))
            except UserError:
                doc_id = None
        if doc_id is None and len(catalog.documents) == 1 and len(files) == 1 and \
                Path(sources[0]).is_file():
            doc_id = next(iter(catalog.documents))  # one text, one report: the checksum decides
        if doc_id is not None:
            found.setdefault(doc_id, path)
    return found


def summarize(catalog: Catalog, dataset: Dataset, located: dict[str, Located]) -> dict:
    from kg.build.fastio import canonical_tag, quad_count

    by_class = Counter(e.type for e in catalog.entities.values())
    from kg.namespaces import entity_iri

    entities = {entity_iri(entity_id) for entity_id in catalog.entities}
    labels = Counter()
    for s, p, o, _ in dataset.quads((None, RDFS.label, None, None)):
        if isinstance(o, Literal) and s in entities:
            labels[canonical_tag(o.language or "none")] += 1
    alt = Counter()
    for s, p, o, _ in dataset.quads((None, SKOS.altLabel, None, None)):
        alt[canonical_tag(o.language or "none")] += 1
    return {
        "entities": len(catalog.entities),
        "entities_by_class": dict(sorted(by_class.items())),
        "statements": len(catalog.relations),
        "statements_implied": sum(r.implied for r in catalog.relations),
        "statements_uncertain": sum(r.uncertain for r in catalog.relations),
        "facts": len(catalog.facts),
        "documents": len(catalog.documents),
        "labels_by_language": dict(sorted(labels.items())),
        "alt_labels_by_language": dict(sorted(alt.items())),
        "mentions": sum(len(found.mentions) for found in located.values()),
        "evidence_by_status": evidence_counts(catalog, located),
        "triples": quad_count(dataset),
    }


def evidence_counts(catalog: Catalog, located: dict[str, Located]) -> dict[str, int]:
    """Relations and facts of the reports with text, by evidence status (sentence, section,
    implied, none), as written into the graph."""
    from kg.build.evidence import evidence_key

    counts: Counter = Counter()
    for item in list(catalog.relations) + list(catalog.facts):
        found = located.get(item.doc)
        if found is None:
            continue
        evidence = found.evidence.get(evidence_key(item))
        counts[evidence.status if evidence else ("implied" if item.implied else "none")] += 1
    return dict(sorted(counts.items()))


def some_of(names: list[str], limit: int = 3) -> str:
    """``a, b, c and 7 more``: a list short enough for one progress line."""
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def build(data_dir: str | Path, out_dir: str | Path, *, sources: list[str | Path] = (),
          shacl: bool = True, views: Views | None = None, progress: Progress = _quiet,
          quiet: bool = True) -> BuildResult:
    """Check, attach texts, build the dataset and write every output format.

    ``views`` (for example ``kg.viz.write_default_views``) writes the HTML views into
    ``OUT/html`` from the dataset and the report texts; the build stage does not import the
    views itself. Raises DataError (nothing written) when the data or a text has errors.
    Every output is written into a staging folder beside ``out_dir`` and swapped in at the
    end (``kg.build.staging``): a failed or killed build leaves ``out_dir`` as it was.
    """
    from kg.build.rdfbuild import build_dataset
    from kg.build.staging import checkpoint, staged
    from kg.build.writers import write_graph
    from kg.files import atomic_write

    catalog, problems = load_catalog(data_dir)
    checkpoint("loaded")
    progress("load", f"{len(catalog.entities)} entities, {len(catalog.relations)} relations, "
             f"{len(catalog.facts)} facts, {len(catalog.documents)} report(s)")
    if not any(p.is_error for p in problems):
        problems += check_catalog(catalog)
    if any(p.is_error for p in problems):
        raise DataError(problems)
    progress("check", f"no errors, {len(problems)} warnings")

    located: dict[str, Located] = {}
    texts = find_sources(catalog, list(sources)) if sources else {}
    for doc_id, path in sorted(texts.items()):
        document = catalog.documents[doc_id]
        text = read_source(path)
        mismatch = check_checksum(document, text, str(path))
        if mismatch:
            raise DataError([mismatch])
        located[doc_id] = locate(catalog, document, text)
        problems += located[doc_id].warnings
        progress("text", f"{doc_id}: {path} (SHA-256 ok), {len(located[doc_id].spans)} "
                 f"sections located, {len(located[doc_id].mentions)} mentions")
    problems += alias_warnings(catalog, located)
    unattached = sorted(set(catalog.documents) - set(located))
    if unattached:
        progress("text", f"{some_of(unattached)}: no text given, spans not attached "
                 "(use --source PATH)")

    from kg.build.fastio import LARGE_DATASET, is_oxigraph_backed, quad_count

    dataset = build_dataset(catalog, located, quiet=quiet)
    checkpoint("modelled")
    large = is_oxigraph_backed(dataset)
    progress("rdf", f"{quad_count(dataset)} triples in {len(catalog.documents) + 2} named "
             f"graphs{' (held by Oxigraph: large dataset)' if large else ''}")
    if shacl and large:
        progress("shacl", f"skipped: above {LARGE_DATASET} quads pyshacl is too slow; the "
                 "curator checks ran (run `kg validate` on a smaller part for SHACL)")
    elif shacl:
        from kg.build.shacl import shacl_problems

        violations = shacl_problems(dataset, where_index(catalog))
        if violations:
            raise DataError(problems + violations)
        progress("shacl", "conforms")
    warnings = sorted((p for p in problems if not p.is_error),
                      key=lambda p: (p.file, p.line, p.what))
    out = Path(out_dir)
    with staged(out) as stage:
        written = write_graph(dataset, stage)
        report = "".join(p.format() + "\n" for p in warnings).encode("utf-8")
        written["warnings.txt"] = stage / "warnings.txt"
        atomic_write(written["warnings.txt"], report)
        checkpoint("written")
        progress("write", ", ".join(str(out / p.name) for p in written.values()))
        if views is not None and large:
            progress("html", "skipped for a large graph; draw a part of it with "
                     "`kg viz --focus ENTITY`")
        elif views is not None:
            pages = views(dataset, stage / "html",
                          {doc_id: found.text for doc_id, found in located.items()})
            checkpoint("views")
            progress("html", f"{len(pages)} views in {out / 'html'}")
    written = {name: out / path.relative_to(stage) for name, path in written.items()}
    return BuildResult(catalog, dataset, located, warnings,
                       summarize(catalog, dataset, located), written, unattached)
