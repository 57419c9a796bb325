"""The prover service from the command line: ``zkmargin serve`` and ``zkmargin client``.

``zkmargin serve --keys KEYS (--riskbook BOOK | --market SNAPSHOT)`` loads the keys once
and serves the HTTP JSON API of :mod:`zkmargin.service.app` with uvicorn, on
127.0.0.1 unless ``--host`` says otherwise; ``--ray`` runs the proofs on Ray actors
(a local Ray, or the cluster at ``--ray ADDRESS``).

``zkmargin client prove ACCOUNT --url URL`` / ``client batch DIR`` / ``client verify DIR``
/ ``client riskbook`` call a running server with the same JSON (standard library HTTP,
no extra needed).  A full queue (429) is retried after its ``Retry-After``, up to
``--retries`` times.  Errors are one line, exit status 2; ``client verify`` exits 1 on
an invalid proof.
"""
from __future__ import annotations

import json
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, Optional

import click

from zkmargin.service import (DEFAULT_HOST, DEFAULT_KEEP_BOOKS, DEFAULT_MAX_BODY,
                              DEFAULT_MAX_QUEUE, DEFAULT_PORT)

LOCAL_RAY = "local"
SERVE_EXTRA = "pip install 'zkmargin[serve]'"


class ServiceError(ValueError):
    """The server refused a request or could not be reached (one line)."""


def _positive(ctx: click.Context, param: click.Parameter, value: Optional[int]) -> Optional[int]:
    if value is not None and value < 1:
        raise click.BadParameter(f"must be at least 1, got {value}")
    return value


@click.command("serve")
@click.option("--keys", "keys", required=True, type=click.Path(exists=True, file_okay=False),
              help="key set (or key directory) to prove with; loaded once")
@click.option("--riskbook", "riskbook", default=None, help="risk book JSON made current")
@click.option("--market", "market", default=None, help="market snapshot (or 'default')")
@click.option("--host", default=DEFAULT_HOST, show_default=True,
              help="address to bind (0.0.0.0 exposes the server to the network)")
@click.option("--port", type=click.IntRange(0, 65535), default=DEFAULT_PORT, show_default=True)
@click.option("--workers", type=int, default=None, callback=_positive,
              help="proofs at once (default: 2 threads in process; one Ray actor per CPU)")
@click.option("--ray", "ray_address", is_flag=False, flag_value=LOCAL_RAY, default=None,
              metavar="[ADDRESS]",
              help="prove on Ray actors: a local Ray, or join the cluster at ADDRESS")
@click.option("--max-queue", type=int, default=DEFAULT_MAX_QUEUE, show_default=True,
              callback=_positive, help="proofs that may wait for a worker (429 beyond)")
@click.option("--max-body", type=int, default=DEFAULT_MAX_BODY, show_default=True,
              callback=_positive, help="largest request body in bytes (413 beyond)")
@click.option("--keep-books", type=int, default=DEFAULT_KEEP_BOOKS, show_default=True,
              callback=_positive, help="books a request may name by commitment")
@click.option("--threads", type=int, default=None, callback=_positive,
              help="native threads per proof (default: all cores)")
@click.option("--log-level", type=click.Choice(["critical", "error", "warning", "info",
                                                "debug"]), default="info", show_default=True)
def serve_cmd(keys: str, riskbook: Optional[str], market: Optional[str], host: str, port: int,
              workers: Optional[int], ray_address: Optional[str], max_queue: int,
              max_body: int, keep_books: int, threads: Optional[int], log_level: str) -> None:
    """Serve the prover over HTTP (JSON API under /v1, schema at /openapi.json)."""
    from zkmargin.commands.margin import load_book

    try:
        import uvicorn

        from zkmargin.service.app import create_app
        from zkmargin.service.backend import LocalBackend
    except ImportError as exc:
        raise ValueError(f"serve: {exc.name} is not installed; install the extra with "
                         f"{SERVE_EXTRA}") from None
    book = load_book(riskbook, market)
    if ray_address is not None:
        from zkmargin.ray_prover import import_ray
        from zkmargin.service.backend import ray_backend

        ray = import_ray()
        if not ray.is_initialized():
            if ray_address == LOCAL_RAY:
                ray.init(num_cpus=workers, include_dashboard=False, logging_level="WARNING")
            else:
                ray.init(address=ray_address, logging_level="WARNING")
        backend: Any = ray_backend(keys, workers, threads_per_actor=threads)
    else:
        backend = LocalBackend.load(keys, workers or 2, threads)
    app = create_app(backend, book, max_queue=max_queue, max_body=max_body,
                     keep_books=keep_books)
    meta = backend.meta
    click.echo(f"zkmargin serve: {meta.statement} statement, shapes {', '.join(meta.shapes)}; "
               f"book {str(book.commitment['market_commitment'])[:16]}...; {backend.name} "
               f"backend, {backend.workers} workers, queue bound {max_queue}; "
               f"http://{host}:{port}/v1", err=True)
    uvicorn.run(app, host=host, port=port, log_level=log_level, timeout_graceful_shutdown=30)


