"""Replies: drafts in the customer's language, the reply linter, macros, optional LLM polish.

Pure package: typed values in, typed values out; no database, no clock, no network (except the
optional LLM provider in ``kefu.replies.llm``, which the caller builds from settings and passes
in; it is a separate module so that importing this package does not import ``openai``).
"""

from kefu.replies.composer import compose_draft
from kefu.replies.language import detect_language
from kefu.replies.linter import lint
from kefu.replies.macros import MacroProblem, macro_variables, render_macro, validate_macro
from kefu.replies.template_set import TEMPLATE_LANGUAGES
from kefu.replies.types import (
    PLATFORMS,
    REMEDY_NAMES,
    Brand,
    CustomerRef,
    Draft,
    DraftContext,
    Emotions,
    FactUsed,
    Finding,
    KnowledgeRef,
    OrderFacts,
    OrderItem,
    RemedyOption,
    Sentence,
)

__all__ = [
    "PLATFORMS",
    "REMEDY_NAMES",
    "TEMPLATE_LANGUAGES",
    "Brand",
    "CustomerRef",
    "Draft",
    "DraftContext",
    "Emotions",
    "FactUsed",
    "Finding",
    "KnowledgeRef",
    "MacroProblem",
    "OrderFacts",
    "OrderItem",
    "RemedyOption",
    "Sentence",
    "compose_draft",
    "detect_language",
    "lint",
    "macro_variables",
    "render_macro",
    "validate_macro",
]
