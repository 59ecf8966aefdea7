"""Files: where the project's folders are (ontology, data, queries, the source reports), and
writing a file atomically so readers see the old version or the new, never half.

Defaults work from a checkout (or an editable install) and from the project folder as the
current directory; every command also takes explicit paths.

>>> project_root().joinpath("ontology").is_dir()
True
"""

from __future__ import annotations

import os
import tempfile
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


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the new, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        publish(Path(tmp), path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def publish(tmp: Path, path: Path) -> Path:
    """Give a finished temporary file the usual permissions and rename it over ``path``."""
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)
    os.replace(tmp, path)
    return path
