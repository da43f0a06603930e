"""``ipwire cluster``: group processed articles into incidents."""

from __future__ import annotations

import click

from ipwire.cli import AppContext
from ipwire.cli.output import emit_json, format_options, output_format, quiet
from ipwire.jobs.cluster import cluster_pending


@click.command()
@click.option(
    "--rebuild",
    is_flag=True,
    help="Forget the clustering state and cluster every article again (slugs are kept).",
)
@format_options
@click.pass_obj
def cluster(app: AppContext, rebuild: bool) -> None:
    """Group processed articles into incidents and refresh the incidents that changed.

    Incremental: each new article joins the incidents it is linked to (same accused and
    accuser, shared names, similar text, close in time) or founds one when it is relevant and
    makes a claim; near-duplicate copies count as extra sources. Two incidents that turn out
    to be one are merged and the old slug keeps resolving. Re-running with nothing new is a
    no-op; `ipwire process` runs this after each batch.

    \b
    Examples:
      ipwire cluster
      ipwire cluster --rebuild
      ipwire cluster --json
    """
    result = cluster_pending(app.settings, rebuild=rebuild)
    if output_format() == "json":
        emit_json("cluster", result.as_counts())
        return
    if quiet():
        return
    click.echo(
        f"clustered {result.articles} article(s) and {result.copies} cop(ies): "
        f"{result.incidents_new} new incident(s), {result.incidents_updated} updated, "
        f"{result.merged} merged{' (rebuilt)' if result.rebuilt else ''} in {result.seconds:.1f}s"
    )
