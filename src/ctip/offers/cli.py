"""``ctip offers``: scan posts in bulk, train the model ahead of the first check."""

from __future__ import annotations

from pathlib import Path

import typer

app = typer.Typer(help="Recruitment-offer checker: bulk scans and the model.", no_args_is_help=True)


def _settings():  # type: ignore[no-untyped-def]
    from ctip.cli import settings

    return settings()


@app.command("scan")
def scan(
    posts: Path = typer.Argument(
        ..., exists=True, dir_okay=False, help="posts as JSON Lines, each with a text field"
    ),
    out: Path = typer.Option(..., "--out", help="where to write the flagged posts (JSONL)"),
    engine: str = typer.Option("local", help="local (this process) or spark"),
    min_risk: str = typer.Option(
        "medium",
        help="lowest risk written: none_found (old name: low), medium or high",
    ),
    batch_size: int = typer.Option(1000, min=1, help="posts checked together"),
    save: bool = typer.Option(
        False, help="also keep the flagged posts for analysts (the reported-offers page)"
    ),
    user: str | None = typer.Option(None, "--user", help="with --save: act as this user"),
) -> None:
    """Check every post and write those at or above --min-risk with score, flags and
    identifiers. Spark gives the same results as the local engine, for millions of posts."""
    from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn

    from ctip.offers.scan import ENGINES, RISK_ORDER
    from ctip.offers.service import checker_for

    if engine not in ENGINES or min_risk not in RISK_ORDER:
        raise typer.BadParameter(
            f"engine: {', '.join(ENGINES)}; min-risk: none_found, medium, high"
        )
    cfg = _settings()
    checker = checker_for(cfg)
    assert checker.model is not None  # checker_for always loads or trains one
    runner = ENGINES[engine](checker.model, list(checker.deployment_hotlines), batch_size)
    columns = ("{task.description}", BarColumn(), DownloadColumn(), TimeRemainingColumn())
    with Progress(*columns, transient=True) as bar:
        task = bar.add_task(f"scanning ({engine})", total=posts.stat().st_size)
        count = runner.scan(posts, out, min_risk, lambda n: bar.advance(task, n))
    typer.echo(f"{count} posts at or above {min_risk} risk written to {out}")
    if save and count:
        _save(out, posts, user)


def _save(out: Path, posts: Path, username: str | None) -> None:
    """Store the flagged posts as offers for analysts (audited as ``offer.scan``)."""
    import json

    from ctip.auth.service import actor_named
    from ctip.cli import unit_of_work
    from ctip.offers.scan import post_text
    from ctip.offers.service import checker_for, save_scan_hits

    flagged = {str(json.loads(line)["id"]) for line in out.read_text("utf-8").splitlines()}
    texts = {}
    with posts.open(encoding="utf-8") as fh:
        for number, line in enumerate(fh, start=1):
            post = json.loads(line) if line.strip().startswith("{") else {"text": line}
            key = str(post.get("id", number))
            if key in flagged:
                texts[key] = post_text(post)
    checker = checker_for(_settings())
    with unit_of_work() as session:
        actor = actor_named(session, username)
        hits = [(f"{posts.name}#{key}", text, checker.check(text)) for key, text in texts.items()]
        saved = save_scan_hits(session, actor=actor, hits=hits)
    typer.echo(f"{saved} flagged posts saved for review")


@app.command("train")
def train() -> None:
    """Train the model from the packaged corpus and cache it in the data directory."""
    from ctip.offers.model import load_or_train
    from ctip.offers.service import model_dir

    folder = model_dir(_settings())
    model = load_or_train(cache_dir=folder)
    typer.echo(
        f"model {model.fingerprint} ready in {folder} "
        f"(medium {model.medium:.3f}, high {model.high:.3f})"
    )
