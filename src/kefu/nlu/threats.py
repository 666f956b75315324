"""When a threat's words are no threat: ruled out ("I'm not going to leave a bad review",
"我不会给差评的"), given up ("I was going to open a dispute but it arrived"), taken back ("之前点
了平台介入是手滑 已经撤销了") or asked about ("does the A-to-z guarantee cover customs delays?",
"过了七天还能申请平台介入吗"). ``kefu.nlu.signals`` asks for every risk cue it finds."""

from __future__ import annotations

import re

from kefu.nlu.textnorm import CJK_SPACE

# Said in the same clause, before the cue (or after it, where Japanese, Chinese and Russian
# may put it), and not inside a condition: "if you won't refund I'll open a dispute" is still a
# threat.
_DENIAL_BEFORE = re.compile(
    r"(?i:\b(?:not going to|not gonna|won'?t|will not|wouldn'?t|do(?:n'?t| not) (?:want|plan|"
    r"intend)|no intention|not threatening|not trying to|not planning|never (?:would|will)|"
    r"not doing|not filing|not opening|not making|"
    r"no need (?:to|for)|no (?:os |te |les |le |lo |la )?voy a|no quiero|no pienso|"
    r"no tengo intención|je ne vais pas|je ne veux pas|pas l'intention|"
    r"ich (?:werde|will) (?:keine|nicht|niemanden)|nicht vor|"
    r"não vou|não quero|не буду|не собираюсь|не хочу|"
    # Italian, Dutch and Polish: "non ho intenzione di", "ik ga geen", "nie zamierzam".
    r"non (?:ho intenzione di|voglio|sto minacciando|vi lascerò|lascerò|farò|aprirò)|"
    r"(?:ik )?(?:ga|wil|zal) (?:echt |zeker |heus )?(?:geen|niet)|niet van plan|pas envie de|"
    r"nie (?:zamierzam|chc[eę]|b[eę]d[eę]|grożę|planuj[eę]))\b)"
    # "I'm not going to sue": the cue "going to sue" starts inside the denial; "ich gebe keine
    # schlechte Bewertung": the negation is the cue's own article.
    r"|(?i:\b(?:not|never|keine|kein)\s+$)"
    r"|(?i:\bje ne (?:laisserai|mettrai|posterai|ferai)\b|\bdon'?t (?:leave|give) me\b)"
    # "麻烦别给我差评" (the buyer asks not to be rated), "手滑点了差评", "我给快递公司差评了".
    r"|(?:别|不要)给我(?:个|打|留)?$|(?:手滑|不小心|误)(?:点了|点|给了|打了)?$"
    r"|给快递(?:公司|员|小哥)?(?:打了|给了|打|给)?$"
    r"|不会|不想|不打算|没打算|没有要|不是要|并不想|并没有要|不至于"
    r"|لا أريد|لا اريد|لا أنوي|لا انوي|مش ناوي|مش عايز|ما أبي|ما ابي|ما بدي|ما أبغى|ما ابغى"
    r"|ما راح|ما رح|مو راح|مش راح|لن|مش ه\w+ "
)
# Done by mistake, said before the claim or after it.
_BY_MISTAKE = (
    "by mistake|by accident|per errore|per sbaglio|per ongeluk|per vergissing"
    "|przez pomyłkę|przez pomylke|sin querer|por equivocación|par erreur|par mégarde"
    "|sem querer|por engano|aus versehen|versehentlich|por error|по ошибке|случайно"
    "|przez przypadek|بالخطأ"
)
_DENIAL_AFTER = re.compile(
    r".{0,6}?(?:つもりはな|つもりはありません|しません|たくない|までは(?:しない|しません)|是不会|就算了|倒不至于|不是我(?:写|给|发)的"
    r"|是手滑|点错了|已经撤销|撤销了|是给别家|给别家的|がありました"
    r"|结果出来了|已经结束|已经关闭|(?:跟|和|与)你们(?:没|无)关系|不是故意)"
    # "den Fall bei eBay zurückgezogen": taken back, said after.
    r"|(?i:[^,.;!?]{0,24}?\b(?:zurückgezogen|zurückgenommen|geschlossen)\b)"
    # A consumer body read, not told: "12315网站上说", "hab ich gelesen", "accredited".
    r"|(?:网站|官网)|(?i:[^,.;!?]{0,16}?\b(?:gelesen|accredited|empfohlen|recommended|recomendó"
    r"|recomendou)\b)"
    # Someone else's review, seen: "悪いレビューを見たのですが", "안 좋은 리뷰 봤는데".
    r"|.{0,4}?(?:を見|を読|봤|읽었)"
    # A model named like a threat ("12315款"), right after it: "开了纠纷，请尽快退款" is a threat.
    r"|是?型号|款"
    # Done to the buyer, not by them: "カード会社に…決済を止められました".
    r"|られ"
    r"|.{0,16}?(?:能|可以)改成?好评吗"
    # "I left 1 star for the courier, not you".
    r"|(?i:.{0,6}?\b(?:for|to|on) the (?:courier|driver|carrier|delivery|postman|mailman)\b)"
    r"|(?i:.{0,12}?(?:got closed|was closed|is closed|est clos|a été clôturé|foi encerrad"
    r"|fue cerrad|wurde geschlossen|закрыт))"
    r"|.{0,16}?не (?:буду|стану)"
    # Turkish and Korean deny after the threat: "yorum yazmayacağım", "신고할 생각은 없어요".
    r"|(?i:\w{0,12}\s?\w*(?:ma|me)yaca[ğg][ıi]m|.{0,16}?niyetim yok|.{0,16}?düşünmüyorum"
    # Given up or not wanted, said after: "şikayetten vazgeçtim", "bildirmek istemiyorum",
    # "공정위 신고할까 하다가 참았어요".
    r"|.{0,12}?vazge[çc]tim|.{0,12}?istemiyorum)"
    r"|.{0,10}?(?:하다가|려다가|려다)\s?(?:참았|말았|그만뒀|안 했)"
    r"|.{0,10}?(?:생각은? 없|안 할|하지 않을|안 남길|안 쓸)"
    # "쿠팡에 신고하고 싶지는 않아요", but not "하고 싶지 않아요. 근데 이렇게 대응하시면...".
    r"|.{0,10}?(?:싶지(?:는|도)? 않|싶진 않)(?!\S{0,3}[.!]?\s*(?:근데|하지만|그런데|그래도))"
    rf"|(?i:.{{0,16}}?(?:{_BY_MISTAKE}))"
)
# Said before: "przez pomyłkę otworzyłem dyskusję", "실수로 분쟁 신청을".
_MISTAKE_BEFORE = re.compile(
    rf"(?i:\b(?:accidentally|{_BY_MISTAKE}|yanlışlıkla|yanlislikla)\b)|실수로|잘못 눌러"
    r"|間違えて|誤って|误点|不小心点|手滑点|点错"
)
# A claim the platform has closed ("AliExpress zamknął spór na moją korzyść"), or the buyer
# took back ("I withdrew my eBay case", "Retiré el reclamo", "我撤回了平台介入申请").
_CLOSED_BEFORE = re.compile(
    r"(?i:\b(?:zamkn[ąę][łl]\w*|ha chiuso|heeft .{0,12}gesloten|kapattı|withdrew|withdrawn"
    r"|retiré|retirei|retirado|i'?ve closed|i closed|i have closed|j'ai (?:clôturé|fermé)"
    r"|encerrei|fechei|cerré|he cerrado)\s)|撤回|撤销"
)
# Someone else's claim against another shop: "mijn zus heeft ooit een zaak bij PayPal geopend
# tegen een andere winkel", "arkadaşım başka bir mağazaya itiraz açmıştı".
# Only a claim against or with that shop: "I'll leave a 1-star review and buy from another
# shop" holds a threat and a churn.
_ANOTHER_SHOP = re.compile(
    r"(?i:\b(?:against|with) (?:another|a different|some other) (?:shop|store|seller)"
    r"|\b(?:contro|con) un altro (?:negozio|venditore)"
    r"|\b(?:tegen|bij) een andere (?:winkel|verkoper|webshop)"
    r"|\bz (?:jakimś|innym) sklepem|\bz innym sprzedawcą|\bprzeciwko innemu sklepowi"
    r"|\bbaşka bir (?:mağazaya|satıcıya)|\bbaska bir (?:magazaya|saticiya)"
    r"|\bcontra (?:otra tienda|otro vendedor|outra loja|outro vendedor)"
    r"|\bcontre (?:un autre (?:site|vendeur|magasin)|une autre boutique)"
    r"|\b(?:über|gegen) einen anderen (?:händler|shop|verkäufer)"
    r"|다른 (?:가게|판매자|쇼핑몰|업체)(?:에|한테|랑|하고|와|과)\s"
    r"|\bavec (?:une autre boutique|un autre (?:site|vendeur|magasin)))"
    r"|在(?:别家|别的店|其他店|别的商家|其他商家)|投诉了?(?:另一家|别家|别的店|其他店)"
)
# A consumer body as a source, not a threat: "bien noté par UFC-Que Choisir", "No site do Procon
# diz que tenho 7 dias".
_SOURCE_BEFORE = re.compile(
    r"(?i:\b(?:noté|notée|recommandé|recommandée|testé|testée|rated|tested|reviewed|getestet"
    r"|empfohlen) (?:par|by|von) (?:l'|la |le |der |die |the )?$"
    r"|\b(?:site|website|seite|página|pagina|guide|artikel|article) (?:de la |de l'|du |do |da "
    r"|der |des |of the |of |von der |de )?$)"
)
# A friend's claim at another shop: "Kolega musiał robić chargeback w innym sklepie", "我朋友之前
# 在别的网店被骗，最后找银行拒付才拿回钱".
_SOMEONE_ELSE = re.compile(
    r"(?i:\b(?:friend|my (?:brother|sister|colleague|cousin|neighbou?r)|mon (?:frère|ami|voisin)"
    r"|ma (?:sœur|soeur|voisine|cousine|amie)|une amie|un ami|una amiga|un amigo|mi hermana?o?"
    r"|uma amiga|um amigo|minha irmã|meu irmão|mein (?:kollege|freund|bruder)|eine freundin"
    r"|meine (?:schwester|freundin|kollegin)|kolega|koleżanka|znajomy|arkadaşım|подруга|друг"
    r"|коллега|brat|siostra)\b)|친구가|友人が|友達が|صديقي|صديقتي|我朋友|朋友|同事"
)
_ELSEWHERE = re.compile(
    r"(?i:\b(?:another|other|different|some \w+ (?:shop|store|seller|site)|otra|otro|outra"
    r"|outro|autre|anderen|andere|innym|innemu|inny|başka|другом|другой|другому|آخر|أخرى|ثاني)\b)|다른|別の|别的|别家|另一家|其他"
)
# A bad rating for the courier, next to it: "gave the delivery company 1 star", "j'ai mis une
# mauvaise note au transporteur", "配送業者を低評価に".
_COURIER = re.compile(
    r"(?i:\b(?:gave|give|giving|rated?|rating) (?:the )?(?:delivery company|courier|driver|carrier)"
    r"|\b(?:au|le) (?:transporteur|livreur)\b|\b(?:pra|para a|à) transportadora\b"
    r"|\b(?:pro|para o|ao) entregador\b|\b(?:al repartidor|a la (?:paquetería|mensajería))\b"
    r"|\bdem (?:paketdienst|zusteller|fahrer)\b|\bde bezorger\b|службе доставки|курьеру)"
    r"|(?:配送業者|配達員)(?:を|に)|(?:قيمت|قيّمت) شركة الشحن|택배사에|기사님께"
)
_COURIER_REACH = 32
# The courier rated and the shop cleared in one message: "Kurier InPostu rzucił paczką, dałam
# mu złą ocenę…, ale do was nie mam żadnych zastrzeżeń".
_COURIER_NAMED = re.compile(
    r"(?i:\b(?:courier|driver|delivery|livreur|corriere|bezorger|fahrer|kurier\w*|entregador"
    r"|repartidor|курьер\w*|dhl|postnl|chronopost|brt|inpost\w*|сдэк\w*|ups|fedex)\b)"
    r"|المندوب|شركة التوصيل|快递|配達員|택배"
)
_NOT_YOU = re.compile(
    r"(?i:\bnot (?:you|your fault)|nicht euch|nicht ihnen|n'y êtes pour rien|non c'entrate"
    r"|niks aan doen|nie mam żadnych zastrzeżeń|não têm culpa|претензий нет|no es culpa suya)"
    r"|ما قصرتوا|不是你们|跟你们没关系|あなたたちのせいでは"
)
# One's own past review of another shop: "Last year I left a terrible review for a different
# store", "之前在别家买过类似的，给了差评".
_PAST = re.compile(
    r"(?i:\b(?:last year|once|before|used to|l'an dernier|l'année dernière|una vez|uma vez"
    r"|vorig jaar|letztes jahr|früher|geçen yıl|в прошлом году|раньше|in passato"
    r"|el año pasado|ano passado"
    r"|l'anno scorso|w zeszłym roku|kiedyś)\b)|之前|以前|去年|上次|작년|예전에|قبل سنة"
)
# Another shop named as the one a claim was against: no churn.
_AGAINST = re.compile(r"(?i:\b(?:against|contra|contre|gegen|tegen|contro)\s+$)")
# A claim the buyer asks the shop to make with the carrier: "Pouvez-vous ouvrir une
# réclamation auprès de Colissimo ?", "投诉一下快递".
_CARRIER = re.compile(
    r"(?i:\b(?:with|to|against|auprès d[eu]|chez|contre|com|contra|junto a|con|bei|gegen)\s+"
    r"(?:the |la |le |les |l'|os |as |o |a |el |los |die |den |dem |der )?"
    r"(?:courier|carrier|post office|colissimo|la poste|chronopost|mondial relay|correios"
    r"|correos|seur|dhl|ups|fedex|usps|royal mail|evri|hermes|gls|dpd|canada post"
    r"|australia post|sedex|jadlog|loggi|deutsche post)\b)"
    r"|(?:投诉|举报)(?:一下)?(?:快递|物流|派送员)"
)
_CONDITION = re.compile(
    r"(?i:\b(?:if|unless|otherwise|or else|si|sinon|wenn|falls|sonst|se|senão|если|иначе)\b)"
    r"|如果|要是|否则|不然|再不"
)
# A comma ends the clause a denial rules over: "I don't want to wait any longer, I'll open a
# dispute" and "不想再等了，我要投诉你们" are threats.
_CLAUSE_END = re.compile(r"[.!?;,。！？；，、\n\u060c]")  # with the Arabic comma

