"""How the customer feels in one message: the sentiment of :mod:`kefu.nlu.sentiment`, read
against what else triage heard in it.

A word list and a review model score words; a support agent reads the message. Where the two
part, the agent's reading is the one Kefu keeps:

- opinion words inside a question are asked, not said ("what is the best way to return
  this?", "质量好的那款还有货吗"), and a problem in a conditional question is hypothetical ("坏了
  的话怎么保修？", "if it breaks can I return it?");
- a customer with a problem is not pleased, whatever words they wrap it in: a clear problem
  intent ("Paid for express and it's been sitting in a warehouse for 9 days", "wow, only 5
  weeks, impressive"; unless the warmth is a problem denied, "No le falta nada"), praise in
  scare quotes ("Thanks for the 'fast' shipping"), worry, anger, a threat or an insult, and
  disappointment where the words were not warm, all make the message negative.

The score of a message turned negative this way stays mild (about -0.3) unless its own words
were harsher: the priority's tone factor counts only below -0.5, so a calm report of a problem
does not jump the queue for its tone.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from kefu.nlu.schemas import Sentiment
from kefu.nlu.sentiment import NEUTRAL_BAND, Lexicon, lexicon, raw_score
from kefu.nlu.sentiment_lexicon import complains, denies_complaint
from kefu.nlu.textnorm import has_words

# Intents that mean the customer has a problem now (a request to cancel, return or exchange
# may be a change of mind, a question is a question).
PROBLEM_INTENTS = frozenset(
    {"shipping_delay", "delivered_not_received", "quality_issue", "wrong_item", "missing_item",
     "complaint"}
)  # fmt: skip
# A problem intent needs this much to outvote the message's words ("质量没得说，绝绝子" read as
# quality_issue 0.88, "tracking says out for delivery, will it need a signature?" as
# delivered_not_received 0.89).
PROBLEM_MIN = 0.9
TURNED_NEGATIVE_SHIFT = 0.25
_SENTENCE_END = re.compile(r"(?<=[.!?。！？\n])")
_ASKED = re.compile(r"[?？]\s*$|[吗嘛呢][\s~～]*$")
# Words that make a question hypothetical: "if", "in case", "万一", "的话", "falls", "si"...
_IF = re.compile(
    r"(?i:(?<![a-z])(?:if|in case|what if|si|se|wenn|falls|если|إذا|اذا|لو|nel caso|als|indien"
    r"|jeśli|jeżeli|gdyby|eğer|şayet)(?![a-z]))"
    r"|如果|要是|万一|假如|的话|もし|場合|たら|만약|만일"
)
_AFTER_COMMA = re.compile(r"(?<=[,，、;；])")  # a clause keeps its comma: negation stops there
# A clause of a question that asks too: it opens with a question word, or holds a Chinese or
# Japanese question word or particle.
_QUESTION_WORD = re.compile(
    r"(?i:^\s*(?:¿|(?:what|how|which|who|where|when|why|is|are|do|does|did|can|could|will"
    r"|would|should|qu[ée]|c[óo]mo|cu[áa]l|cu[áa]ndo|d[óo]nde|quel(?:le)?s?|comment|o[ùu]|quand"
    r"|pourquoi|est-ce|was|wie|welche[rsnm]?|wo|wann|warum|gibt|kann|können|ist|sind|qual|quais"
    r"|onde|como|как|какой|какая|какие|где|когда|почему|что|можно|ما|ماذا|كيف|هل|متى|أين"
    r"|وين|ليش|كم)\b))"
    r"|什么|怎么|如何|哪|是否|有没有|能不能|可不可以|多少|吗|呢|どう|何|いつ|どこ|ですか|ますか"
)
# A praise word in quotes is irony: 'fast', "waterproof", «быстрая», „schnell", “正品”.
_QUOTED = re.compile(r"(?<!\w)['\"‘“«„「『]([^'\"‘’“”«»„「」『』\n]{2,24})['\"’”»“」』](?!\w)")


@dataclass(frozen=True)
class Heard:
    """What triage heard in a message besides its words' sentiment."""

    intent: str
    intent_confidence: float
    low_confidence: bool
    emotions: list[str]
    risks: list[str]
    abusive: bool


