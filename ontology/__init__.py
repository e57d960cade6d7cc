"""The ontology, SHACL shapes and entity data of newskg, shipped as data files."""
from pathlib import Path

HERE = Path(__file__).resolve().parent
ONTOLOGY = HERE / "newskg.ttl"
SHAPES = HERE / "shapes.ttl"
GAZETTEER = HERE / "gazetteer.tsv"
GAZETTEER_EXTRA = HERE / "gazetteer-extra.tsv"
WORLD = HERE / "world.tsv"
ROLES = HERE / "roles.tsv"
LEADING_OFFICE = HERE / "leading-office.tsv"
JSONLD_CONTEXT = HERE / "context.jsonld"
