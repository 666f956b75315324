"""Kefu NLU: hear what each customer message needs and how the customer feels.

Pure text in, typed result out (no database): language, intents with calibrated confidences,
entities with exact spans, sentiment, emotions, urgency, abusive language, risks and a priority
with its reasons. ``analyze(text)`` uses a lazily built default :class:`Analyzer` (``analyze_many``
triages a batch with the same results, a little cheaper per message); hold your own ``Analyzer``
to control the model and languages.
"""

from __future__ import annotations

from kefu.nlu.entities import ENTITY_CHAR_CAP, extract_entities
from kefu.nlu.evaluation import EvalReport, evaluate
from kefu.nlu.features import CLASSIFIER_CHAR_CAP
from kefu.nlu.intents import IntentModel, LabelledText, train
from kefu.nlu.language import DEFAULT_LANGUAGES, detect_language
from kefu.nlu.pipeline import Analyzer, analyze, analyze_many, builtin_model, default_analyzer
from kefu.nlu.schemas import (
    EMOTIONS,
    INTENTS,
    RISKS,
    Entity,
    IntentScore,
    Priority,
    Sentiment,
    Span,
    Triage,
    TriageContext,
)
from kefu.nlu.sentiment import score_sentiment
from kefu.nlu.store import load_model, save_model

__all__ = [
    "CLASSIFIER_CHAR_CAP",
    "DEFAULT_LANGUAGES",
    "EMOTIONS",
    "ENTITY_CHAR_CAP",
    "INTENTS",
    "RISKS",
    "Analyzer",
    "Entity",
    "EvalReport",
    "IntentModel",
    "IntentScore",
    "LabelledText",
    "Priority",
    "Sentiment",
    "Span",
    "Triage",
    "TriageContext",
    "analyze",
    "analyze_many",
    "builtin_model",
    "default_analyzer",
    "detect_language",
    "evaluate",
    "extract_entities",
    "load_model",
    "save_model",
    "score_sentiment",
    "train",
]
