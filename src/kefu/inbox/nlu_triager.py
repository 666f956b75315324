"""The built-in triager: Kefu's offline NLU behind the ``Triager`` seam."""

from __future__ import annotations

from typing import Any

from kefu import nlu
from kefu.inbox.triage import TriageRequest


class NluTriager:
    """Runs ``kefu.nlu`` with the shop's languages and platform as context."""

    def __init__(self, *, languages: tuple[str, ...], analyzer: nlu.Analyzer | None = None) -> None:
        self._languages = languages
        self._analyzer = analyzer

    def _get_analyzer(self) -> nlu.Analyzer:
        if self._analyzer is None:
            self._analyzer = nlu.default_analyzer()
        return self._analyzer

    def triage(self, request: TriageRequest) -> dict[str, Any]:
        """Triage one message; the shop's languages narrow language detection."""
        allowed = tuple(lang for lang in request.languages if lang in self._languages)
        context = nlu.TriageContext(
            platform=request.platform,
            languages=allowed or self._languages,
            order_value=request.order_value,
            currency=request.currency,
            repeat_contacts=request.repeat_contacts,
        )
        result = self._get_analyzer().analyze(request.text, context=context)
        return result.model_dump(mode="json")
