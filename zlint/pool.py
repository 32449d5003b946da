"""Worker processes for a run's per-file units (zlint/work.py).

A handful of units runs in the calling process (starting workers costs more than it saves);
more go to ``jobs`` worker processes. Each worker is a fork of the run (so it knows the project's
files and module names without being told), keeps the files it parsed between phases, and gets
the units of the files it already parsed; an idle worker takes work queued for a busy one. Units
return plain data, and their results do not depend on which process ran them or in what order,
so ``--jobs`` changes the time a run takes, never its findings.
"""

from __future__ import annotations

import gc
import os
import signal
import sys
import threading
import time
import traceback
from collections import deque

IN_PROCESS_BELOW = 8  # fewer units than this run in the calling process
MAX_CONTEXTS_PER_WORKER = 1500  # parsed files a worker keeps between units
_PARSING_UNITS = {"index", "check", "fix"}


class _Heap:
    """The cycle collector's view of a process that runs units.

    The parsed files a process keeps between units make a large heap of long-lived objects, and
    each of the collector's full passes walks all of it: on a tree of a few thousand parsed files
    that was a third of the run. After each unit that parses, one collection of what the unit
    left (its own cyclic garbage: analyzers and views) and a freeze of the rest (``gc.freeze``)
    keep later passes to what later units allocate. Frozen objects are still freed by their
    reference counts; what only the collector can free (the cycles of the parsed files that
    Project.trim forgets) is handed back to it once enough piled up, and ``thaw`` hands
    everything back at the end of a run (a process may run on: the tests, zlint fix)."""

    frozen = False
    forgotten = 0  # parsed files forgotten since the last thaw

    @classmethod
    def settle(cls, forgotten: int = 0, keep: int | None = None) -> None:
        cls.forgotten += forgotten
        if keep is not None and cls.forgotten > max(keep // 2, 1):
            cls.thaw()
        gc.collect()
        cls.freeze()

    @classmethod
    def freeze(cls) -> None:
        """What a run holds when its pool is made (files, settings, tables) stays to its end: the
        collector's full passes skip it, and so do forked workers' (no page copies for them)."""
        if gc.isenabled():
            gc.freeze()
            cls.frozen = True

    @classmethod
    def thaw(cls) -> None:
        if cls.frozen:
            gc.unfreeze()
            cls.frozen = False
        cls.forgotten = 0


def _after_unit(project, kind: str) -> None:
    """Between units: the parsed files beyond ``max_contexts`` are forgotten, the heap settled."""
    forgotten = project.trim()
    if kind in _PARSING_UNITS and gc.isenabled():
        _Heap.settle(forgotten or 0, project.max_contexts)


class _SlowFileNotice:
    """Names on stderr the file a unit has been analysing for a long time, and again each time as
    long again passes: a run that seems to hang says which file holds it, so that the file can be
    excluded and reported. An interval timer of the process that runs the unit (a worker or the
    calling process); ``ZLINT_SLOW_FILE_SECONDS`` sets the interval (default 60; 0: no notice)."""

    def __init__(self) -> None:
        try:
            seconds = max(0.0, float(os.environ.get("ZLINT_SLOW_FILE_SECONDS", "60")))
        except ValueError:
            seconds = 60.0
        usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
        self.seconds = seconds if usable else 0.0
        self._previous = None
        self._file = ""
        self._started = 0.0

    def __enter__(self) -> _SlowFileNotice:
        if self.seconds:
            self._previous = signal.signal(signal.SIGALRM, self._tell)
        return self

    def __exit__(self, *exc_info) -> None:
        if self.seconds:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, signal.SIG_DFL if self._previous is None else self._previous)

    def start(self, project, kind: str, path) -> None:
        if self.seconds and kind in _PARSING_UNITS:
            self._file, self._started = project.display(path), time.monotonic()
            signal.setitimer(signal.ITIMER_REAL, self.seconds, self.seconds)

    def stop(self) -> None:
        if self._file:
            signal.setitimer(signal.ITIMER_REAL, 0)
            self._file = ""

    def _tell(self, signum, frame) -> None:
        if not self._file:  # the timer ran out as the unit ended
            return
        took = time.monotonic() - self._started
        try:  # (raised here, an error would surface in whatever analysis code the signal lands in)
            os.write(2, f"zlint: {self._file}: still being analysed after {took:.0f} s\n".encode(errors="replace"))
        except OSError:
            pass


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def run_unit(project, kind: str, path, shared, extra):
    if kind == "scan":
        from zlint.engine import scan_file

        with_digest, keep = shared
        return scan_file(path, with_digest, keep)
    if kind == "uses":
        from zlint.engine import uses_in_worker

        return uses_in_worker(path, *shared)
    from zlint import work

    if kind == "index":
        return work.index_unit(project, path, shared)
    if kind == "check":
        return work.check_unit(project, path, shared, extra)
    if kind == "fix":
        from zlint.fixwork import fix_unit

        return fix_unit(project, shared, *extra)
    raise ValueError(f"unknown unit {kind!r}")