# "I was about to leave a bad review but your support fixed everything", "本来想给差评的，结果
# 客服处理得太好了", "J'avais ouvert un litige mais vous avez réglé le souci": an intention given
# up, or a claim since closed. The intention alone ("I was about to open a dispute") is still a
# warning, so it needs a turn after the cue.
_ABANDONED = re.compile(
    r"(?i:\b(?:was|were|had been) (?:going|about|ready|planning|gonna) to\b|\bwas gonna\b"
    r"|\b(?:almost|nearly) (?:left|gave|wrote|opened|filed|posted|reported|called)\b"
    r"|\bhad (?:opened|filed|left|started)\b"
    r"|\biba a\b|\bestaba (?:a punto de|por)\b|\bhabía (?:abierto|puesto)\b|\bj'allais\b"
    r"|\bj'étais sur le point\b|\bj'avais (?:ouvert|laissé|mis|déposé)\b"
    r"|\bfailli\b|\bwollte (?:schon|eigentlich)\b|\b(?:hätte|wäre) (?:ich )?fast\b"
    r"|\bhatte (?:schon )?(?:einen|eine)\b"
    r"|\bia (?:deixar|dar|abrir)\b|\bestava (?:prestes|para)\b|\btinha aberto\b"
    r"|собирал(?:ся|ась)|хотел(?:а|и)?\b|чуть не|كنت ناوي|كنت ناويه|كنت بدي|كنت هعمل|كدت"
    r"|\bstavo per\b|\bero sul punto di\b|\bvolevo\b|\bik wilde\b|\bik was van plan\b"
    r"|\bchcia[łl](?:em|am)\b|\bmia[łl](?:em|am) zamiar\b|\bzamierza[łl](?:em|am)\b"
    r"|\w+(?:acak|ecek)t[ıi]m\b)"
    r"|本来想|本想|原本想|原本打算|本来打算|本来都准备|本来准备|差点|差一点|つもりでした|ところでした"
    r"|迷っていましたが|(?i:\bestuve a punto de\b|\bà deux doigts\b)"
)
_TURN = re.compile(
    r"(?i:\b(?:but|however|then|mais|pero|aber|doch|mas|porém|но|однако|ma|maar|ale|ama|fakat"
    r"|ancak)\b)|하지만|근데|는데"
    r"|但是|但|结果|可是|不过|没想到|لكن|بس|けど|でも|しかし|ましたが|でしたが"
)
# "saw a 1 star review on your listing", "vi una reseña mala en el anuncio", "看到有差评说...":
# a review that is there already, someone else's.
# Spanish and Portuguese "vi" (I saw) only before what was seen: Italian "vi" is "you" ("vi
# lascio una recensione negativa" is a threat).
_SEEN_BEFORE = re.compile(
    r"(?i:\b(?:saw|seen|read|vu|gesehen|gelesen)\b"
    r"|\bvi(?=\s+(?:una?|uma?|el|la|los|las|o|os|as|que|en|no|na|varias|muchas|muitas)\b)"
    r"|видел[аи]?|(?:про)?читал[аи]?|شفت|قريت|قرأت"
    # Italian and Polish: "ho letto che altri clienti hanno lasciato recensioni negative".
    r"|\bho (?:letto|visto|notato)\b|\bwidzia[łl](?:em|am)\b|\bczyta[łl](?:em|am)\b"
    r"|\bother (?:customers|buyers) (?:have|had|left|gave|wrote)\b"
    r"|\baltri (?:clienti|acquirenti) hanno\b)"
    r"|看到|看了"
    # Another shop's reviews: "your competitor has 1-star reviews", "隔壁那家差评一堆".
    # The Chinese shop right before its reviews: "别家都能退 就你们不行 差评" is a threat.
    r"|(?i:\bcompetitors?\b|\bother (?:shops?|sellers?|stores?)\b)"
    r"|(?:隔壁|别家|(?<!你们)那家(?!伙)|其他家|别的店)(?:的|店|店铺)?(?:全是|都是|一堆|好多|很多)?$"
)

