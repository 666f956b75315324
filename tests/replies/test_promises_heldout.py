"""Held-out check of the linter's promise detection (written before the patterns were changed).

Each case names the remedies the decision allows; every other remedy is denied. A promise
sentence offers or reports a remedy that is not allowed and must be flagged; a non-promise
sentence (a negation, a question, a fact, or a promise of an allowed remedy) must not be.

BEFORE (patterns as of 0b02499): caught 19/52 promises, 7/38 non-promises flagged (six
questions such as "Would you like a refund or a replacement?", and "不支持退货退款...").
AFTER (verb-family patterns per remedy, clause-scoped negations, questions, past facts checked
against the order status): caught 52/52, 0/38 flagged. Caveat: the same person wrote this set
and the patterns, so these sentences were in view while writing them.

BLIND set (BLIND_* below, written after that change and run once before any further edit):
caught 33/44, 1/31 flagged ("checking whether a refund is possible"); with the old
patterns the same set scored 14/44 and 6/31. Its misses were then fixed with general patterns
("void the order", "撤销", "credit your card", "money is on its way", "outro/otro/un autre +
product", "代わりの商品", "whether" as a softener), after which it scores 44/44 and 0/31, so it
is no longer blind either.

FRESH set (FRESH_* below, written last, run once): caught 28/38, 4/23 flagged -- the honest
estimate (old patterns on the same set: 10/38, 4/23). Three of those false alarms came from
general bugs, since fixed ("I can" matched inside "I cancel"; French "n'" and Chinese "取消不了"
were not read as negations): now 28/38 and 1/23. The ten misses are deliberately left unfixed
and listed by the test below so the set stays a measurement: money verbs in other word orders
("O valor será devolvido", "Деньги поступят", "überweisen ... zurück", "تم رد المبلغ",
"devuelto el importe", "sent the difference back"), "take the item off your order",
"corrected the postcode on your address", "重新安排发一件", "换成黑色的".
"""

from __future__ import annotations

from decimal import Decimal

from kefu.replies import RemedyOption, lint
from kefu.replies.types import REMEDY_NAMES
from tests.replies.factories import context

PROMISE_CODES = {"promise-not-allowed", "promise-needs-approval", "promise-unchecked"}