def _serve(connection, project, spec, others=()) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: it stops the workers
    for end in others:  # a forked worker's copies of the parent's pipe ends: with them open, the
        end.close()  # worker would never see the parent go (EOF) and outlive a killed run
    if project is None:
        from zlint.analysis.project import Project

        project = Project.from_spec(spec)
    project.max_contexts = MAX_CONTEXTS_PER_WORKER
    with _SlowFileNotice() as slow:
        _serve_units(connection, project, slow)


def _serve_units(connection, project, slow: _SlowFileNotice) -> None:
    while True:
        try:
            message = connection.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        kind, shared, items = message
        results = []
        for index, path, extra in items:
            slow.start(project, kind, path)
            try:
                results.append((index, True, run_unit(project, kind, path, shared, extra)))
            except Exception:  # noqa: BLE001 - reported in the parent, with the traceback
                results.append((index, False, traceback.format_exc()))
            finally:
                slow.stop()
            _after_unit(project, kind)
        try:
            connection.send(results)
        except OSError:
            return


class _Channel:
    """Two one-way pipes as one connection: ``recv`` from one, ``send`` to the other."""

    def __init__(self, reader, writer) -> None:
        self.reader = reader
        self.writer = writer

    def recv(self):
        return self.reader.recv()

    def send(self, value) -> None:
        self.writer.send(value)

    def fileno(self) -> int:
        return self.reader.fileno()

    def close(self) -> None:
        self.reader.close()
        self.writer.close()


class WorkerError(Exception):
    """A unit failed in a worker; the message holds the worker's traceback."""


