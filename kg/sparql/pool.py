"""A small pool of killable query worker processes (``kg.sparql.worker``) for ``kg serve``.

At start the dataset is bulk-loaded once into an on-disk Oxigraph store in a temporary folder;
each worker opens it read-only. A query goes to an idle worker; past its time limit the worker
is killed (SIGKILL, then reaped, so its CPU and memory are free before the 503 is sent) and a
fresh one is started in the background. When every worker is busy and ``max_waiting``
requests already wait, the next one is refused at once (PoolBusy → HTTP 429).

>>> pool = WorkerPool.from_trig("out/kg.trig", size=2)             # doctest: +SKIP
>>> reply = asyncio.run(pool.run({"query": "ASK {}", "formats": ["json", "turtle"]}))  # doctest: +SKIP
>>> reply.status, reply.body                                        # doctest: +SKIP
(200, b'{"head":{},"boolean":true}')
"""

from __future__ import annotations

import asyncio
import json
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from kg.problems import UserError

__all__ = ["WorkerPool", "Reply", "PoolBusy", "WorkerTimeout", "WorkerDied", "make_store_copy"]

SPAWN_TIMEOUT = 60.0


class PoolBusy(Exception):
    """Every worker is busy and the waiting line is full."""


class WorkerTimeout(Exception):
    """The worker did not answer within the query's time limit (it has been killed)."""


class WorkerDied(Exception):
    """The worker process ended while answering (a crash, or its memory cap)."""


@dataclass
class Reply:
    status: int
    body: bytes = b""
    media: str = ""
    kind: str = ""
    message: str = ""


def make_store_copy(trig: Path) -> tuple[Path, int]:
    """Bulk-load ``trig`` into a new on-disk store in a temporary folder: (folder, quads)."""
    import pyoxigraph

    if not trig.is_file():
        raise UserError(f"{trig}: no built dataset; run `kg build` first (or pass --out to "
                        "the folder that holds kg.trig)")
    folder = Path(tempfile.mkdtemp(prefix="kg-serve-store-"))
    try:
        store = pyoxigraph.Store(str(folder))
        store.bulk_load(path=str(trig), format=pyoxigraph.RdfFormat.TRIG)
        store.flush()
        quads = len(store)
        del store
    except SyntaxError as exc:
        shutil.rmtree(folder, ignore_errors=True)
        raise UserError(f"{trig}: not readable as TriG ({exc}); rebuild it with `kg build`") \
            from None
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return folder, quads


class _Worker:
    """One worker process and its pipes; ``ask`` is awaited on the server's event loop."""

    def __init__(self, store: Path, max_result_bytes: int, max_memory_mb: int):
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "kg.sparql.worker", str(store),
             "--max-result-bytes", str(max_result_bytes), "--max-memory-mb", str(max_memory_mb)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env,
            start_new_session=True)  # Ctrl-C in the terminal reaches the server, not the workers
        self._buffer = bytearray()
        header, _ = self._read(time.monotonic() + SPAWN_TIMEOUT)
        if header.get("status") != "ready":
            self.kill()
            raise WorkerDied("the worker did not start")

    def _fill(self, deadline: float | None) -> None:
        fd = self.process.stdout.fileno()
        remaining = None if deadline is None else deadline - time.monotonic()
        if remaining is not None and remaining <= 0:
            raise WorkerTimeout()
        ready, _, _ = select.select([fd], [], [], remaining)
        if not ready:
            raise WorkerTimeout()
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            raise WorkerDied(self._death())
        self._buffer += chunk

    def _read(self, deadline: float | None) -> tuple[dict, bytes]:
        while b"\n" not in self._buffer:
            self._fill(deadline)
        line, _, rest = bytes(self._buffer).partition(b"\n")
        self._buffer = bytearray(rest)
        header = json.loads(line)
        length = int(header.get("length") or 0)
        while len(self._buffer) < length:
            self._fill(deadline)
        body, self._buffer = bytes(self._buffer[:length]), self._buffer[length:]
        return header, body

    def _death(self) -> str:
        code = self.process.wait()
        if code < 0:
            name = signal.Signals(-code).name if -code in signal.Signals._value2member_map_ \
                else str(-code)
            return f"the worker was ended by {name}"
        return f"the worker exited with status {code}"

    def _message(self) -> tuple[dict, bytes] | None:
        """A complete reply from the buffer, or None while it is incomplete."""
        if b"\n" not in self._buffer:
            return None
        line, _, rest = bytes(self._buffer).partition(b"\n")
        header = json.loads(line)
        length = int(header.get("length") or 0)
        if len(rest) < length:
            return None
        self._buffer = bytearray(rest[length:])
        return header, rest[:length]

    async def ask(self, request: dict, timeout: float | None) -> Reply:
        """exchange() on the event loop: the reply is read as it arrives, no thread."""
        loop = asyncio.get_running_loop()
        fd = self.process.stdout.fileno()
        done: asyncio.Future = loop.create_future()

        def readable() -> None:
            try:
                chunk = os.read(fd, 1 << 20)
            except BlockingIOError:
                return
            except OSError as exc:
                chunk = b""
                if not done.done():
                    done.set_exception(WorkerDied(str(exc)))
            if not chunk:
                if not done.done():
                    done.set_exception(WorkerDied("the worker closed its output"))
                return
            self._buffer += chunk
            message = self._message()
            if message is not None and not done.done():
                done.set_result(message)

        try:
            self.process.stdin.write(json.dumps(request).encode("utf-8") + b"\n")
            self.process.stdin.flush()
        except (BrokenPipeError, OSError):
            raise WorkerDied(self._death()) from None
        loop.add_reader(fd, readable)
        try:
            header, body = await asyncio.wait_for(done, timeout)
        except (asyncio.TimeoutError, TimeoutError):
            raise WorkerTimeout() from None
        except WorkerDied:
            raise WorkerDied(self._death()) from None
        finally:
            loop.remove_reader(fd)
        return Reply(int(header.get("status", 500)), body, header.get("media", ""),
                     header.get("kind", ""), header.get("message", ""))

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            try:
                stream.close()
            except OSError:
                pass


