"""The `jixiao` command line: one small module per command group, registered here."""

from __future__ import annotations

import logging
import sys

import typer

from cli import ask, audit, evaluate, extract, index, ingest, mcp, search, serve, snapshot, token

app = typer.Typer(help="jixiao 绩效: read budget performance-goal disclosures into typed records.",
                  no_args_is_help=True, add_completion=False)
app.command("extract")(extract.extract_files)
app.command("schema")(extract.schema)
app.command("ingest")(ingest.ingest)
app.command("search")(search.search)
app.command("ask")(ask.ask)
app.command("audit")(audit.audit)
app.command("reindex")(index.reindex)
app.command("check")(index.check)
app.command("eval")(evaluate.eval_cmd)
app.command("eval-search")(evaluate.eval_search)
app.command("eval-qa")(evaluate.eval_qa)
app.command("eval-audit")(audit.eval_audit)
app.command("snapshot")(snapshot.snapshot)
app.command("serve")(serve.serve)
app.command("mcp")(mcp.mcp)
app.add_typer(token.app, name="token")


def bare_ray(argv: list[str]) -> list[str]:
    """`--ray` with no address means `--ray auto` (the next word is a path unless it reads as an address)."""
    if "--ray" not in argv:
        return list(argv)  # usecases loads the store: only a Ray run pays for it
    from usecases.distributed import ADDRESS

    out = list(argv)
    for i, word in enumerate(out):
        if word == "--ray" and (i + 1 == len(out) or not ADDRESS.match(out[i + 1])):
            out[i] = "--ray=auto"
    return out


def main() -> None:
    """Entry point with quiet library logging."""
    sys.argv[1:] = bare_ray(sys.argv[1:])
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    for noisy in ("bm25s", "jieba", "chromadb", "httpx"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    app()


if __name__ == "__main__":
    main()
