"""Throughput, memory and cores: the full build against the bare spaCy parse, side by side.

    python bench/build.py --sizes 1000,10000 [--processes 1,2] [--repeat 3]

For each corpus size (a synthetic corpus from bench/corpus.py, as JSON Lines) and each
process count, runs in a fresh process: the bare parse (nlp.pipe with the same model,
components and batch size) and the full `newskg build` (reading, parsing, extraction,
linking, RDF, Turtle and the page). Prints articles/s, words/s, their ratio, peak RSS and
the graph's size. On a shared virtual machine one run of the same parse varies by several
per cent, so `--repeat N` alternates bare and full N times and keeps the fastest of each
(and the highest peak memory).
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _peak_mb(who) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def texts(corpus: Path):
    """The corpus's texts, streamed: the measuring process holds no more than the build."""
    with open(corpus, encoding="utf-8") as handle:
        for line in handle:
            yield json.loads(line)["text"]


def measure(kind: str, corpus: Path, processes: int) -> dict:
    articles = words = 0
    for text in texts(corpus):
        articles, words = articles + 1, words + len(text.split())
    if kind == "bare":
        from newskg.extractors.model import load

        nlp = load()
        start = time.perf_counter()
        for _ in nlp.pipe(texts(corpus), batch_size=16, n_process=processes):
            pass
        seconds, triples = time.perf_counter() - start, 0
    else:
        from newskg.pipeline import Extraction, build

        extraction = Extraction()
        with tempfile.TemporaryDirectory() as out:
            start = time.perf_counter()
            report = build([corpus], Path(out), extraction, processes=processes)
            seconds, triples = time.perf_counter() - start, report.triples
    return {"kind": kind, "articles": articles, "words": words, "seconds": seconds,
            "processes": processes, "triples": triples,
            "rss_main_mb": _peak_mb(resource.RUSAGE_SELF),
            "rss_children_mb": _peak_mb(resource.RUSAGE_CHILDREN)}


def run(kind: str, corpus: Path, processes: int) -> dict:
    out = subprocess.run([sys.executable, __file__, "--measure", kind, "--corpus", str(corpus),
                          "--processes", str(processes)], capture_output=True, text=True,
                         check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--processes", default="2")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--measure", choices=["bare", "full"])
    parser.add_argument("--corpus", type=Path)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args.corpus, int(args.processes))))
        return
    from bench.corpus import write

    print(f"{'articles':>8} {'proc':>4} {'bare art/s':>10} {'full art/s':>10} {'words/s':>9} "
          f"{'ratio':>6} {'RSS main':>9} {'RSS worker':>10} {'triples':>9}", flush=True)
    with tempfile.TemporaryDirectory() as folder:
        for size in (int(s) for s in args.sizes.split(",")):
            corpus = Path(folder) / f"corpus-{size}.jsonl"
            write(size, corpus)
            for processes in (int(p) for p in args.processes.split(",")):
                bares, fulls = [], []
                for _ in range(args.repeat):
                    bares.append(run("bare", corpus, processes))
                    fulls.append(run("full", corpus, processes))
                bare, full = (min(runs, key=lambda r: r["seconds"]) for runs in (bares, fulls))
                for key in ("rss_main_mb", "rss_children_mb"):
                    full[key] = max(r[key] for r in fulls)
                rate = lambda r: r["articles"] / r["seconds"]
                print(f"{size:>8} {processes:>4} {rate(bare):>10.1f} {rate(full):>10.1f} "
                      f"{full['words'] / full['seconds']:>9.0f} {rate(full) / rate(bare):>6.2f} "
                      f"{full['rss_main_mb']:>7.0f}MB {full['rss_children_mb']:>8.0f}MB "
                      f"{full['triples']:>9}", flush=True)


if __name__ == "__main__":
    main()
