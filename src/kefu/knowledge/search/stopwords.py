"""Short function-word lists per language, dropped before stemming.

Kept deliberately small (articles, pronouns, auxiliaries, prepositions): BM25's IDF already
discounts frequent words, so these lists mainly shrink posting lists and speed queries up.
Negations ("not", "nicht", "pas") stay searchable because they change meaning.
"""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


STOPWORDS: dict[str, frozenset[str]] = {
    "en": _words(
        "a an the and or but if of at by for with about into onto from to in on off over under"
        " again then once here there when where why how all any both each few more most other"
        " some such only own same so than too very s t can will just should now i me my myself"
        " we our ours ourselves you your yours yourself yourselves he him his himself she her"
        " hers herself it its itself they them their theirs themselves what which who whom this"
        " that these those am is are was were be been being have has had having do does did"
        " doing would could as until while up down out because through during before after"
        " above below between"
    ),
    "de": _words(
        "der die das den dem des ein eine einer eines einem einen und oder aber wenn als wie"
        " zu zum zur im in am an auf aus bei mit nach von vor für über unter um durch ich du er"
        " sie es wir ihr mich mir dich dir sich uns euch mein meine dein deine sein seine ihre"
        " unser euer ist sind war waren bin bist seid wird werden wurde hat haben hatte habe"
        " dass da so auch noch schon doch ja"
    ),
    "fr": _words(
        "le la les l un une des du de d et ou mais si que qu qui quoi dont où à au aux en dans"
        " par pour sur sous avec chez je j tu il elle on nous vous ils elles me m te se s mon"
        " ma mes ton ta tes son sa ses notre nos votre vos leur leurs ce cet cette ces est sont"
        " était être ai as a avons avez ont suis es sommes êtes y"
    ),
    "es": _words(
        "el la los las lo un una unos unas y o pero si que de del a al en con por para sin"
        " sobre entre yo tú él ella nosotros vosotros ellos ellas me te se nos os le les mi mis"
        " tu tus su sus nuestro nuestra vuestro es son era eran ser está están estoy he ha han"
        " hay como muy ya"
    ),
    "pt": _words(
        "o a os as um uma uns umas e ou mas se que de do da dos das em no na nos nas por pelo"
        " pela para com sem eu tu ele ela nós vós eles elas me te lhe lhes meu minha seu sua"
        " é são era foi ser está estão estou tem têm há como muito já"
    ),
    "it": _words(
        "il lo la i gli le un uno una e o ma se che di del della dei delle a al alla ai in nel"
        " nella con per su da dal dalla io tu lui lei noi voi loro mi ti si ci vi mio mia tuo"
        " tua suo sua è sono era erano essere ho ha hanno come molto già"
    ),
    "nl": _words(
        "de het een en of maar als dan van in op aan met voor naar bij uit om door over ik jij"
        " je hij zij ze wij we jullie mij me mijn jouw zijn haar ons onze is was waren ben bent"
        " wordt worden heb heeft hebben dat die dit deze er"
    ),
    "ru": _words(
        "и в во на с со к ко о об от до по за из у а но или же ли бы я ты он она оно мы вы"
        " они меня мне тебя тебе его ему её ей нас нам вас вам их им мой моя моё мои твой ваш"
        " наш это этот эта эти тот та те что как так уже был была было были быть есть"
    ),
    # Chinese particles and the commonest function words, as jieba segments them.
    "zh": _words(
        "的 了 着 地 得 之 是 在 和 与 及 或 也 都 就 而 吗 吧 呢 啊 呀 哦 嘛 么 这 那 个"
    ),
}
