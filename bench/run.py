"""zlint's performance figures next to the floors they are measured against, in one run.

    python bench/run.py [--corpus DIR] [--jobs N]

Builds the sparse corpus with ../shared/bench/build_corpus.sh when DIR does not exist yet (PyPI
only), generates a dense tree (every file calls the territory endpoints), and prints a table:
read+regex floor, LibCST parse-all with the same process count, zlint cold on the sparse tree,
zlint on one file, zlint on the dense tree, with ratios and peak memory. Timings live here, never
in the test suite.
"""

from __future__ import annotations

import argparse
import os
import re
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
    return [Path(d) / f for d, _, files in os.walk(root) for f in files if f.endswith(".py")]


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
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def zlint(*args: str, cwd: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one zlint run, measured by a parent of its own."""
    command = [sys.executable, "-m", "zlint", "check", "--output-format", "concise", *args]
    out = subprocess.run([sys.executable, "-c", _MEASURE, *command], cwd=cwd, capture_output=True, text=True,
                         check=True).stdout.split()
    return float(out[0]), int(out[1]) / 1024


def build_dense(root: Path, count: int) -> None:
    for n in range(count):
        folder = root / f"pkg{n // 100}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"client_{n}.py").write_text(DENSE_TEMPLATE.format(n=n, version=(2, 7)[n % 2]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=Path(tempfile.gettempdir()) / "zlint-corpus")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--dense-files", type=int, default=2000)
    parser.add_argument("--skip-parse-all", action="store_true", help="skip the slow LibCST parse-all floor")
    options = parser.parse_args()
    corpus = options.corpus
    if not corpus.exists():
        subprocess.run(["bash", str(REPO.parent / "shared" / "bench" / "build_corpus.sh"), str(corpus)], check=True)
    files = python_files(corpus)
    lines = sum(p.read_bytes().count(b"\n") for p in files)
    print(f"sparse corpus: {len(files)} files, {lines / 1e6:.2f} M lines; jobs={options.jobs}")

    rows = []
    floor, _ = timed(read_and_regex, files)
    rows.append(("read every file + bytes regex (floor)", floor, None, "1.00"))
    if not options.skip_parse_all:
        parse_all, _ = timed(libcst_parse_all, files, options.jobs)
        rows.append((f"libcst.parse_module, all files, {options.jobs} procs", parse_all, None,
                     f"{parse_all / floor:.2f}"))
    cold, peak = zlint(str(corpus), cwd=corpus)
    rows.append(("zlint check, sparse tree, cold", cold, peak, f"{cold / floor:.2f}"))
    one = next(p for p in files if "zoho" not in p.name)
    single, peak_single = zlint(str(one), cwd=corpus)
    rows.append(("zlint check, one unrelated file", single, peak_single, "-"))

    with tempfile.TemporaryDirectory() as dense_dir:
        dense = Path(dense_dir)
        build_dense(dense, options.dense_files)
        dense_files = python_files(dense)
        dense_parse, _ = timed(libcst_parse_all, dense_files, options.jobs)
        rows.append((f"libcst.parse_module, dense ({len(dense_files)} files)", dense_parse, None, "1.00"))
        dense_check, dense_peak = zlint(".", cwd=dense)
        rows.append(("zlint check, dense tree", dense_check, dense_peak, f"{dense_check / dense_parse:.2f}"))

    print(f"{'what':<48} {'seconds':>8} {'peak MiB':>9} {'ratio':>6}")
    for name, seconds, peak_mib, ratio in rows:
        print(f"{name:<48} {seconds:>8.2f} {'' if peak_mib is None else f'{peak_mib:.0f}':>9} {ratio:>6}")
    print("ratios: sparse rows against the read+regex floor, dense rows against LibCST's parse of the dense tree")


if __name__ == "__main__":
    main()