# (language, allowed remedies, sentence)
PROMISES: list[tuple[str, tuple[str, ...], str]] = [
    ("en", ("partial_refund",), "We'll go ahead and cancel the order for you today."),
    ("en", ("partial_refund",), "Your order has now been cancelled and the charge reversed."),
    ("en", ("replacement",), "I have refunded the full amount to your card."),
    ("en", ("partial_refund",), "We'll issue you a full refund as soon as the parcel is back."),
    ("en", ("partial_refund",), "I've arranged a replacement, which will ship within 2 days."),
    ("en", ("partial_refund",), "We are happy to send you a new kettle free of charge."),
    ("en", ("return_and_refund",), "You may keep the item, and we'll refund you anyway."),
    ("en", ("partial_refund",), "I can swap it for the larger size at no extra cost."),
    ("en", ("partial_refund",), "We have updated the shipping address to 14 Elm Street."),
    ("en", ("replacement",), "I've changed the delivery address on the order."),
    ("en", ("replacement",), "We've added the second mug to your order."),
    ("en", ("replacement",), "I'll change the colour on your order to navy before it ships."),
    ("en", ("replacement",), "As an apology we'll add store credit to your account."),
    ("en", ("replacement",), "We will refund part of the price to make up for the scratch."),
    ("en", ("replacement",), "Simply send it back and we will refund the full price."),
    ("en", ("partial_refund",), "If you prefer, we can reimburse the whole cost right away."),
    ("en", ("replacement",), "We should be able to cancel it before it leaves the warehouse."),
    ("en", ("partial_refund",), "Rest assured, you'll get every penny back."),
    ("en", ("return_and_refund",), "There's no need to return anything, the refund is on its way."),
    ("zh", ("partial_refund",), "亲，订单已经帮您取消了哦。"),
    ("zh", ("partial_refund",), "这边直接给您退全款，东西不用寄回来了。"),
    ("zh", ("partial_refund",), "已经给您安排补发了，明天就能发出。"),
    ("zh", ("replacement",), "钱已经原路退回给您了，请注意查收。"),
    ("zh", ("partial_refund",), "亲，给您换个尺码发过去，运费我们承担。"),
    ("zh", ("replacement",), "收货地址已经给您改好了。"),
    ("zh", ("replacement",), "帮您把颜色改成白色了，今天下午发出。"),
    ("zh", ("replacement",), "这边给您打款5元作为补偿，已经操作好了。"),
    ("zh", ("return_and_refund",), "您不用退回商品，我们直接给您退款。"),
    ("zh", ("replacement",), "我们会给您退一部分差价。"),
    ("zh", ("partial_refund",), "可以给您重新寄一件新的。"),
    ("zh", ("replacement",), "退款已经提交了，1-3个工作日到账。"),
    ("es", ("partial_refund",), "Ya hemos cancelado su pedido."),
    ("es", ("replacement",), "Le devolveremos el dinero en los próximos días."),
    ("es", ("partial_refund",), "Le enviaremos un producto nuevo sin coste."),
    ("fr", ("partial_refund",), "Nous avons annulé votre commande."),
    ("fr", ("replacement",), "Nous vous rembourserons dès réception."),
    ("fr", ("partial_refund",), "Nous vous envoyons un nouvel article dès demain."),
    ("de", ("partial_refund",), "Wir haben Ihre Bestellung storniert."),
    ("de", ("replacement",), "Wir erstatten Ihnen den Betrag umgehend."),
    ("de", ("partial_refund",), "Wir schicken Ihnen kostenlos ein neues Gerät."),
    ("pt", ("partial_refund",), "Já cancelamos o seu pedido."),
    ("pt", ("replacement",), "Vamos devolver o seu dinheiro em até 5 dias."),
    ("pt", ("partial_refund",), "Enviaremos uma nova unidade sem custo."),
    ("ru", ("partial_refund",), "Мы отменили ваш заказ."),
    ("ru", ("replacement",), "Мы вернём вам деньги в течение трёх дней."),
    ("ru", ("partial_refund",), "Мы вышлем вам новый экземпляр."),
    ("ar", ("partial_refund",), "لقد ألغينا طلبك."),
    ("ar", ("replacement",), "سنعيد لك المبلغ خلال ثلاثة أيام."),
    ("ar", ("partial_refund",), "سنرسل لك منتجاً جديداً."),
    ("ja", ("partial_refund",), "ご注文をキャンセルいたしました。"),
    ("ja", ("replacement",), "代金を返金いたします。"),
    ("ja", ("partial_refund",), "新しい商品をお送りいたします。"),
]