class WorkerPool:
    """``size`` workers over the store folder; ``run`` is awaited from the server's event loop."""

    def __init__(self, store: Path, *, size: int = 2, max_waiting: int = 16,
                 timeout: float | None = 30.0, max_result_bytes: int = 100_000_000,
                 max_memory_mb: int = 0, owns_store: bool = False):
        self.store, self.size, self.max_waiting, self.timeout = store, size, max_waiting, timeout
        self.max_result_bytes, self.max_memory_mb = max_result_bytes, max_memory_mb
        self.owns_store = owns_store
        self.respawns = 0
        self._idle: asyncio.Queue | None = None
        self._waiting = 0
        self._all: set[_Worker] = set()
        self._tasks: set[asyncio.Task] = set()
        self._closed = False

    @classmethod
    def from_trig(cls, trig: Path, **options) -> "WorkerPool":
        folder, quads = make_store_copy(Path(trig))
        pool = cls(folder, owns_store=True, **options)
        pool.quads = quads
        return pool

    def _spawn(self) -> _Worker:
        worker = _Worker(self.store, self.max_result_bytes, self.max_memory_mb)
        self._all.add(worker)
        return worker

    def start(self) -> None:
        """Start the workers (blocking; call before serving). UserError if one cannot start."""
        try:
            self._ready = [self._spawn() for _ in range(self.size)]
        except WorkerDied as exc:
            self.close()
            raise UserError(f"cannot start a query worker ({exc}); check that "
                            f"{self.store} is readable") from None

    def _queue(self) -> asyncio.Queue:
        if self._idle is None:
            self._idle = asyncio.Queue()
            for worker in self._ready:
                self._idle.put_nowait(worker)
        return self._idle

    @property
    def busy(self) -> int:
        idle = self._idle.qsize() if self._idle is not None else len(self._ready)
        return len(self._all) - idle

    async def run(self, request: dict) -> Reply:
        """The worker's reply; PoolBusy, WorkerTimeout (worker killed) or WorkerDied."""
        queue = self._queue()
        if queue.empty() and self._waiting >= self.max_waiting:
            raise PoolBusy()
        self._waiting += 1
        try:
            while True:
                worker = await queue.get()
                if worker.process.poll() is None:
                    break
                self._all.discard(worker)   # died while idle (killed from outside): replace it
                worker.kill()
                self._replace()
        finally:
            self._waiting -= 1
        return await self._use(worker, request)

    async def _use(self, worker: _Worker, request: dict) -> Reply:
        import anyio

        try:
            reply = await worker.ask(request, self.timeout)
        except BaseException:
            await anyio.to_thread.run_sync(worker.kill)
            self._all.discard(worker)
            self._replace()
            raise
        self._queue().put_nowait(worker)
        return reply

    def _replace(self) -> None:
        if self._closed:
            return
        self.respawns += 1
        task = asyncio.get_running_loop().create_task(self._respawn())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _respawn(self) -> None:
        import anyio

        delay = 0.1
        while not self._closed:
            try:
                worker = await anyio.to_thread.run_sync(self._spawn)
            except (WorkerDied, WorkerTimeout, OSError) as exc:
                print(f"kg serve: a query worker failed to start ({exc}); retrying",
                      file=sys.stderr)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)
                continue
            if self._closed:
                worker.kill()
                return
            self._queue().put_nowait(worker)
            return

    def close(self) -> None:
        """Kill every worker and remove the store copy (if the pool made it)."""
        self._closed = True
        for task in list(self._tasks):
            task.cancel()
        for worker in list(self._all):
            worker.kill()
        self._all.clear()
        if self.owns_store:
            shutil.rmtree(self.store, ignore_errors=True)

    def pids(self) -> list[int]:
        return sorted(w.process.pid for w in self._all if w.process.poll() is None)