# A question about the rules of a claim, not a claim: the cue's sentence asks, and asks about a
# window, a period or whether it still applies.
# A dot inside a name is no sentence end: "bol.com", "amazon.it".
_SENTENCE_END = re.compile(rf"\.(?!\w)|[!?。！？\n]|{CJK_SPACE}")
_ASKED = re.compile(
    r"[?？؟]\s*$|[吗么嘛]\s*[?？]?\s*$|(?:ますか|ですか)\s*[?？]?\s*$"
    # "请问平台介入一般要多久啊", "sólo por saber": a question without its mark.
    r"|请问|想问|问一下|问下|就问问|问问而已|(?i:just asking|only asking|nur interessehalber"
    r"|solo por saber|sólo por saber|juste pour info|só por curiosidade|просто спрашиваю"
    r"|per curiosità|domanda generica|uit nieuwsgierigheid|gewoon een vraag|z ciekawości"
    r"|ogólne pytanie|için soruyorum|merak ettim)|سؤال بس|궁금해서|물어봐서|궁금합니다"
)
_RULES = re.compile(
    r"(?i:\b(?:window|period|cover|covers|covered|how long|deadline|time limit|still|eligible"
    r"|how does|how do|work|works|wie läuft|periodo|período|plazo|prazo|cubre|cobre|cuánto tarda"
    r"|cuanto tarda|cómo funciona|como funciona|délai|couvre|comment fonctionne|frist|deckt"
    r"|wie funktioniert|срок|покрывает|как работает|come funziona|entro quanti giorni"
    r"|quanto tempo|hoe werkt|hoe lang|binnen hoeveel|jak działa|w jakim terminie|ile czasu"
    r"|jak|nasıl işliyor|ne kadar sürede|hangi belgeler|nasıl başvurulur|nasıl yapılır|nedir)\b)"
    r"|(?i:\b(?:procedura|procedure|procedur[aęy]|prosedür|süreç)\b)"
    r"|어떤 경우|어떻게 하|얼마나 걸|기간|절차"
    r"|多久|多长时间|还能|还可以|能不能|怎么申请|如何申请|期限|期间|対象|期間|どうやって|مدة|يشمل|كيف"
    r"|流程|(?i:\b(?:process|how to|proceso|processus|ablauf|processo)\b)"
)
# "12315是不是只能投诉国内商家？我问问而已": the question is said to be only a question.
_JUST_ASKING = re.compile(
    r"就问问|问问而已|只是问问|随便问问|(?i:just asking|only asking|just curious|solo pregunto"
    r"|sólo pregunto|je demande juste|nur eine frage|só perguntando|só uma dúvida)"
)
# "Is that 1-star review on your listing about the old version?": a review already there.
_REFERENCE = re.compile(r"(?i:\b(?:that|this|the|those|these)\s+$)|那条|这条")


