"""zlint's performance figures next to the floors they are measured against, in one run.

    python bench/run.py [--corpus DIR] [--jobs N] [--dense-files N] [--repeat N] [--skip-parse-all]

Builds the sparse corpus with ../shared/bench/build_corpus.sh when DIR does not exist yet (PyPI
only) and works on a hard-linked copy of it (so zlint's config and cache never land in the shared
corpus), generates a dense tree (every file calls the territory endpoints), and prints a table:

* floors: read every file + one bytes regex (in-process), LibCST's parse of every file with the
  same number of processes, ruff's default rules when ruff is installed;
* zlint on the sparse tree: cold (no cache), warm (nothing changed), ``--jobs`` 1 and N, and the
  pre-commit case: one named file, just edited, warm cache of the project, once a file that has
  nothing to do with Zoho and once one that must be parsed;
* zlint on the dense tree: cold with ``--jobs`` 1 and N, warm, and ``zlint fix`` next to its check;
* peak memory (the largest process of the run: the parent, or one worker).

Each figure is the best of ``--repeat`` runs (one run for those over 20 s), measured as a whole
command (start-up included) by a parent process of its own. Timings live here, never in the test
suite. zlint's own modules are byte-compiled first (this environment sets PYTHONDONTWRITEBYTECODE,
an installed wheel would have them compiled).
"""

from __future__ import annotations

import argparse
import compileall
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
WORDS = re.compile(rb"assign_territories|remove_territories|assign_territory_to_record")

DENSE_TEMPLATE = '''import requests

BASE = "https://www.zohoapis.com/crm/v{version}"


def assign_{n}(record_id, territory_id, session=requests):
    r = session.post(f"{{BASE}}/Leads/{{record_id}}/actions/assign_territories",
                     json={{"data": [{{"Territories": [{{"id": territory_id}}]}}]}})
    if r.status_code != 200:
        raise RuntimeError(r.text)
    return r.json()["data"][0]["code"] == "SUCCESS"


def remove_{n}(ids):
    resp = requests.post(BASE + "/Deals/actions/remove_territories", json={{"data": [{{"id": i}} for i in ids]}})
    return [item["details"]["job_id"] for item in resp.json()["data"]]
'''


def python_files(root: Path) -> list[Path]:
    return [Path(d) / f for d, dirs, files in os.walk(root) for f in files if f.endswith(".py")
            if ".zlint_cache" not in d]


def read_and_regex(files: list[Path]) -> int:
    hits = 0
    for path in files:
        if WORDS.search(path.read_bytes()):
            hits += 1
    return hits


def _parse(path: Path) -> bool:
    import libcst

    try:
        libcst.parse_module(path.read_bytes())
        return True
    except Exception:  # noqa: BLE001 - some corpus files are not valid for the parser
        return False


def libcst_parse_all(files: list[Path], jobs: int) -> int:
    with ProcessPoolExecutor(jobs) as pool:
        return sum(pool.map(_parse, files, chunksize=16))


def timed(function, *args) -> tuple[float, object]:
    start = time.perf_counter()
    value = function(*args)
    return time.perf_counter() - start, value


_MEASURE = """
import resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
print(time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, done.returncode)
sys.stderr.write(done.stderr.decode(errors="replace")[-2000:] if done.returncode not in (0, 1) else "")
"""


