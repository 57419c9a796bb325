"""The prover service's ASGI application (FastAPI): routes, error mapping, limits.

Routes (all JSON unless said otherwise; the schema is served at ``/openapi.json``):

* ``POST /v1/prove``: one account -> one :class:`~zkmargin.service.models.ProveResult`;
* ``POST /v1/prove-batch``: accounts -> one result or ``{index, error}`` each, in order;
* ``POST /v1/verify``: ``{shape, proof, public}`` -> ``{valid}``;
* ``POST /v1/riskbook``: a snapshot or a book becomes current; ``GET /v1/riskbook``;
* ``GET /v1/health``; ``GET /v1/metrics`` (Prometheus text format).

Status codes: 200; 400 for input the engine refuses (an unknown symbol, a bound, too
many positions for every key, an unknown book commitment, another statement); 422 for
a body of the wrong structure (both name the field, ``{"error", "field"}``); 413 for a
body over ``max_body`` bytes; 429 with ``Retry-After`` when the work queue is full.
A 500 means a defect of the server, never something a client sent; after any error
the server keeps serving.  Proofs queued before a book update finish on their book.
"""
from __future__ import annotations

import asyncio
import logging
import re
import time
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, AsyncIterator, Awaitable, Callable, Optional, Union

from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse

from engine.account import Account
from engine.riskbook import RiskBook
from prover.errors import ProverError
from zkbase import __version__
from zkmargin.service import DEFAULT_KEEP_BOOKS, DEFAULT_MAX_BODY, DEFAULT_MAX_QUEUE
from zkmargin.service.backend import Backend, result_json
from zkmargin.service.metrics import Metrics
from zkmargin.service.models import (AccountIn, BatchRequest, BatchResponse, ErrorResponse,
                                     HealthResponse, ProveRequest, ProveResult, QueueInfo,
                                     RiskBookInfo, RiskBookRequest, VerifyRequest,
                                     VerifyResponse)
from zkmargin.service.registry import BookEntry, BookRegistry
from zkmargin.service.workqueue import BatchTooLarge, QueueFull, WorkQueue

log = logging.getLogger("zkmargin.service")

ROUTES = ("/v1/prove", "/v1/prove-batch", "/v1/verify", "/v1/riskbook", "/v1/health",
          "/v1/metrics", "/openapi.json", "/docs")
_PATH_TOKEN = re.compile(r"^[A-Za-z_]\w*(\[\d+\])*(\.[A-Za-z_]\w*(\[\d+\])*)*$")
_ERRORS: dict[Union[int, str], dict[str, Any]] = {
    400: {"model": ErrorResponse, "description": "input the engine refuses (field named)"},
    413: {"model": ErrorResponse, "description": "body over the size limit"},
    422: {"model": ErrorResponse, "description": "body of the wrong structure (field named)"},
}
_QUEUE_ERRORS = {**_ERRORS, 429: {"model": ErrorResponse,
                                  "description": "work queue full; see Retry-After"}}


class ClientError(ValueError):
    """Input refused with 400 (the message starts with the field)."""


@dataclass
class _Job:
    account: Account
    entry: BookEntry
    admitted: float


@dataclass
class _Outcome:
    result: Optional[dict[str, Any]] = None
    error: Optional[str] = None
    internal: bool = False


class ProofFault(RuntimeError):
    """A proof failed the prover's self-check twice: a defect of the server (500)."""


@dataclass
class ServiceState:
    """Everything a request handler needs."""

    backend: Backend
    queue: WorkQueue[_Job, _Outcome]
    registry: BookRegistry
    metrics: Metrics


def _split_field(message: str) -> tuple[Optional[str], str]:
    parts = []
    tokens = message.split(": ")
    for token in tokens[:-1]:
        if not _PATH_TOKEN.match(token):
            break
        parts.append(token)
    rest = ": ".join(tokens[len(parts):])
    # "snapshot: snapshot.time" (a source, then a path already starting with it)
    kept = [p for p, q in zip(parts, parts[1:] + [""]) if not (q == p or q.startswith(p + "."))]
    return (".".join(kept) or None), rest


def field_of(message: str) -> Optional[str]:
    """The field a one-line error names: its leading ``a: b[0].c:`` path, dotted."""
    return _split_field(message)[0]