class UnitPool:
    def __init__(self, jobs: int, project) -> None:
        self.jobs = max(1, jobs)
        self.project = project
        self._workers: list | None = None
        self._owner: dict = {}  # path -> the worker that ran a unit of it
        self._rank = {path: i for i, path in enumerate(project.paths)}
        _Heap.freeze()

    def run(self, kind: str, shared, items: list[tuple], chunk: int = 32, done=None) -> list:
        """Results of ``items`` ((path, extra) each), in their order; ``chunk``: the most items
        sent to a worker at once; ``done(n)`` is told as items finish (a progress bar)."""
        done = done or (lambda count: None)
        if self.jobs <= 1 or len(items) < IN_PROCESS_BELOW:
            results = []
            with _SlowFileNotice() as slow:
                for path, extra in items:
                    slow.start(self.project, kind, path)
                    try:
                        results.append(run_unit(self.project, kind, path, shared, extra))
                    finally:
                        slow.stop()
                    _after_unit(self.project, kind)  # max_contexts holds in this process too (None with keep_contexts)
                    done(1)
            return results
        if self._workers is None:
            self._start()
        return self._distribute(kind, shared, items, chunk, done)

    def _start(self) -> None:
        import multiprocessing

        methods = multiprocessing.get_all_start_methods()
        use_fork = "fork" in methods and sys.platform != "darwin"
        context = multiprocessing.get_context("fork" if use_fork else "spawn")
        spec = None if use_fork else self.project.spec()
        self._workers = []
        for _ in range(self.jobs):
            # one-way pipes (os.pipe), not Pipe()'s socket pair: zlint opens no socket
            task_reader, task_writer = context.Pipe(duplex=False)
            answer_reader, answer_writer = context.Pipe(duplex=False)
            parent_ends = [task_writer, answer_reader, *(end for _, channel in self._workers
                                                         for end in (channel.reader, channel.writer))]
            process = context.Process(target=_serve, args=(_Channel(task_reader, answer_writer),
                                                           self.project if use_fork else None, spec,
                                                           parent_ends if use_fork else ()), daemon=True)
            process.start()
            task_reader.close()
            answer_writer.close()
            self._workers.append((process, _Channel(answer_reader, task_writer)))

    def _distribute(self, kind: str, shared, items: list[tuple], largest: int, done) -> list:
        from multiprocessing.connection import wait

        count = len(self._workers)
        queues = [deque() for _ in range(count)]
        total = max(1, len(self._rank))
        for index, (path, extra) in enumerate(items):
            owner = self._owner.get(path)
            if owner is None:
                owner = self._rank.get(path, index) * count // total if path in self._rank else index % count
            queues[min(owner, count - 1)].append((index, path, extra))
        chunk = max(1, min(largest, len(items) // (count * 8)))
        results: list = [None] * len(items)
        busy: dict = {}  # connection -> (worker number, items sent)
        leftovers: list = []

        def next_chunk(number: int) -> list:
            own = queues[number]
            if not own:
                other = max(range(count), key=lambda n: len(queues[n]))
                own = queues[other]
                taken = [own.pop() for _ in range(min(chunk, len(own)))]
                taken.reverse()
            else:
                taken = [own.popleft() for _ in range(min(chunk, len(own)))]
            for _, path, _ in taken:
                self._owner[path] = number
            return taken

        def send(number: int) -> None:
            process, connection = self._workers[number]
            taken = next_chunk(number)
            if not taken:
                return
            try:
                connection.send((kind, shared, taken))
                busy[connection] = (number, taken)
            except (OSError, ValueError):
                leftovers.extend(taken)

        for number in range(count):
            send(number)
        while busy:
            for connection in wait(list(busy)):
                number, taken = busy.pop(connection)
                try:
                    answers = connection.recv()
                except (EOFError, OSError):
                    leftovers.extend(taken)  # the worker died: this process does its share
                    queues_left = [item for queue in queues for item in queue]
                    for queue in queues:
                        queue.clear()
                    leftovers.extend(queues_left)
                    continue
                for index, ok, value in answers:
                    if not ok:  # the worker's traceback with --debug, else its last line (as in one process)
                        raise WorkerError(value if os.environ.get("ZLINT_DEBUG") else value.strip().splitlines()[-1])
                    results[index] = value
                done(len(answers))
                send(number)
        for index, path, extra in leftovers:
            results[index] = run_unit(self.project, kind, path, shared, extra)
            _after_unit(self.project, kind)
            done(1)
        return results

    def close(self, wait: bool = True) -> None:
        """Stop the workers: after their current units, or at once (``wait=False``: the run was interrupted)."""
        _Heap.thaw()  # this run's objects are the collector's again
        if self._workers is None:
            return
        for _, connection in self._workers:
            try:
                connection.send(None)
                connection.close()
            except (OSError, ValueError):
                pass
        for process, _ in self._workers:
            if wait:
                process.join(timeout=5)
            if process.is_alive():
                process.terminate()
                process.join(timeout=1)
        self._workers = None
