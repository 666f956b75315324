"""Uvicorn's factory entry point: settings from the environment, services built once."""

from __future__ import annotations

import gc

from fastapi import FastAPI

from kefu.config import Settings
from kefu.inbox.triage import TriageRequest
from kefu.nlu.sentiment import warm_up as warm_sentiment
from kefu.services import build_services
from kefu.web.app import create_app

# Latin and Han text both: lingua, jieba and the intent model all load.
_WARM_UP = "hi 你好, where is my order? 我的订单呢"


def app_from_env() -> FastAPI:
    """The app for ``kefu serve`` (each server process builds its own services). The NLU loads
    before the server accepts requests, so no customer's message waits seconds for it."""
    settings = Settings()
    services = build_services(settings)
    services.triager.triage(
        TriageRequest(text=_WARM_UP, platform="webchat", languages=settings.languages)
    )
    # The review-sentiment models load per language on first use: 0.4 s for Chinese, so the
    # first Chinese customer after a restart waited for it (triage audit).
    warm_sentiment(settings.languages)
    app = create_app(services)
    # The models are a few million long-lived objects; frozen, the collector stops walking
    # them in every full collection, which had paused request handling for tens of ms.
    gc.collect()
    gc.freeze()
    # With the models frozen, the objects left for full collections are few, so the "25 % new
    # since the last one" rule let a full collection run every 10th middle one: 8 in one
    # `kefu bench api` (5.3 ms each, up to 8.7 ms, every request in flight waiting), none with
    # a 10 times higher bar. Young and middle collections still reclaim cycles as before.
    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, 100)
    return app
