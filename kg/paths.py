"""Where the project's folders are: ontology, data, queries, the source reports.

Defaults work from a checkout (or an editable install) and from the project folder as the
current directory; every command also takes explicit paths.

>>> project_root().joinpath("ontology").is_dir()
True
"""

from __future__ import annotations

from pathlib import Path


def project_root() -> Path:
    """The checkout that holds ``ontology/``: this package's parent, else the current folder."""
    here = Path(__file__).resolve().parent.parent
    if (here / "ontology").is_dir():
        return here
    return Path.cwd()


def ontology_dir() -> Path:
    return project_root() / "ontology"


def default_data_dir() -> Path:
    return Path("data") if Path("data").is_dir() else project_root() / "data"


def default_sources_dir() -> Path:
    """``../shared/sources`` next to the checkout, where the reports are kept."""
    return project_root().parent / "shared" / "sources"