# -- client ----------------------------------------------------------------------------
def call(url: str, path: str, body: Any = None, *, timeout: float = 600.0,
         retries: int = 3) -> Any:
    """``POST`` ``body`` (or ``GET`` without one) to ``url + path``; the decoded JSON.

    A 429 is retried after its Retry-After (at most ``retries`` times); any other error
    raises ServiceError with the server's one-line message.
    """
    target = url.rstrip("/") + path
    data = None if body is None else json.dumps(body).encode()
    for attempt in range(retries + 1):
        request = urllib.request.Request(target, data=data, method="GET" if data is None
                                         else "POST", headers={"Content-Type":
                                                               "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as exc:
            try:
                message = json.loads(exc.read()).get("error", exc.reason)
            except (ValueError, AttributeError):
                message = exc.reason
            if exc.code == 429 and attempt < retries:
                time.sleep(float(exc.headers.get("Retry-After") or 1))
                continue
            raise ServiceError(f"{target}: HTTP {exc.code}: {message}") from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise ServiceError(f"{target}: cannot reach the server ({reason})") from None
    raise AssertionError("unreachable")


def _account_json(source: str) -> dict[str, Any]:
    from engine.jsonio import ACCOUNTS_DIR, read_json, resolve

    obj = read_json(resolve(source, ACCOUNTS_DIR))
    if not isinstance(obj, dict):
        raise ValueError(f"{source}: expected a JSON object (an account)")
    return obj


def write_result(result: dict[str, Any], directory: Path) -> None:
    """proof.json, public.json, report.json and statement.json of a result, written
    only after all four are ready (each file atomically)."""
    from zkbase.files import atomic_write_text

    texts = {"proof.json": result["proof"], "public.json": result["public"],
             "report.json": result["report"],
             "statement.json": {"shape": result["shape"], "statement": result["statement"],
                                "vk_sha256": result["vk_sha256"]}}
    rendered = {name: json.dumps(obj, indent=1) + "\n" for name, obj in texts.items()}
    directory.mkdir(parents=True, exist_ok=True)
    for name, text in rendered.items():
        atomic_write_text(directory / name, text)


def _summary(name: str, result: dict[str, Any]) -> str:
    from engine.report import format_usd

    named = result["public_named"]
    money = ", ".join(f"{k} {format_usd(int(named[k]))}" for k in ("equity", "mm", "im")
                      if k in named)
    return (f"{name}: proved on {result['shape']} ({result['statement']}), {money or 'healthy'}"
            f"; book {result['market_commitment'][:16]}...")


_URL = click.option("--url", required=True, envvar="ZKMARGIN_URL",
                    help="server base URL, e.g. http://127.0.0.1:8750 (or $ZKMARGIN_URL)")
_TIMEOUT = click.option("--timeout", type=float, default=600.0, show_default=True,
                        help="seconds to wait for an answer")
_RETRIES = click.option("--retries", type=int, default=3, show_default=True,
                        help="retries of a full queue (429), after its Retry-After")


@click.group("client")
def client_group() -> None:
    """Call a running `zkmargin serve` (same JSON as the HTTP API)."""


@client_group.command("prove")
@click.argument("account")
@_URL
@click.option("--statement", type=click.Choice(["full", "health"]), default=None)
@click.option("--market-commitment", default=None, help="prove on this kept book")
@click.option("-o", "--output", "directory", type=click.Path(file_okay=False), default=None,
              help="write proof.json, public.json, report.json, statement.json here")
@click.option("--json", "as_json", is_flag=True, help="print the server's JSON")
@_TIMEOUT
@_RETRIES
def client_prove_cmd(account: str, url: str, statement: Optional[str],
                     market_commitment: Optional[str], directory: Optional[str],
                     as_json: bool, timeout: float, retries: int) -> None:
    """Prove ACCOUNT (a file or a bundled name) on the server."""
    body: dict[str, Any] = {"account": _account_json(account)}
    if statement:
        body["statement"] = statement
    if market_commitment:
        body["market_commitment"] = market_commitment
    result = call(url, "/v1/prove", body, timeout=timeout, retries=retries)
    if directory:
        write_result(result, Path(directory))
    if as_json:
        click.echo(json.dumps(result, indent=1))
    else:
        click.echo(_summary(Path(account).stem, result)
                   + (f"; files in {directory}" if directory else ""))


@client_group.command("batch")
@click.argument("accounts_dir", type=click.Path(exists=True, file_okay=False))
@_URL
@click.option("--statement", type=click.Choice(["full", "health"]), default=None)
@click.option("-o", "--output", "directory", type=click.Path(file_okay=False), default=None,
              help="write each proven account's files to OUTPUT/<account name>/")
@click.option("--json", "as_json", is_flag=True, help="print the server's JSON")
@_TIMEOUT
@_RETRIES
def client_batch_cmd(accounts_dir: str, url: str, statement: Optional[str],
                     directory: Optional[str], as_json: bool, timeout: float,
                     retries: int) -> None:
    """Prove every *.json account in ACCOUNTS_DIR in one batch (exit 2 if any failed)."""
    files = sorted(Path(accounts_dir).glob("*.json"))
    if not files:
        raise ValueError(f"{accounts_dir}: no *.json account files")
    body: dict[str, Any] = {"accounts": [_account_json(str(f)) for f in files]}
    if statement:
        body["statement"] = statement
    results = call(url, "/v1/prove-batch", body, timeout=timeout, retries=retries)["results"]
    failed = 0
    for path, entry in zip(files, results):
        if "error" in entry:
            failed += 1
            if not as_json:
                click.echo(f"error: {path}: {entry['error']}", err=True)
            continue
        if directory:
            write_result(entry, Path(directory) / path.stem)
        if not as_json:
            click.echo(_summary(path.stem, entry))
    if as_json:
        click.echo(json.dumps({"results": results}, indent=1))
    if failed:
        sys.exit(2)


@client_group.command("verify")
@click.argument("proof_dir", type=click.Path(exists=True, file_okay=False))
@_URL
@_TIMEOUT
def client_verify_cmd(proof_dir: str, url: str, timeout: float) -> None:
    """Ask the server to verify PROOF_DIR (proof.json, public.json, statement.json);
    exit 0 valid, 1 invalid."""
    from engine.jsonio import read_json

    d = Path(proof_dir)
    statement = read_json(d / "statement.json")
    body = {"shape": statement.get("shape") if isinstance(statement, dict) else None,
            "proof": read_json(d / "proof.json"), "public": read_json(d / "public.json")}
    valid = call(url, "/v1/verify", body, timeout=timeout, retries=0)["valid"]
    click.echo("valid" if valid else "invalid")
    sys.exit(0 if valid else 1)


@client_group.command("riskbook")
@_URL
@click.option("--riskbook", "riskbook", default=None, help="risk book JSON")
@click.option("--market", "market", default=None, help="market snapshot (or 'default')")
@_TIMEOUT
def client_riskbook_cmd(url: str, riskbook: Optional[str], market: Optional[str],
                        timeout: float) -> None:
    """Make a new snapshot (or book) the server's current book; print its commitment."""
    from engine.jsonio import DATA_DIR, read_json, resolve

    if (riskbook is None) == (market is None):
        raise ValueError("give exactly one of --riskbook BOOK or --market SNAPSHOT")
    body = ({"book": read_json(riskbook)} if riskbook is not None
            else {"snapshot": read_json(resolve(market, DATA_DIR))})
    info = call(url, "/v1/riskbook", body, timeout=timeout, retries=0)
    click.echo(info["market_commitment"])


def register(group: click.Group) -> None:
    """Add ``serve`` and ``client``."""
    group.add_command(serve_cmd)
    group.add_command(client_group)
