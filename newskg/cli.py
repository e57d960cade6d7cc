"""The `newskg` command: each subcommand calls one library function and reports errors."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from .errors import NewskgError, UsageError

EXIT_OK, EXIT_SKIPPED, EXIT_FAILED = 0, 1, 2


@click.group()
@click.version_option(package_name="newskg")
def main() -> None:
    """Knowledge graphs of diplomacy from French news articles."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--out", "out_dir", default="out", show_default=True, type=click.Path(path_type=Path),
              help="Folder for graph.ttl and graph.html.")
def build(paths: tuple[Path, ...], out_dir: Path) -> None:
    """Read articles (files or folders of .txt) and write the graph.

    With no PATH, builds seeds/. Exit status: 0 all built, 1 built with articles
    skipped, 2 nothing could be built.
    """
    from .pipeline import build as run_build

    try:
        report = run_build(list(paths) or [Path("seeds")], out_dir)
    except NewskgError as error:
        for problem in getattr(error, "problems", []):
            click.echo(f"newskg: {problem}", err=True)
        click.echo(f"newskg: {error}", err=True)
        sys.exit(EXIT_FAILED)
    for problem in report.problems:
        click.echo(f"newskg: {problem}", err=True)
    click.echo(report.summary())
    sys.exit(EXIT_SKIPPED if report.skipped else EXIT_OK)


@main.command()
@click.argument("articles", nargs=-1, required=True, type=click.Path(path_type=Path))
def explain(articles: tuple[Path, ...]) -> None:
    """Show each fact read from ARTICLES with its status, date, rule and sentence."""
    from .explain import explain as run_explain

    try:
        for line in run_explain(list(articles)):
            click.echo(line)
    except NewskgError as error:
        for problem in getattr(error, "problems", []):
            click.echo(f"newskg: {problem}", err=True)
        click.echo(f"newskg: {error}", err=True)
        sys.exit(EXIT_FAILED)


__all__ = ["main", "UsageError"]
