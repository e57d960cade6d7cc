"""Times the ready queries (queries/*.rq) and graph I/O on Oxigraph and on rdflib.

    python bench/queries.py GRAPH.nt|ttl [--rdflib-timeout 120]

Prints one line per measure. rdflib runs each query in a child process with a time
limit, since on a million triples some take minutes.
"""
from __future__ import annotations

import argparse
import multiprocessing as mp
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newskg.graph.store import PREFIX_IRIS, open_graph  # noqa: E402

TWO_HOP = ("SELECT ?p ?city WHERE { ?s rdf:subject ?p ; rdf:predicate nkg:visits ; "
           "nkg:location ?l . ?l nkg:inCountry ?c . ?c rdfs:label ?city }")
AGGREGATE = ("SELECT ?o (COUNT(*) AS ?n) WHERE { ?s rdf:predicate nkg:visits ; rdf:object ?o } "
             "GROUP BY ?o ORDER BY DESC(?n)")


def queries() -> dict[str, str]:
    found = {"two-hop": TWO_HOP, "aggregate": AGGREGATE}
    for path in sorted((ROOT / "queries").glob("*.rq")):
        found[path.stem] = path.read_text(encoding="utf-8")
    return found


def _rdflib_worker(path: str, query: str, result) -> None:
    from rdflib import Graph

    graph = Graph()
    graph.parse(path, format="nt" if path.endswith(".nt") else "turtle")
    head = "".join(f"PREFIX {k}: <{v}>\n" for k, v in PREFIX_IRIS.items())
    start = time.perf_counter()
    rows = len(list(graph.query(head + query)))
    result.put((time.perf_counter() - start, rows))


def rdflib_time(path: str, query: str, timeout: float):
    result = mp.Queue()
    process = mp.Process(target=_rdflib_worker, args=(path, query, result))
    process.start()
    process.join(timeout)
    if process.is_alive():
        process.kill()
        return None, None
    return result.get() if not result.empty() else (None, None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("graph")
    parser.add_argument("--rdflib-timeout", type=float, default=120)
    parser.add_argument("--no-rdflib", action="store_true")
    parser.add_argument("--rdflib-queries", default="",
                        help="comma-separated query names to time on rdflib (default: all)")
    args = parser.parse_args()

    start = time.perf_counter()
    store = open_graph(Path(args.graph))
    print(f"graph {args.graph}: {len(store)} triples")
    print(f"oxigraph load: {time.perf_counter() - start:.2f} s")
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        ox.serialize((q.triple for q in store), f"{folder}/g.ttl", format=ox.RdfFormat.TURTLE,
                     prefixes=PREFIX_IRIS)
        print(f"oxigraph write turtle: {time.perf_counter() - start:.2f} s")
        if not args.no_rdflib:
            from rdflib import Graph

            start = time.perf_counter()
            graph = Graph()
            graph.parse(args.graph, format="nt" if args.graph.endswith(".nt") else "turtle")
            print(f"rdflib parse: {time.perf_counter() - start:.2f} s")
            start = time.perf_counter()
            graph.serialize(f"{folder}/r.ttl", format="turtle")
            print(f"rdflib write turtle: {time.perf_counter() - start:.2f} s")
            del graph
    print(f"{'query':<20} {'oxigraph':>10} {'rows':>8} {'rdflib':>10}")
    for name, text in queries().items():
        start = time.perf_counter()
        result = store.query(text, prefixes=PREFIX_IRIS)
        rows = len(list(result)) if not isinstance(result, ox.QueryBoolean) else 1
        ox_time = time.perf_counter() - start
        shown = "skipped"
        wanted = [q for q in args.rdflib_queries.split(",") if q]
        if not args.no_rdflib and (not wanted or name in wanted):
            seconds, _ = rdflib_time(args.graph, text, args.rdflib_timeout)
            shown = f"{seconds:.3f} s" if seconds is not None else f">{args.rdflib_timeout:.0f} s"
        print(f"{name:<20} {ox_time:>8.3f} s {rows:>8} {shown:>10}")


if __name__ == "__main__":
    main()