def _error(status: int, message: str, field: Optional[str] = None,
           headers: Optional[dict[str, str]] = None) -> JSONResponse:
    """``{"error": "FIELD: reason", "field": FIELD}`` (the path written dotted)."""
    named, rest = _split_field(message)
    if named is not None:
        message = f"{named}: {rest}"
    return JSONResponse({"error": message, "field": field if field is not None else named},
                        status_code=status, headers=headers)


def _validation_message(exc: RequestValidationError) -> tuple[str, str]:
    """``(message, field)`` of the first field pydantic refused (the messages of all the
    union members tried for it, joined with "or")."""
    errors = list(exc.errors()) or [{"loc": ("body",), "msg": "invalid"}]
    if errors[0].get("type") == "json_invalid":
        where = errors[0].get("loc", ("body", "?"))[-1]
        ctx = errors[0].get("ctx") or {}
        return f"body: not valid JSON at character {where} ({ctx.get('error', 'invalid')})", \
            "body"
    located = [(_loc_path(e.get("loc", ())), str(e.get("msg", "invalid"))) for e in errors]
    field = located[0][0]
    messages = list(dict.fromkeys(m for f, m in located if f == field))
    return f"{field}: {' or '.join(messages)}", field


def _loc_path(loc: Any) -> str:
    path = ""
    for part in tuple(loc)[1:]:
        if isinstance(part, int):
            path += f"[{part}]"
        elif part in ("int", "str", "bool", "float", "list", "dict", "none") or \
                any(c in str(part) for c in "[-"):
            continue  # pydantic's tag of a union member, not a field
        else:
            path += f".{part}" if path else str(part)
    return path or "body"


def _parse_account(model: AccountIn, where: str) -> Account:
    return Account.from_json(model.engine_json(), where)


