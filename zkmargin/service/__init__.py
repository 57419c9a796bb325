"""The prover service: an HTTP JSON API (FastAPI) over a warm :class:`MarginProver`.

``zkmargin serve`` runs it with uvicorn; :func:`zkmargin.service.app.create_app` builds
the ASGI application for embedding or tests.  The modules:

* :mod:`~zkmargin.service.models`: request and response bodies (pydantic), hence the
  OpenAPI schema served at ``/openapi.json``;
* :mod:`~zkmargin.service.workqueue`: the bounded work queue (admission, 429);
* :mod:`~zkmargin.service.registry`: the current risk book and the last few, by commitment;
* :mod:`~zkmargin.service.metrics`: counters and latency quantiles, Prometheus text;
* :mod:`~zkmargin.service.backend`: where proofs run, in this process (threads) or on
  Ray actors (:mod:`~zkmargin.service.ray_prover`).

Importing this package imports neither FastAPI nor Ray; the modules that need them do.
"""
from __future__ import annotations

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8750
DEFAULT_MAX_QUEUE = 64
DEFAULT_MAX_BODY = 4 * 1024 * 1024
DEFAULT_KEEP_BOOKS = 4

__all__ = ["DEFAULT_HOST", "DEFAULT_PORT", "DEFAULT_MAX_QUEUE", "DEFAULT_MAX_BODY",
           "DEFAULT_KEEP_BOOKS"]