def _sentence(text: str, start: int, end: int) -> str:
    bounds = [m.end() for m in _SENTENCE_END.finditer(text, 0, start)]
    sentence_start = bounds[-1] if bounds else 0
    close = _SENTENCE_END.search(text, end)
    return text[sentence_start : close.end() if close else len(text)]


def _asks_about_the_rules(text: str, start: int, end: int) -> bool:
    sentence = _sentence(text, start, end)
    if not _ASKED.search(sentence):
        return False
    if _RULES.search(sentence) or _REFERENCE.search(text, max(0, start - 8), start):
        return True
    after = text.find(sentence) + len(sentence)
    return bool(_JUST_ASKING.search(_sentence(text, after, after)) if after < len(text) else False)


def threat_ruled_out(text: str, start: int, end: int, *, churn: bool = False) -> bool:
    """Whether the risk cue at ``text[start:end]`` is no threat (see the module docstring).
    A ``churn`` cue may name another shop: going there is its threat."""
    clause_start = max((m.end() for m in _CLAUSE_END.finditer(text, 0, start)), default=0)
    before = text[max(clause_start, start - 60) : start]
    # Asked about, even with an "if": "si abro una disputa en aliexpress, ¿cuánto tarda?".
    if _asks_about_the_rules(text, start, end) or _SEEN_BEFORE.search(before[-30:]):
        return True
    if _MISTAKE_BEFORE.search(before) or _CLOSED_BEFORE.search(before):
        return True
    if _SOURCE_BEFORE.search(before):
        return True
    sentence = _sentence(text, start, end)
    elsewhere = not churn and _ELSEWHERE.search(sentence)
    if elsewhere and (_SOMEONE_ELSE.search(sentence) or _PAST.search(sentence)):
        return True
    near = text[max(0, start - _COURIER_REACH) : end + _COURIER_REACH]
    if _COURIER.search(near) or (_COURIER_NAMED.search(text) and _NOT_YOU.search(text)):
        return True
    clause_end = _CLAUSE_END.search(text, end)
    clause = before + text[start : clause_end.start() if clause_end else len(text)]
    if not churn and (_ANOTHER_SHOP.search(clause) or _CARRIER.search(clause)):
        return True
    if churn and _AGAINST.search(before):
        return True  # "reclamó en la OCU contra otra tienda": no leaving in that
    if _CONDITION.search(before):
        return False
    # The intention may hold the cue's first word: "ia abrir uma reclamação".
    if _ABANDONED.search(text, max(0, start - 40), end) and _TURN.search(text, end):
        return True
    # Up to 32 characters on: a Turkish denial closes its clause ("harcama itirazı yapma gibi
    # bir niyetim yok"); each pattern bounds its own reach.
    return bool(_DENIAL_BEFORE.search(before) or _DENIAL_AFTER.match(text, end, end + 32))


# "The last item in my order never arrived": a never that happened, no leaving.
_NEVER_HAPPENED = re.compile(
    r"(?i:\s*(?:arrived|came|showed|got|received|had|been|arrivé|reçu|angekommen|erhalten"
    r"|llegó|llego|chegou|arrivato|aangekomen|dotarł\w*|gelmedi))"
)


def leaving_ruled_out(text: str, start: int, end: int) -> bool:
    """Whether "never ... buy" at ``text[start:end]`` is no churn: asked about, given up ("I
    almost stopped ordering here, but you fixed it"), or a never that happened. Its own
    negation ("won't", "しません") is the leaving, so the denials don't apply."""
    if _asks_about_the_rules(text, start, end) or _NEVER_HAPPENED.match(text, end):
        return True
    return bool(_ABANDONED.search(text, max(0, start - 40), end) and _TURN.search(text, end))