def _as_client_error(exc: ValueError, where: str) -> str:
    """One line ``FIELD: reason`` with the field's path under ``where``, dotted."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    if not text.startswith(where):
        text = f"{where}: {text}"
    named, rest = _split_field(text)
    return f"{named}: {rest}" if named is not None else text


def _strict_json_problem(body: bytes) -> Optional[tuple[str, str]]:
    """``(message, field)`` when a JSON body breaks the rules every JSON input of ours
    follows (:mod:`zkbase.jsonio`: a duplicate key, nesting over 64 levels, an integer
    of more than 4,300 digits, NaN/Infinity); None otherwise.  Syntax errors and
    non-UTF-8 bodies are left to the request models, which name the position."""
    from zkbase.jsonio import JSONInputError, loads

    if not body:
        return None
    try:
        loads(body, "body")
    except JSONInputError as exc:
        text = str(exc)
        if "not valid JSON" in text or "not UTF-8" in text:
            return None
        rest = text[len("body: "):]
        named = field_of(rest)
        return (rest if named else text), (named or "body")
    return None


class _Middleware:
    """Body size limit (413, before the app reads anything) and response counting."""

    def __init__(self, app: Callable[..., Awaitable[None]], limit: int, metrics: Metrics):
        self.app = app
        self.limit = limit
        self.metrics = metrics

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        route = scope.get("path", "") if scope.get("path") in ROUTES else "other"
        status_seen: list[int] = []

        async def counting_send(message: dict) -> None:
            if message["type"] == "http.response.start":
                status_seen.append(message["status"])
                self.metrics.response(route, message["status"])
            await send(message)

        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None:
            try:
                too_big = int(declared) > self.limit
            except ValueError:
                await _error(400, "content-length: not an integer", "content-length")(
                    scope, receive, counting_send)
                return
            if too_big:
                await self._too_large(scope, receive, counting_send)
                return
        chunks, size, more = [], 0, True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.limit:
                await self._too_large(scope, receive, counting_send)
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        refused = _strict_json_problem(body)
        if refused is not None:
            message, field = refused
            await _error(400, message, field)(scope, receive, counting_send)
            return
        replayed = False

        async def replay() -> dict:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, counting_send)

    async def _too_large(self, scope: dict, receive: Callable, send: Callable) -> None:
        await _error(413, f"body: larger than the limit of {self.limit} bytes", "body")(
            scope, receive, send)


def create_app(backend: Backend, book: RiskBook, *, max_queue: int = DEFAULT_MAX_QUEUE,
               max_body: int = DEFAULT_MAX_BODY,
               keep_books: int = DEFAULT_KEEP_BOOKS) -> FastAPI:
    """The service over ``backend`` with ``book`` current.

    ``max_queue`` bounds the proofs waiting for a worker (429 beyond), ``max_body`` the
    request body in bytes (413 beyond), ``keep_books`` the books a request may name.
    """
    backend.check_book(book)
    metrics = Metrics()
    registry = BookRegistry(keep_books)
    registry.put(book, backend.publish(book))
    meta = backend.meta

    def run(job: _Job) -> _Outcome:
        try:
            try:
                result = backend.prove(job.account, job.entry)
            except ProverError as first:
                # The prover checks every proof against its key before returning it; a
                # failed check on input the engine accepted is a fault of this process,
                # not of the request: retried once, then reported as internal.
                log.error("proof failed its self-check, retrying once: %s", first)
                metrics.proof_retried()
                result = backend.prove(job.account, job.entry)
        except ProverError as exc:
            log.error("proof failed its self-check twice: %s", exc)
            metrics.proof_failed()
            return _Outcome(error=f"internal error: {' '.join(str(exc).split())}",
                            internal=True)
        except (ValueError, TypeError, ArithmeticError) as exc:
            metrics.proof_failed()
            return _Outcome(error=" ".join(str(exc).split()) or type(exc).__name__)
        out = result_json(result, meta.vk_sha256.get(result.shape, ""))
        metrics.proof_done(time.perf_counter() - job.admitted,
                           float(result.timings.get("witness", 0.0))
                           + float(result.timings.get("prove", 0.0)))
        return _Outcome(result=out)

    queue: WorkQueue[_Job, _Outcome] = WorkQueue(run, backend.workers, max_queue)
    state = ServiceState(backend, queue, registry, metrics)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        queue.shutdown()
        backend.close()

    app = FastAPI(title="zkmargin prover service", version=__version__, lifespan=lifespan,
                  description="Zero-knowledge proofs of ZKM-1 portfolio margin (Groth16 on "
                              "BN254) over HTTP: keys stay loaded, proofs run on a bounded "
                              "queue over local threads or Ray actors.")
    app.state.service = state

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        message, field = _validation_message(exc)
        return _error(422, message, field)

    @app.exception_handler(BatchTooLarge)
    async def _too_many(_: Request, exc: BatchTooLarge) -> JSONResponse:
        return _error(422, str(exc), "accounts")

    @app.exception_handler(QueueFull)
    async def _full(_: Request, exc: QueueFull) -> JSONResponse:
        metrics.queue_full()
        return _error(429, str(exc), None, {"Retry-After": str(exc.retry_after)})

    @app.exception_handler(ProofFault)
    async def _fault(_: Request, exc: ProofFault) -> JSONResponse:
        return JSONResponse({"error": str(exc), "field": None}, status_code=500)

    @app.exception_handler(ValueError)
    async def _bad(_: Request, exc: ValueError) -> JSONResponse:
        return _error(400, " ".join(str(exc).split()) or type(exc).__name__)

    @app.exception_handler(Exception)
    async def _internal(_: Request, exc: Exception) -> JSONResponse:
        log.exception("internal error")
        return JSONResponse({"error": f"internal error: {type(exc).__name__}", "field": None},
                            status_code=500)

    def statement_ok(statement: Optional[str]) -> None:
        if statement is not None and statement != meta.statement:
            raise ClientError(f"statement: this server's keys prove {meta.statement!r} "
                              f"statements, not {statement!r}")

    async def prove_all(accounts: list[Account], commitment: Optional[str]) -> list[_Outcome]:
        entry = registry.get(commitment)
        now = time.perf_counter()
        futures = queue.submit([_Job(a, entry, now) for a in accounts])
        return list(await asyncio.gather(*(asyncio.wrap_future(f) for f in futures)))

    @app.post("/v1/prove", response_model=ProveResult, responses=_QUEUE_ERRORS,
              summary="Prove one account's margin")
    async def prove(req: ProveRequest) -> JSONResponse:
        statement_ok(req.statement)
        try:
            account = _parse_account(req.account, "account")
        except ValueError as exc:
            raise ClientError(_as_client_error(exc, "account")) from None
        [outcome] = await prove_all([account], req.market_commitment)
        if outcome.internal:
            raise ProofFault(outcome.error)
        if outcome.error is not None:
            raise ClientError(_as_client_error(ValueError(outcome.error), "account"))
        return JSONResponse(outcome.result)

    @app.post("/v1/prove-batch", response_model=BatchResponse, responses=_QUEUE_ERRORS,
              summary="Prove many accounts in parallel")
    async def prove_batch(req: BatchRequest) -> JSONResponse:
        statement_ok(req.statement)
        results: list[Optional[dict[str, Any]]] = [None] * len(req.accounts)
        parsed: list[tuple[int, Account]] = []
        for i, model in enumerate(req.accounts):
            try:
                parsed.append((i, _parse_account(model, f"accounts[{i}]")))
            except ValueError as exc:
                metrics.proof_failed()
                results[i] = {"index": i, "error": _as_client_error(exc, f"accounts[{i}]")}
        if parsed:
            outcomes = await prove_all([a for _, a in parsed], req.market_commitment)
            for (i, _), outcome in zip(parsed, outcomes):
                results[i] = outcome.result if outcome.error is None else {
                    "index": i, "error": outcome.error if outcome.internal else
                    _as_client_error(ValueError(outcome.error),
                                                          f"accounts[{i}]")}
        return JSONResponse({"results": results})

    @app.post("/v1/verify", response_model=VerifyResponse, responses=_ERRORS,
              summary="Verify a proof under one shape's key")
    async def verify(req: VerifyRequest) -> VerifyResponse:
        vk = meta.vks.get(req.shape)
        if vk is None:
            raise ClientError(f"shape: unknown shape {req.shape!r}; this server has "
                              f"{', '.join(meta.shapes)}")
        from zkmargin.api import verify as groth16_verify

        valid = await run_in_threadpool(groth16_verify, vk, list(req.public),
                                        req.proof.model_dump())
        return VerifyResponse(valid=bool(valid))

    def book_info() -> RiskBookInfo:
        entry = registry.current()
        b = entry.book
        return RiskBookInfo(market_commitment=entry.commitment, time=str(b.time),
                            instruments=len(b.instruments), collateral=len(b.collateral),
                            S=b.S, H=b.H, k=b.k, kept=registry.kept())

    @app.post("/v1/riskbook", response_model=RiskBookInfo, responses=_ERRORS,
              summary="Make a new market snapshot (or risk book) current")
    async def put_riskbook(req: RiskBookRequest) -> RiskBookInfo:
        def build() -> BookEntry:
            if req.snapshot is not None:
                new = RiskBook.from_snapshot(req.snapshot)
            else:
                new = RiskBook.from_json(req.book, "book")
                if new.claimed_commitment is not None:
                    new.verify_commitment()
            backend.check_book(new)
            return registry.put(new, backend.publish(new))

        await run_in_threadpool(build)
        return book_info()

    @app.get("/v1/riskbook", response_model=RiskBookInfo, summary="The current risk book")
    async def get_riskbook() -> RiskBookInfo:
        return book_info()

    @app.get("/v1/health", response_model=HealthResponse, summary="Liveness and configuration")
    async def health() -> HealthResponse:
        return HealthResponse(status="ok", version=__version__, backend=backend.name,
                              statement=meta.statement, shapes=meta.shapes,
                              market_commitment=registry.current().commitment,
                              queue=QueueInfo(waiting=queue.waiting, running=queue.running,
                                              bound=queue.bound, workers=queue.workers))

    @app.get("/v1/metrics", response_class=PlainTextResponse,
             summary="Counters and latency quantiles (Prometheus text format)")
    async def metrics_text() -> PlainTextResponse:
        text = metrics.render(waiting=queue.waiting, running=queue.running, bound=queue.bound,
                              workers=queue.workers, book_updates=registry.updates,
                              info={"version": __version__, "backend": backend.name,
                                    "statement": meta.statement})
        return PlainTextResponse(text, media_type="text/plain; version=0.0.4")

    app.add_middleware(_Middleware, limit=max_body, metrics=metrics)
    return app
