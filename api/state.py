"""What the app holds for its lifetime: the one Services bundle (store + index), jobs and the rate limiter."""

from __future__ import annotations

from fastapi import Request

from retrieval.services import Services


def services_of(request: Request) -> Services:
    """The app's Services (opened once at start-up from the JIXIAO_ settings, as the pages do)."""
    services: Services = request.app.state.services
    return services
