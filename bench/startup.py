"""Start-up: what loading the model, the gazetteer and the rules costs, in a fresh process.

    python bench/startup.py [--repeat 5]

Prints, for the reference gazetteer alone (the 117 verified entities and the hand-made
extras, what newskg read before the world table) and for the full one (plus
ontology/world.tsv: every country, 30,000 cities, the bodies), the seconds spent loading
fr_core_news_md, reading the gazetteer and building the phrase tables and matchers. Each
figure is the fastest of --repeat fresh processes.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = """
import json, sys, time
sys.path.insert(0, {root!r})
t0 = time.perf_counter()
from newskg.extractors import model
nlp = model.load()
t1 = time.perf_counter()
from newskg import ontology
from newskg.extractors.gazetteer import Gazetteer
from newskg.extractors.lexicon import Lexicon
from newskg.extractors.relations import RelationExtractor
files = [ontology.GAZETTEER, ontology.GAZETTEER_EXTRA]
gazetteer = Gazetteer(files, ontology.ROLES, ontology.LEADING_OFFICE,
                      generated_files=(ontology.WORLD,) if {world} else ())
t2 = time.perf_counter()
extractor = RelationExtractor(nlp, gazetteer, Lexicon.load())
t3 = time.perf_counter()
print(json.dumps({{"model": t1 - t0, "gazetteer": t2 - t1, "rules": t3 - t2,
                   "entities": len(gazetteer.entities),
                   "phrases": len(extractor.finder.names.phrases)}}))
"""


def run(world: bool) -> dict:
    code = CHILD.format(root=str(ROOT), world=world)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print(f"{'gazetteer':<10} {'entities':>8} {'phrases':>8} {'model s':>8} {'gazetteer s':>11} "
          f"{'rules s':>8} {'added s':>8}")
    for world in (False, True):
        runs = [run(world) for _ in range(args.repeat)]
        best = {k: min(r[k] for r in runs) for k in ("model", "gazetteer", "rules")}
        first = runs[0]
        print(f"{'full' if world else 'reference':<10} {first['entities']:>8} {first['phrases']:>8} "
              f"{best['model']:>8.2f} {best['gazetteer']:>11.2f} {best['rules']:>8.2f} "
              f"{best['gazetteer'] + best['rules']:>8.2f}")


if __name__ == "__main__":
    main()
