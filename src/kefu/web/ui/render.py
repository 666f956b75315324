"""Rendering pages: one Jinja environment with autoescaping, translations and safe headers."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from kefu.web.ui import fmt
from kefu.web.ui.composer import lint_segments
from kefu.web.ui.i18n import UI_LANGUAGES, Translator, translator

TEMPLATES_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"
# No inline script or style anywhere, so the policy can forbid both: injected markup stays inert.
CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


@functools.cache
def static_url(name: str) -> str:
    """A static file's URL with a content hash, so browsers fetch it again after an upgrade."""
    digest = hashlib.sha256((STATIC_DIR / name).read_bytes()).hexdigest()[:10]
    return f"/ui/static/{name}?v={digest}"


@functools.cache
def environment() -> Environment:
    """The template environment (built once; templates are package data)."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        ui_languages=UI_LANGUAGES,
        sla_left=fmt.sla_left,
        ago=fmt.ago,
        money=fmt.money,
        when=fmt.when,
        lint_segments=lint_segments,
        static_url=static_url,
        percent=fmt.percent,
        label=fmt.label,
    )
    return env


def render_page(
    request: Request,
    template: str,
    *,
    language: str,
    csrf: str,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    """Render ``template`` in ``language`` with the security headers every page carries."""
    tr: Translator = translator(language)
    html = (
        environment()
        .get_template(template)
        .render(_=tr.gettext, lang=language, csrf=csrf, path=request.url.path, **context)
    )
    return HTMLResponse(html, status_code=status_code, headers=SECURITY_HEADERS)
