"""All outputs of a build appear together or not at all: write them into a staging folder
beside ``out/`` and swap it in with one atomic rename.

The swap is ``renameat2(RENAME_EXCHANGE)`` (Linux ≥ 3.15; ext4, tmpfs, btrfs, xfs, overlayfs):
the staging folder and ``out/`` trade places in one step, so a reader or a kill at any moment
sees the old folder or the new, never a mix. Where the exchange is not available the build
falls back to two renames (``out`` → ``.out.old-…``, staging → ``out``); a kill between them
leaves no ``out/`` for an instant, and the next build puts the old one back before it starts.
Staging folders of builds that were killed (their process is gone) are removed by the next
build. Files in ``out/`` that no build made (a slide image from ``kg snapshot``, notes) are
carried over by hard link; what the previous build made (listed in ``out/.kg-build``) is
replaced as a whole, so a view an earlier build wrote and this one does not is gone.

>>> with staged("out") as stage:                      # doctest: +SKIP
...     (stage / "kg.nt").write_bytes(b"")
"""

from __future__ import annotations

import ctypes
import errno
import os
import shutil
import signal
import tempfile
from contextlib import contextmanager
from pathlib import Path

from kg.problems import UserError

OWNED = {"kg.ttl", "kg.trig", "kg.jsonld", "kg.nt", "warnings.txt"}
MANIFEST = ".kg-build"   # the files the last build wrote, one per line
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def checkpoint(name: str) -> None:
    """A test hook: ``KG_TEST_KILL_AT=name`` kills this process here with SIGKILL, so tests
    can stop a real build at a chosen moment (tests/test_build_hardening.py)."""
    if os.environ.get("KG_TEST_KILL_AT") == name:
        os.kill(os.getpid(), signal.SIGKILL)


def _prefixes(out: Path) -> tuple[str, str]:
    return f".{out.name}.tmp-", f".{out.name}.old-"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _owner(name: str, prefix: str) -> int | None:
    pid = name[len(prefix):].split("-", 1)[0]
    return int(pid) if pid.isdigit() else None


def recover(out: Path) -> list[Path]:
    """Remove staging folders of dead builds beside ``out``; if a fallback swap was killed
    between its two renames, put the old ``out`` back. Returns what was removed."""
    stage_prefix, old_prefix = _prefixes(out)
    removed = []
    if not out.parent.is_dir():
        return removed
    olds = sorted(p for p in out.parent.iterdir() if p.name.startswith(old_prefix))
    for path in out.parent.iterdir():
        for prefix in (stage_prefix, old_prefix):
            if path.name.startswith(prefix):
                pid = _owner(path.name, prefix)
                if pid is not None and pid != os.getpid() and _alive(pid):
                    break  # another build is running: leave its folders alone
                if prefix == old_prefix and not out.exists() and path == olds[-1]:
                    os.rename(path, out)  # the swap was cut between its renames
                    break
                shutil.rmtree(path, ignore_errors=True)
                removed.append(path)
    return removed


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically; False when the system or file system cannot."""
    if os.environ.get("KG_NO_RENAME_EXCHANGE") == "1":
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*")
                  if p.is_file() or p.is_symlink())


def _built_before(out: Path) -> set[str] | None:
    """What the previous build wrote into ``out`` (its manifest), or None if unknown."""
    try:
        return set((out / MANIFEST).read_text(encoding="utf-8").split("\n")) - {""}
    except (OSError, UnicodeDecodeError):
        return None


def _carry_over(out: Path, stage: Path) -> None:
    """Write the manifest of what this build made, then hard-link (or copy) from the old
    ``out`` every file no build made (a slide image, notes). Files the previous build made
    and this one did not (a stale view) are left behind. Without a manifest (a folder from
    an older kg) the build's file names and every ``html/*.html`` count as the build's."""
    made = _files(stage)
    (stage / MANIFEST).write_text("".join(f"{name}\n" for name in made), encoding="utf-8")
    if not out.is_dir():
        return
    before = _built_before(out)
    for name in _files(out):
        if name in made or name == MANIFEST:
            continue
        if before is not None and name in before:
            continue
        if before is None and (name in OWNED or name.startswith("html/") and
                               name.endswith(".html")):
            continue
        target = stage / name
        target.parent.mkdir(parents=True, exist_ok=True)
        _link_or_copy(out / name, target)


def _link_or_copy(src, dst) -> None:
    try:
        if os.path.islink(src):
            os.symlink(os.readlink(src), dst)
        else:
            os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst, follow_symlinks=False)


def swap_in(stage: Path, out: Path) -> None:
    """Make ``stage`` the new ``out``; the old one is removed."""
    checkpoint("swap")
    if not out.exists():
        os.rename(stage, out)
        _fsync_dir(out.parent)
        return
    if _exchange(stage, out):
        _fsync_dir(out.parent)
        checkpoint("swapped")
        shutil.rmtree(stage, ignore_errors=True)
        return
    old = Path(tempfile.mkdtemp(prefix=f"{_prefixes(out)[1]}{os.getpid()}-", dir=out.parent))
    os.rmdir(old)
    os.rename(out, old)
    checkpoint("half-swapped")
    os.rename(stage, out)
    _fsync_dir(out.parent)
    shutil.rmtree(old, ignore_errors=True)


def write_failure(exc: OSError, out: Path) -> UserError:
    """An OSError while writing the outputs, as a message saying what to do."""
    where = exc.filename or out
    reason = {errno.ENOSPC: "the disk is full", errno.EDQUOT: "the disk quota is used up",
              errno.EACCES: "permission denied", errno.EPERM: "permission denied",
              errno.EROFS: "the file system is read-only"}.get(exc.errno, exc.strerror or exc)
    fix = {errno.ENOSPC: "free some space (the build needs room for a second copy of the "
                         "outputs while it writes)",
           errno.EDQUOT: "free some space or raise the quota",
           errno.EACCES: f"make {out.parent} writable, or pass --out DIR somewhere you can "
                         "write",
           errno.EPERM: f"make {out.parent} writable, or pass --out DIR",
           errno.EROFS: "pass --out DIR on a writable file system"}.get(
        exc.errno, "check the output folder")
    return UserError(f"cannot write the outputs ({reason}: {where}); {out} was left as it "
                     f"was; {fix}")


@contextmanager
def staged(out: str | Path):
    """Yield an empty staging folder beside ``out``; on a clean exit swap it in, else remove
    it. OSErrors (full disk, permissions, read-only) become a UserError with the fix."""
    out = Path(out)
    if out.is_symlink():
        out = out.resolve()
    if out.exists() and not out.is_dir():
        raise UserError(f"{out} exists and is not a folder; pass --out DIR for the outputs")
    stage = None
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        recover(out)
        stage = Path(tempfile.mkdtemp(prefix=f"{_prefixes(out)[0]}{os.getpid()}-",
                                      dir=out.parent))
        os.chmod(stage, 0o777 & ~_umask())
        checkpoint("staged")
        yield stage
        _carry_over(out, stage)
        checkpoint("carried")
        swap_in(stage, out)
        stage = None
    except OSError as exc:
        raise write_failure(exc, out) from None
    finally:
        if stage is not None:
            shutil.rmtree(stage, ignore_errors=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