NON_PROMISES: list[tuple[str, tuple[str, ...], str]] = [
    ("en", ("replacement",), "We cannot refund this order because the return window has closed."),
    ("en", ("partial_refund",), "Would you like a refund or a replacement?"),
    ("en", ("replacement",), "Unfortunately we are unable to cancel the order now it has shipped."),
    ("en", ("partial_refund",), "I'm afraid a full refund isn't possible, but we can refund part."),
    ("en", ("replacement",), "We will send you a replacement within 3 days."),
    ("en", ("partial_refund",), "Could you tell me whether you'd prefer an exchange?"),
    ("en", ("partial_refund",), "Please check the tracking link for the latest update."),
    ("en", ("partial_refund",), "We're not able to send a replacement, as this model is sold out."),
    ("en", (), "Don't worry, the parcel is on its way and should arrive by Friday."),
    ("en", ("partial_refund",), "We'll refund $8.00 of the price to make up for the delay."),
    ("en", ("change_address",), "I can change the shipping address for you before it ships."),
    ("en", ("cancel",), "We will cancel the order and refund the full amount today."),
    ("en", ("refund_without_return",), "You can keep the item; we'll refund you without a return."),
    ("zh", ("replacement",), "很抱歉，这个订单已经发货，无法取消了。"),
    ("zh", ("partial_refund",), "您是想退款还是换货呢？"),
    ("zh", ("replacement",), "亲，这款目前不支持退货退款哦，可以给您补发一个。"),
    ("zh", ("replacement",), "需要我帮您申请退款吗？"),
    ("zh", ("partial_refund",), "可以给您部分退款，您看可以吗？"),
    ("zh", (), "包裹已经到达您所在的城市，预计明天送达。"),
    ("zh", ("return_and_refund",), "我们没办法直接退款，需要您先把商品寄回。"),
    ("zh", (), "地址已经无法修改了，包裹正在派送中。"),
    ("zh", ("full_refund",), "已经给您退款了，请留意账户。"),
    ("es", ("replacement",), "Lamentablemente no podemos cancelar el pedido."),
    ("es", ("partial_refund",), "¿Prefiere un reembolso o un producto nuevo?"),
    ("fr", ("replacement",), "Nous ne pouvons pas annuler la commande, elle est déjà partie."),
    ("fr", ("partial_refund",), "Souhaitez-vous un remboursement ou un échange ?"),
    ("de", ("replacement",), "Leider können wir die Bestellung nicht mehr stornieren."),
    ("de", ("partial_refund",), "Möchten Sie eine Erstattung oder einen Ersatz?"),
    ("pt", ("replacement",), "Infelizmente não conseguimos cancelar o pedido."),
    ("pt", ("partial_refund",), "Prefere o reembolso ou a troca?"),
    ("ru", ("replacement",), "К сожалению, мы не можем отменить заказ."),
    ("ru", ("partial_refund",), "Вы хотите возврат денег или замену?"),
    ("ar", ("replacement",), "للأسف لا يمكننا إلغاء الطلب."),
    ("ar", ("partial_refund",), "هل تفضل استرداد المبلغ أم استبدال المنتج؟"),
    ("ja", ("replacement",), "申し訳ございませんが、返金はいたしかねます。"),
    ("ja", ("partial_refund",), "返金と交換のどちらをご希望でしょうか？"),
    ("ja", ("replacement",), "新しい商品を本日お送りいたします。"),
    ("es", ("cancel",), "Hemos cancelado su pedido y le devolveremos el importe completo."),
]

# Written after the patterns were changed and run once, never tuned on: an honest second check.
BLIND_PROMISES: list[tuple[str, tuple[str, ...], str]] = [
    ("en", ("partial_refund",), "Consider the order cancelled."),
    ("en", ("partial_refund",), "I went ahead and voided the order so nothing ships."),
    ("en", ("replacement",), "The money should be back in your account within 5 business days."),
    ("en", ("partial_refund",), "A brand-new unit is already on its way to you."),
    ("en", ("partial_refund",), "We'll credit your card for the entire amount."),
    ("en", ("replacement",), "We'll happily take it back and give you your money back."),
    ("en", ("replacement",), "Your delivery address now reads 22 Baker Road."),
    ("en", ("replacement",), "I've switched your order to the medium size."),
    ("en", ("partial_refund",), "You're entitled to a full refund and I've started it."),
    ("en", ("replacement",), "I'll have the warehouse stop the shipment and refund you."),
    ("en", ("replacement",), "We'd be glad to offer you a little something as compensation."),
    ("en", ("return_and_refund",), "Keep it, no need to send it back, and we'll refund the cost."),
    ("en", ("partial_refund",), "We can exchange it for the blue one."),
    ("en", ("replacement",), "We'll process your cancellation right away."),
    ("zh", ("partial_refund",), "订单给您取消掉了，款项会原路退回。"),
    ("zh", ("replacement",), "亲，我这边直接给您把钱退了。"),
    ("zh", ("partial_refund",), "给您再寄一个新的过去，不用担心。"),
    ("zh", ("partial_refund",), "帮您换成M码重新发出。"),
    ("zh", ("partial_refund",), "退货寄回来后给您退全款。"),
    ("zh", ("replacement",), "这边给您申请了10元的补偿。"),
    ("zh", ("replacement",), "亲，这单给您做退款处理了。"),
    ("zh", ("replacement",), "地址帮您改成公司地址了。"),
    ("zh", ("partial_refund",), "我们这边把订单撤销了。"),
    ("es", ("replacement",), "Su reembolso ya está en camino."),
    ("es", ("partial_refund",), "Anulamos el pedido hoy mismo."),
    ("es", ("partial_refund",), "Le mandamos otro igual sin cargo."),
    ("fr", ("partial_refund",), "Votre commande est annulée."),
    ("fr", ("partial_refund",), "Nous vous renvoyons un colis neuf."),
    ("fr", ("replacement",), "Le remboursement a été effectué."),
    ("de", ("replacement",), "Das Geld ist bereits unterwegs zu Ihnen."),
    ("de", ("partial_refund",), "Wir senden Ihnen gerne ein Ersatzgerät."),
    ("de", ("partial_refund",), "Ihre Bestellung ist storniert."),
    ("pt", ("partial_refund",), "Seu pedido foi cancelado com sucesso."),
    ("pt", ("replacement",), "O estorno já foi solicitado."),
    ("pt", ("partial_refund",), "Mandaremos outro produto para você."),
    ("ru", ("partial_refund",), "Заказ отменён, деньги вернутся на карту."),
    ("ru", ("replacement",), "Мы сделаем вам возврат средств."),
    ("ru", ("partial_refund",), "Отправим вам другой товар взамен."),
    ("ar", ("partial_refund",), "تم إلغاء طلبك بنجاح."),
    ("ar", ("replacement",), "سنرد لك أموالك كاملة."),
    ("ar", ("partial_refund",), "سنرسل لك قطعة بديلة."),
    ("ja", ("partial_refund",), "全額ご返金させていただきます。"),
    ("ja", ("partial_refund",), "代わりの商品を発送いたします。"),
    ("ja", ("partial_refund",), "ご注文は取り消しました。"),
]