Scorer = Callable[[str], Sentiment]


def stated_sentiment(text: str, language: str, score: Scorer) -> Sentiment:
    """The sentiment of what ``text`` states, not of what it asks or supposes."""
    sentences = [s for s in _SENTENCE_END.split(text) if has_words(s)]
    if not any(_ASKED.search(s) for s in sentences):
        return score(text)
    units = [unit for sentence in sentences for unit in _read_out(sentence)]
    said = "".join(part for part, _ in units)
    sentiment = score(said) if has_words(said) else Sentiment(label="neutral", score=0.0)
    told = "".join(part for part, asked in units if not asked)
    if sentiment.label != "positive" or raw_score(told, lexicon(language)) > 0:
        return sentiment
    # The warm words are all in questions ("is the good one in stock?"): nothing praised.
    return Sentiment(label="neutral", score=min(sentiment.score, NEUTRAL_BAND))


def _read_out(sentence: str) -> list[tuple[str, bool]]:
    """(part, asked) for one sentence: a statement is one part; a question is cut at its commas,
    its last clause and any clause opening with a question word asked, the others told ("Love
    it, do you have it in blue?" praises), and a supposing clause left out ("If it breaks, can
    I get a new one?")."""
    if not _ASKED.search(sentence):
        return [(sentence, False)]
    clauses = [c for c in _AFTER_COMMA.split(sentence) if has_words(c)]
    return [
        (clause, i == len(clauses) - 1 or _QUESTION_WORD.search(clause) is not None)
        for i, clause in enumerate(clauses)
        if not _IF.search(clause)
    ]


def settle(sentiment: Sentiment, text: str, language: str, heard: Heard) -> Sentiment:
    """``sentiment`` made negative where what else was heard says the customer is unhappy."""
    if heard.abusive and sentiment.score > -0.5:
        # Insults are negative whatever the lexicon saw ("you idiots, where is my parcel").
        return Sentiment(label="negative", score=-0.5)
    if sentiment.label == "negative":
        return sentiment
    if _unhappy(sentiment, text, language, heard):
        score = min(sentiment.score, -NEUTRAL_BAND) - TURNED_NEGATIVE_SHIFT
        return Sentiment(label="negative", score=round(score, 3))
    return sentiment


def _unhappy(sentiment: Sentiment, text: str, language: str, heard: Heard) -> bool:
    # A threat, anger or worry is negative however mild the words ("Honestly I'm done, never
    # buying from you again" read neutral beside its churn threat); disappointment outvotes
    # neutral words only (its cues miss some denials: "写真と違いなく、満足しています").
    if heard.risks or {"anger", "anxiety"}.intersection(heard.emotions):
        return True
    positive = sentiment.label == "positive"
    if "disappointment" in heard.emotions and not positive:
        return True
    lex = lexicon(language)
    problem = (
        heard.intent in PROBLEM_INTENTS
        and not heard.low_confidence
        and heard.intent_confidence >= PROBLEM_MIN
    )
    # Warm words beside a clear problem are irony or courtesy ("wow, only 5 weeks,
    # impressive"; "la robe est jolie mais elle taille trop petit"), unless the warmth is a
    # problem denied: "No le falta nada" praises, whatever the model made of it.
    if problem and (not positive or complains(text, lex) or not denies_complaint(text, lex)):
        return True
    return positive and _ironic(text, lex)


def _ironic(text: str, lex: Lexicon) -> bool:
    """A praise word in quotes: "Thanks for the 'fast' shipping. 47 days."."""
    return any(raw_score(m.group(1), lex) > 0 for m in _QUOTED.finditer(text))