def measure(command: list[str], cwd: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB, the largest process) of one command, by a parent of its own."""
    run = subprocess.run([sys.executable, "-c", _MEASURE, *command], cwd=cwd, capture_output=True, text=True,
                         check=True)
    seconds, peak, code = run.stdout.split()
    if int(code) not in (0, 1):
        raise RuntimeError(f"{' '.join(command)} exited {code}: {run.stderr}")
    return float(seconds), int(peak) / 1024


def zlint(*args: str, cwd: Path, repeat: int = 1, before=None) -> tuple[float, float]:
    """Best wall time (and the peak memory of that run) of ``zlint ARGS`` over ``repeat`` runs;
    ``before`` runs (untimed) before each one."""
    command = [sys.executable, "-m", "zlint", *args]
    best = None
    for _ in range(repeat):
        if before is not None:
            before()
        found = measure(command, cwd)
        best = found if best is None or found[0] < best[0] else best
        if found[0] > 20:
            break
    return best


def build_dense(root: Path, count: int) -> None:
    for n in range(count):
        folder = root / f"pkg{n // 100}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"client_{n}.py").write_text(DENSE_TEMPLATE.format(n=n, version=(2, 7)[n % 2]))


def settle() -> None:
    """Let two seconds pass: zlint's cache trusts a file's (or folder's) stat only once it is older
    than that (a change within the same clock tick could otherwise go unseen), so a run right
    after the cache was made re-reads; a user's next run comes later than that."""
    time.sleep(2.2)


def touch_content(path: Path, original: bytes) -> None:
    """A real edit (a comment at the end), written as editors do: a new file renamed over the old
    (the corpus copy is hard-linked: the shared corpus keeps its bytes)."""
    temporary = path.with_name(path.name + ".bench-tmp")
    temporary.write_bytes(original + f"# edited {time.time_ns()}\n".encode())
    os.replace(temporary, path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=Path(tempfile.gettempdir()) / "zlint-corpus")
    parser.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
                        else os.cpu_count() or 1)
    parser.add_argument("--dense-files", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (the best counts)")
    parser.add_argument("--skip-parse-all", action="store_true", help="skip the slow LibCST parse-all floor")
    options = parser.parse_args()
    jobs, repeat = options.jobs, options.repeat
    corpus = options.corpus
    if not corpus.exists():
        subprocess.run(["bash", str(REPO.parent / "shared" / "bench" / "build_corpus.sh"), str(corpus)], check=True)
    compileall.compile_dir(str(REPO / "zlint"), quiet=1)
    work = Path(tempfile.mkdtemp(prefix="zlint-bench-"))
    try:
        sparse = work / "sparse"
        subprocess.run(["cp", "-al", str(corpus), str(sparse)], check=True)
        (sparse / "zlint.toml").write_text('# the project root for zlint (pre-commit runs index from here)\n'
                                           'select = ["ALL"]\n')
        run_bench(sparse, jobs, repeat, options)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run_bench(sparse: Path, jobs: int, repeat: int, options) -> None:
    files = python_files(sparse)
    lines = sum(p.read_bytes().count(b"\n") for p in files)
    print(f"sparse corpus: {len(files)} files, {lines / 1e6:.2f} M lines; jobs={jobs}; repeat={repeat}", flush=True)
    rows: list[tuple[str, float, float | None, str, str]] = []

    def row(name, seconds, peak=None, ratio="", target=""):
        rows.append((name, seconds, peak, ratio, target))
        print(f"  {name}: {seconds:.2f} s" + (f", {peak:.0f} MiB" if peak is not None else ""), flush=True)

    floor = min(timed(read_and_regex, files)[0] for _ in range(repeat))
    row("read every file + bytes regex (floor)", floor, None, "1.00")
    if not options.skip_parse_all:
        parse_all, _ = timed(libcst_parse_all, files, jobs)
        row(f"libcst.parse_module, all files, {jobs} procs", parse_all, None, f"{parse_all / floor:.1f}")
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    if ruff:
        seconds = min(measure([ruff, "check", "--no-cache", "--exit-zero", "--quiet", "."], sparse)[0]
                      for _ in range(repeat))
        row("ruff check, default rules (no cache)", seconds, None, f"{seconds / floor:.2f}")

    cache = sparse / ".zlint_cache"
    clear = lambda: shutil.rmtree(cache, ignore_errors=True)  # noqa: E731
    check = ["check", "--output-format", "concise"]
    cold, cold_peak = zlint(*check, ".", cwd=sparse, repeat=repeat, before=clear)
    row("zlint check, sparse, cold (no cache yet)", cold, cold_peak, f"{cold / floor:.2f}", "<= 2.00 x floor")
    for n in sorted({1, jobs}):
        seconds, peak = zlint(*check, "--no-cache", "--jobs", str(n), ".", cwd=sparse, repeat=repeat)
        row(f"zlint check, sparse, --no-cache --jobs {n}", seconds, peak, f"{seconds / floor:.2f}")
    zlint(*check, ".", cwd=sparse)  # fills the cache
    settle()
    zlint(*check, ".", cwd=sparse)  # and notes what the run read, now that nothing changed for 2 s
    warm, warm_peak = zlint(*check, ".", cwd=sparse, repeat=repeat)
    row("zlint check, sparse, warm (nothing changed)", warm, warm_peak, f"{warm / cold:.3f} of cold", "< 0.10 of cold")

    unrelated = sparse / "requests" / "requests" / "status_codes.py"
    related = sparse / "zoho_territory_samples" / "zoho_bulk_assign.py"
    for label, path, target in (("unrelated", unrelated, "< 0.3 s"), ("parsed", related, "< 1.0 s")):
        original = path.read_bytes()
        try:
            seconds, peak = zlint(*check, str(path.relative_to(sparse)), cwd=sparse, repeat=repeat,
                                  before=lambda path=path, original=original: touch_content(path, original))
        finally:
            touch_content(path, original)
            path.write_bytes(original)
        row(f"pre-commit: 1 edited {label} file, warm project", seconds, peak, "", target)

    with tempfile.TemporaryDirectory() as dense_dir:
        dense = Path(dense_dir) / "dense"
        build_dense(dense, options.dense_files)
        dense_files = python_files(dense)
        dense_parse = min(timed(libcst_parse_all, dense_files, jobs)[0] for _ in range(max(1, repeat - 1)))
        row(f"libcst.parse_module, dense ({len(dense_files)} files), {jobs} procs", dense_parse, None, "1.00")
        dense_cold = None
        for n in sorted({1, jobs}, reverse=True):
            seconds, peak = zlint(*check, "--no-cache", "--jobs", str(n), ".", cwd=dense, repeat=repeat)
            row(f"zlint check, dense, --no-cache --jobs {n}", seconds, peak, f"{seconds / dense_parse:.2f}",
                "<= 1.50 x parse" if n == jobs else "")
            if n == jobs:
                dense_cold = seconds
        zlint(*check, ".", cwd=dense)
        settle()
        zlint(*check, ".", cwd=dense)
        seconds, peak = zlint(*check, ".", cwd=dense, repeat=repeat)
        row("zlint check, dense, warm (nothing changed)", seconds, peak, f"{seconds / dense_cold:.3f} of cold")
        fixed = Path(dense_dir) / "fixed"
        shutil.copytree(dense, fixed, ignore=shutil.ignore_patterns(".zlint_cache"))
        fix_seconds, fix_peak = zlint("fix", ".", cwd=fixed)
        row("zlint fix, dense (writes every file)", fix_seconds, fix_peak, f"{fix_seconds / dense_cold:.2f} of check",
            "<= 2.00 x check")
        profiled = Path(dense_dir) / "profiled"  # where a fix's time goes, from another run
        shutil.copytree(dense, profiled, ignore=shutil.ignore_patterns(".zlint_cache"))
        steps = subprocess.run([sys.executable, "-m", "zlint", "fix", "--profile", "."], cwd=profiled,
                               capture_output=True, text=True).stderr

    print()
    print(f"{'what':<52} {'seconds':>8} {'peak MiB':>9} {'ratio':>16}  target")
    for name, seconds, peak_mib, ratio, target in rows:
        print(f"{name:<52} {seconds:>8.2f} {'' if peak_mib is None else f'{peak_mib:.0f}':>9} {ratio:>16}  {target}")
    print("ratios: sparse rows against the read+regex floor, dense rows against LibCST's parse of the dense tree "
          "(same process count); peak MiB: the largest single process (parent or a worker)")
    if steps:
        print(f"\nzlint fix --profile on the dense tree (another run):\n{steps}", end="")


if __name__ == "__main__":
    main()