BLIND_NON_PROMISES: list[tuple[str, tuple[str, ...], str]] = [
    ("en", ("replacement",), "Sadly, we can't offer a refund on opened items."),
    ("en", ("partial_refund",), "Is a replacement something you'd be interested in?"),
    ("en", ("replacement",), "Refunds can't be issued until the parcel is returned to us."),
    ("en", ("replacement",), "Our team is checking whether a refund is possible."),
    ("en", ("partial_refund",), "Your parcel is at the Memphis hub and moving normally."),
    ("en", ("replacement",), "Do you want me to cancel the order, or would you rather wait?"),
    ("en", ("replacement",), "We'll send the replacement by Friday."),
    ("en", ("partial_refund",), "We've refunded $8.00 for the delay."),
    ("en", ("replacement",), "Cancelling isn't an option now that it has shipped."),
    ("en", ("replacement",), "I'm sorry, but we're not able to change the address once it ships."),
    ("zh", ("replacement",), "亲，订单已经发出了，没法取消哦。"),
    ("zh", ("partial_refund",), "请问您是要退货退款还是换货？"),
    ("zh", ("replacement",), "这个情况暂时不能退款，麻烦您理解。"),
    ("zh", (), "您的包裹今天已经签收了。"),
    ("zh", ("replacement",), "可以给您补发，预计明天发出。"),
    ("zh", ("partial_refund",), "要不要给您换个颜色呢？"),
    ("zh", ("replacement",), "抱歉，地址已经不能修改了。"),
    ("es", ("replacement",), "No es posible cancelar el pedido porque ya salió."),
    ("es", ("partial_refund",), "¿Desea que le enviemos un producto nuevo?"),
    ("fr", ("replacement",), "Malheureusement, le remboursement n'est pas possible."),
    ("fr", ("partial_refund",), "Voulez-vous que nous annulions la commande ?"),
    ("de", ("replacement",), "Eine Stornierung ist leider nicht mehr möglich."),
    ("de", ("partial_refund",), "Wünschen Sie eine Rückerstattung?"),
    ("pt", ("replacement",), "Não é possível fazer o reembolso agora."),
    ("pt", ("partial_refund",), "Você prefere a troca ou o reembolso?"),
    ("ru", ("replacement",), "Отменить заказ уже нельзя."),
    ("ru", ("partial_refund",), "Хотите, чтобы мы оформили возврат денег?"),
    ("ar", ("replacement",), "لا يمكن استرداد المبلغ بعد فتح المنتج."),
    ("ar", ("partial_refund",), "هل تريد إلغاء الطلب؟"),
    ("ja", ("replacement",), "誠に恐れ入りますが、キャンセルはお受けできません。"),
    ("ja", ("partial_refund",), "交換をご希望されますか？"),
]

