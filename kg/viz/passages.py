"""The report passages behind sections: ``text[start:end]`` of the report a section belongs to.

A report's text is found among the given files or folders by the file name the build recorded
(``kg:sourceFile``), else by its SHA-256 (``kg:sha256``).

>>> passages_for(data, ["../shared/sources"], {"https://w3id.org/nlpi-kg/doc/ala-2022-report/s2-1-2"})
... # doctest: +SKIP
{'https://w3id.org/nlpi-kg/doc/ala-2022-report/s2-1-2': '(二)…'}
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from kg.build.provenance import source_files
from kg.problems import UserError
from kg.build.provenance import read_source, sha256_of
from kg.viz.dataset import GraphData

__all__ = ["report_texts", "passages_for"]


def report_texts(data: GraphData, sources: Iterable[str | Path]) -> dict[str, str]:
    """Report IRI -> its text, for the reports whose text is among ``sources``."""
    files = source_files(sources)
    texts: dict[str, str] = {}
    by_name = {info["source_file"]: iri for iri, info in data.reports.items()
               if info["source_file"]}
    by_hash = {info["sha256"]: iri for iri, info in data.reports.items() if info["sha256"]}
    for path in files:
        text = None
        iri = by_name.get(path.name)
        if iri is not None:
            text = read_source(path)
            expected = data.reports[iri]["sha256"]
            if expected and sha256_of(text) != expected:
                continue  # same name, other text: offsets would point at the wrong words
        else:
            try:
                text = read_source(path)
            except UserError:
                continue
            iri = by_hash.get(sha256_of(text))
        if iri is not None and iri not in texts:
            texts[iri] = text
    return texts


def passages_for(data: GraphData, sources: Iterable[str | Path] | dict[str, str],
                 section_iris: Iterable[str]) -> dict[str, str]:
    """Section IRI -> its passage, for the given sections whose report text is available.

    ``sources`` is a list of files/folders, or an already-read mapping report IRI -> text.
    """
    texts = sources if isinstance(sources, dict) else report_texts(data, sources)
    passages = {}
    for iri in sorted(set(section_iris)):
        info = data.sections.get(iri)
        if not info or info["start"] is None or info["report"] not in texts:
            continue
        passages[iri] = texts[info["report"]][info["start"]:info["end"]].strip()
    return passages
