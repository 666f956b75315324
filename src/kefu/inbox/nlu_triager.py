"""The built-in triager: Kefu's offline NLU behind the ``Triager`` seam."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from kefu import nlu
from kefu.inbox.triage import TriageRequest
from kefu.nlu.priority import score_priority


class NluTriager:
    """Runs ``kefu.nlu`` with the shop's languages and platform as context."""

    def __init__(
        self,
        *,
        languages: tuple[str, ...],
        analyzer: nlu.Analyzer | None = None,
        model_path: Path | None = None,
    ) -> None:
        self._languages = languages
        self._analyzer = analyzer
        self._model_path = model_path

    def _get_analyzer(self) -> nlu.Analyzer:
        # Built on first use: a worker that never triages never pays for loading the models.
        if self._analyzer is None:
            if self._model_path is not None:
                model = nlu.load_model(self._model_path)
                self._analyzer = nlu.Analyzer(model=model, languages=self._languages)
            else:
                self._analyzer = nlu.default_analyzer()
        return self._analyzer

    def _context(self, request: TriageRequest) -> nlu.TriageContext:
        # The shop's languages do not limit detection: a customer writes in whatever they
        # write in, and an English shop told "你好，我的订单呢" was "en" (its draft in English).
        shop_languages = tuple(lang for lang in request.languages if lang in self._languages)
        return nlu.TriageContext(
            platform=request.platform,
            languages=self._languages,
            preferred_languages=shop_languages or None,
            order_value=request.order_value,
            currency=request.currency,
            repeat_contacts=request.repeat_contacts,
            hours_to_platform_deadline=request.hours_to_platform_deadline,
            promised_delivery_days_late=request.promised_delivery_days_late,
        )

    def triage(self, request: TriageRequest) -> dict[str, Any]:
        """Triage one message; the shop's languages settle only texts too short to tell."""
        result = self._get_analyzer().analyze(request.text, context=self._context(request))
        return result.model_dump(mode="json")

    def triage_many(self, requests: Sequence[TriageRequest]) -> list[dict[str, Any]]:
        """Triage a batch: the results of :meth:`triage` one by one, in order, cheaper."""
        results = self._get_analyzer().analyze_many(
            [r.text for r in requests], contexts=[self._context(r) for r in requests]
        )
        return [result.model_dump(mode="json") for result in results]

    def reprioritize(self, result: dict[str, Any], request: TriageRequest) -> dict[str, Any]:
        """Recompute the priority with the context ingest found after threading."""
        priority = score_priority(
            intent=str(result.get("intent", "other")),
            sentiment=nlu.Sentiment.model_validate(result["sentiment"]),
            emotions=list(result.get("emotions", [])),
            urgent=result.get("urgency") == "high",
            risks=list(result.get("risks", [])),
            abusive=bool(result.get("abusive")),
            context=self._context(request),
            safety=bool(result.get("safety")),
            needed_soon=bool(result.get("needed_soon")),
            privacy=bool(result.get("privacy")),
        )
        return {**result, "priority": priority.model_dump(mode="json")}