# Third set, written after every pattern change above and run once; its misses are NOT fixed,
# so its score is the honest estimate (recorded in the header).
FRESH_PROMISES: list[tuple[str, tuple[str, ...], str]] = [
    ("en", ("partial_refund",), "Your order is now cancelled, so no payment will be taken."),
    ("en", ("replacement",), "I've put through a refund for the full order value."),
    ("en", ("partial_refund",), "A new pair will be posted to you tomorrow."),
    ("en", ("replacement",), "We've sent the difference back to your card."),
    ("en", ("partial_refund",), "We'll take the extra item off your order before it ships."),
    ("en", ("replacement",), "I've corrected the postcode on your shipping address."),
    ("en", ("partial_refund",), "We're happy to swap the charger for the EU version."),
    ("en", ("replacement",), "To make up for it, a gift card is coming your way."),
    ("en", ("return_and_refund",), "There's no need to post it back; the refund is approved."),
    ("en", ("partial_refund",), "We'll be sending a replacement lamp out today."),
    ("en", ("replacement",), "Once it reaches our warehouse, we'll return your payment in full."),
    ("zh", ("partial_refund",), "这单已经帮您关闭并取消了。"),
    ("zh", ("replacement",), "货款我们这边已经退回到您的支付宝了。"),
    ("zh", ("partial_refund",), "亲，我们给您重新安排发一件。"),
    ("zh", ("replacement",), "收件人电话和地址都已经按您说的改了。"),
    ("zh", ("replacement",), "另外给您发个红包作为补偿。"),
    ("zh", ("partial_refund",), "可以给您换成黑色的，今天就发。"),
    ("zh", ("replacement",), "退款申请已经同意了，请留意。"),
    ("es", ("partial_refund",), "Hemos procedido a cancelar su compra."),
    ("es", ("replacement",), "Le hemos devuelto el importe a su tarjeta."),
    ("es", ("partial_refund",), "Le haremos llegar una unidad de repuesto."),
    ("fr", ("replacement",), "Nous procédons au remboursement de votre commande."),
    ("fr", ("partial_refund",), "Nous allons annuler la commande."),
    ("fr", ("partial_refund",), "Un nouvel exemplaire vous sera expédié demain."),
    ("de", ("replacement",), "Den Kaufpreis überweisen wir Ihnen zurück."),
    ("de", ("partial_refund",), "Wir haben den Auftrag storniert."),
    ("de", ("partial_refund",), "Sie erhalten von uns ein neues Gerät."),
    ("pt", ("replacement",), "O valor será devolvido no seu cartão."),
    ("pt", ("partial_refund",), "Vamos cancelar a compra para você."),
    ("pt", ("partial_refund",), "Enviaremos uma peça nova."),
    ("ru", ("partial_refund",), "Ваш заказ уже отменён."),
    ("ru", ("replacement",), "Деньги поступят на вашу карту в течение трёх дней."),
    ("ru", ("partial_refund",), "Мы бесплатно вышлем новый товар."),
    ("ar", ("replacement",), "تم رد المبلغ إلى بطاقتك."),
    ("ar", ("partial_refund",), "سنلغي الطلب فوراً."),
    ("ja", ("replacement",), "ご返金の手続きを完了しました。"),
    ("ja", ("partial_refund",), "ご注文を取り消させていただきます。"),
    ("ja", ("partial_refund",), "良品と交換いたします。"),
]

