"""The FastAPI app: one Services bundle from the JIXIAO_ settings, the routes under /v1, limits, problem details."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from api import chat, problems, routes_documents, routes_jobs, routes_query, routes_records
from api.jobs import Jobs
from api.limits import BodyLimit, RateLimiter
from kernel.settings import Settings, get_settings
from retrieval.services import Services

log = logging.getLogger(__name__)
MULTIPART_SLACK = 64 * 1024  # boundaries and part headers around the largest file allowed


def request_cap(settings: Settings) -> int:
    """The largest request body taken: one file at the upload limit plus its multipart envelope."""
    return int(settings.max_file_mb * 1024 * 1024) + MULTIPART_SLACK


def create_app(settings: Settings | None = None) -> FastAPI:
    """The service over the store and index the settings name (the app's, by default)."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        services = Services(settings)
        services.sync()  # what a crash left unindexed is indexed before the first search
        app.state.services = services
        app.state.jobs = Jobs(services, settings.api_max_upload_jobs)
        app.state.limiter = RateLimiter(settings.api_rate_per_minute)
        log.info("jixiao API ready on the store at %s", settings.data_dir)
        try:
            yield
        finally:
            app.state.jobs.close()

    app = FastAPI(title="jixiao 绩效 API", version="1",
                  description="预算绩效目标表: extract, store, search, ask, correct and audit (Bearer token).",
                  lifespan=lifespan)
    problems.install(app)
    for module in (routes_documents, routes_jobs, routes_records, routes_query, chat):
        app.include_router(module.router)
    app.add_middleware(BodyLimit, max_bytes=request_cap(settings))
    return app