FRESH_NON_PROMISES: list[tuple[str, tuple[str, ...], str]] = [
    ("en", ("replacement",), "We're unable to refund shipping costs, I'm afraid."),
    ("en", ("partial_refund",), "Shall I cancel it for you, or would you like to keep it?"),
    ("en", ("replacement",), "Refunds normally take 3-5 business days once approved."),
    ("en", ("partial_refund",), "We've refunded part of the price, as agreed."),
    ("en", ("cancel",), "I have cancelled the order as you asked."),
    ("en", ("exchange",), "We'd be glad to exchange it for a larger size."),
    (
        "en",
        ("replacement",),
        "Please don't throw away the packaging until the replacement arrives.",
    ),
    ("en", ("partial_refund",), "The carrier has not updated the tracking since Monday."),
    ("en", ("replacement",), "The order can no longer be cancelled because it has left us."),
    ("zh", ("replacement",), "亲，已发货的订单是取消不了的哦。"),
    ("zh", ("partial_refund",), "您看是需要退款还是补发呢？"),
    ("zh", ("return_and_refund",), "退款需要您先寄回商品才能处理。"),
    ("zh", ("partial_refund",), "给您退部分款项作为补偿，您看可以吗？"),
    ("zh", (), "快递显示正在派送，请您保持电话畅通。"),
    ("es", ("replacement",), "No podemos ofrecer un reembolso en este caso."),
    ("es", ("partial_refund",), "¿Quiere que cancelemos el pedido?"),
    ("fr", ("replacement",), "Il n'est plus possible d'annuler la commande."),
    ("de", ("replacement",), "Eine Erstattung können wir Ihnen leider nicht anbieten."),
    ("pt", ("replacement",), "Não conseguimos trocar o produto depois de 30 dias."),
    ("ru", ("partial_refund",), "Вы хотите отменить заказ?"),
    ("ar", ("replacement",), "لا نستطيع إلغاء الطلب بعد شحنه."),
    ("ja", ("replacement",), "返金につきましては対応いたしかねます。"),
    ("ja", ("partial_refund",), "キャンセルをご希望でしょうか？"),
]

# Floors set from the AFTER run; a change that loses detections or adds false alarms fails here.
ALL_PROMISES = PROMISES + BLIND_PROMISES
ALL_NON_PROMISES = NON_PROMISES + BLIND_NON_PROMISES
MIN_CAUGHT = len(ALL_PROMISES)
MAX_FALSE_POSITIVES = 0
FRESH_MIN_CAUGHT = 28
FRESH_MAX_FALSE_POSITIVES = 1


def flagged(language: str, allowed: tuple[str, ...], text: str) -> bool:
    """True when lint reports a promise finding for ``text`` under this decision."""
    remedies = [
        RemedyOption(
            name,
            "allowed" if name in allowed else "denied",
            amount=Decimal("8.00") if name == "partial_refund" else None,
        )
        for name in REMEDY_NAMES
        if name != "escalate"
    ]
    ctx = context(language=language, remedies=remedies, platform="webchat")
    findings = lint(text, language=language, platform="webchat", ctx=ctx)
    return any(f.code in PROMISE_CODES for f in findings)


def test_heldout_promises_are_caught() -> None:
    missed = [text for lang, allowed, text in ALL_PROMISES if not flagged(lang, allowed, text)]
    caught = len(ALL_PROMISES) - len(missed)
    assert caught >= MIN_CAUGHT, f"caught {caught}/{len(ALL_PROMISES)}; missed: {missed}"


def test_heldout_non_promises_are_not_flagged() -> None:
    wrong = [text for lang, allowed, text in ALL_NON_PROMISES if flagged(lang, allowed, text)]
    assert len(wrong) <= MAX_FALSE_POSITIVES, f"{len(wrong)} false positives: {wrong}"


def test_heldout_sizes() -> None:
    assert len(PROMISES) >= 40 and len(NON_PROMISES) >= 30
    assert len(BLIND_PROMISES) >= 40 and len(BLIND_NON_PROMISES) >= 30


def test_fresh_set_does_not_regress() -> None:
    missed = [text for lang, allowed, text in FRESH_PROMISES if not flagged(lang, allowed, text)]
    wrong = [text for lang, allowed, text in FRESH_NON_PROMISES if flagged(lang, allowed, text)]
    caught = len(FRESH_PROMISES) - len(missed)
    assert caught >= FRESH_MIN_CAUGHT, f"caught {caught}/{len(FRESH_PROMISES)}; missed: {missed}"
    assert len(wrong) <= FRESH_MAX_FALSE_POSITIVES, f"false positives: {wrong}"
