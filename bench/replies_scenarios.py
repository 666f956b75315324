"""Hand-written pieces for the replies benchmark, combined into scenarios by bench_replies.

Everything here is written by us for the benchmark; nothing is taken from a dataset, and the
composer's templates were not tuned on it.
"""

from __future__ import annotations

NAMES = {
    "en": ["Emily Carter", "James O'Neill", "Priya Shah"],
    "zh": ["王小明", "李娜", "陈静"],
    "es": ["Lucía Fernández", "Javier Morales", "Carmen Ruiz"],
    "fr": ["Camille Dubois", "Julien Martin", "Élodie Petit"],
    "de": ["Katrin Müller", "Jonas Becker", "Sabine Wolf"],
    "pt": ["Ana Souza", "Rafael Lima", "Beatriz Costa"],
    "ru": ["Ольга Смирнова", "Дмитрий Иванов", "Анна Кузнецова"],
    "ar": ["محمد العتيبي", "سارة الحربي", "خالد المنصور"],
    "ja": ["佐藤 美咲", "鈴木 健太", "高橋 陽子"],
}

ITEMS = {
    "en": ["Stainless steel water bottle", "Wireless earbuds", "Linen duvet cover"],
    "zh": ["不锈钢保温杯", "无线蓝牙耳机", "纯棉四件套"],
    "es": ["Botella de acero inoxidable", "Auriculares inalámbricos", "Funda nórdica de lino"],
    "fr": ["Gourde en acier inoxydable", "Écouteurs sans fil", "Housse de couette en lin"],
    "de": ["Edelstahl-Trinkflasche", "Kabellose Kopfhörer", "Bettbezug aus Leinen"],
    "pt": ["Garrafa térmica de aço inox", "Fones de ouvido sem fio", "Capa de edredom de linho"],
    "ru": ["Термобутылка из нержавеющей стали", "Беспроводные наушники", "Льняной пододеяльник"],
    "ar": ["زجاجة ماء من الفولاذ المقاوم للصدأ", "سماعات لاسلكية", "غطاء لحاف من الكتان"],
    "ja": ["ステンレス製ボトル", "ワイヤレスイヤホン", "リネンの掛け布団カバー"],
}

TRACKING_STATUS = {
    "en": "Departed regional sort facility",
    "zh": "快件已到达【上海转运中心】",
    "es": "En tránsito hacia el centro de distribución",
    "fr": "Colis en cours d'acheminement",
    "de": "Die Sendung wurde im Paketzentrum bearbeitet",
    "pt": "Objeto em trânsito para a unidade de distribuição",
    "ru": "Прибыло в сортировочный центр",
    "ar": "وصلت الشحنة إلى مركز الفرز",
    "ja": "中継センターに到着しました",
}

# What customers write, per intent and language (used for the unanswered-question check).
MESSAGES = {
    "order_status": {
        "en": "Hi, where is my order? When will it arrive?",
        "zh": "你好，我的快递到哪了？什么时候能到？",
        "es": "Hola, ¿dónde está mi pedido? ¿Cuándo llegará?",
        "fr": "Bonjour, où en est ma commande ? Quand va-t-elle arriver ?",
        "de": "Hallo, wo ist meine Bestellung? Wann kommt sie an?",
        "pt": "Olá, onde está o meu pedido? Quando vai chegar?",
        "ru": "Здравствуйте, где мой заказ? Когда он придёт?",
        "ar": "مرحباً، أين طلبي؟ متى سيصل؟",
        "ja": "注文した商品はどこにありますか？いつ届きますか？",
    },
    "shipping_delay": {
        "en": "My order was supposed to arrive days ago. This is ridiculous.",
        "zh": "说好的时间早就过了，东西还没到，怎么回事？",
        "es": "Mi pedido tenía que llegar hace días. Esto es inaceptable.",
        "fr": "Ma commande devait arriver il y a plusieurs jours. C'est inadmissible.",
        "de": "Meine Bestellung sollte schon vor Tagen ankommen. Das ist ärgerlich.",
        "pt": "Meu pedido era para ter chegado há dias. Isso é um absurdo.",
        "ru": "Заказ должен был прийти несколько дней назад. Это безобразие.",
        "ar": "كان من المفترض أن يصل طلبي منذ أيام. هذا غير مقبول.",
        "ja": "お届け予定日を過ぎてもまだ届いていません。どうなっていますか？",
    },
    "delivered_not_received": {
        "en": "Tracking says delivered but there is nothing at my door.",
        "zh": "物流显示已签收，但我根本没收到。",
        "es": "El seguimiento dice entregado, pero no he recibido nada.",
        "fr": "Le suivi indique livré mais je n'ai rien reçu.",
        "de": "Laut Sendungsverfolgung zugestellt, aber hier ist nichts angekommen.",
        "pt": "O rastreio diz entregue, mas não recebi nada.",
        "ru": "В отслеживании написано «доставлено», но я ничего не получал.",
        "ar": "التتبع يقول تم التسليم لكنني لم أستلم شيئاً.",
        "ja": "配達済みになっていますが、荷物が届いていません。",
    },
    "cancel_order": {
        "en": "Please cancel my order, I ordered the wrong one.",
        "zh": "麻烦帮我取消订单，我拍错了。",
        "es": "Por favor, cancelen mi pedido, me equivoqué de modelo.",
        "fr": "Merci d'annuler ma commande, je me suis trompé d'article.",
        "de": "Bitte stornieren Sie meine Bestellung, ich habe mich vertan.",
        "pt": "Por favor, cancelem o meu pedido, comprei o item errado.",
        "ru": "Пожалуйста, отмените мой заказ, я ошибся с товаром.",
        "ar": "من فضلك ألغِ طلبي، لقد طلبت المنتج الخطأ.",
        "ja": "注文を間違えたのでキャンセルをお願いします。",
    },
    "return_request": {
        "en": "I'd like to return this, it doesn't suit me. How do I send it back?",
        "zh": "这个不太合适，想退货，怎么寄回？",
        "es": "Quiero devolverlo, no me queda bien. ¿Cómo lo envío?",
        "fr": "Je voudrais le retourner, il ne me convient pas. Comment le renvoyer ?",
        "de": "Ich möchte den Artikel zurücksenden, er passt nicht. Wie geht die Rücksendung?",
        "pt": "Quero devolver, não serviu. Como faço a devolução?",
        "ru": "Хочу вернуть товар, он не подошёл. Как его отправить?",
        "ar": "أرغب في إرجاع المنتج، فهو لا يناسبني. كيف أعيده؟",
        "ja": "サイズが合わないので返品したいです。どうすればいいですか？",
    },
    "refund_request": {
        "en": "I want my money back for this order.",
        "zh": "这单我想退款。",
        "es": "Quiero que me devuelvan el dinero de este pedido.",
        "fr": "Je souhaite être remboursé pour cette commande.",
        "de": "Ich möchte mein Geld für diese Bestellung zurück.",
        "pt": "Quero o reembolso deste pedido.",
        "ru": "Верните, пожалуйста, деньги за этот заказ.",
        "ar": "أريد استرداد أموالي لهذا الطلب.",
        "ja": "この注文の返金をお願いします。",
    },
    "quality_issue": {
        "en": "The item arrived broken. The lid is cracked.",
        "zh": "收到的东西是坏的，盖子裂了。",
        "es": "El artículo llegó roto. La tapa está rajada.",
        "fr": "L'article est arrivé cassé. Le couvercle est fendu.",
        "de": "Der Artikel kam kaputt an. Der Deckel ist gesprungen.",
        "pt": "O produto chegou quebrado. A tampa está rachada.",
        "ru": "Товар пришёл сломанным, крышка треснула.",
        "ar": "وصل المنتج مكسوراً، والغطاء متشقق.",
        "ja": "届いた商品が壊れていました。ふたにひびが入っています。",
    },
    "wrong_item": {
        "en": "You sent me the wrong colour. I ordered blue and got grey.",
        "zh": "发错颜色了，我拍的是蓝色，收到的是灰色。",
        "es": "Me enviaron otro color. Pedí azul y recibí gris.",
        "fr": "Vous m'avez envoyé la mauvaise couleur : j'ai commandé bleu, reçu gris.",
        "de": "Sie haben die falsche Farbe geschickt: bestellt blau, bekommen grau.",
        "pt": "Enviaram a cor errada. Pedi azul e recebi cinza.",
        "ru": "Прислали не тот цвет: заказывал синий, пришёл серый.",
        "ar": "أرسلتم لوناً خاطئاً، طلبت الأزرق ووصلني الرمادي.",
        "ja": "色が違います。青を注文したのにグレーが届きました。",
    },
    "product_question": {
        "en": "Is the bottle dishwasher safe?",
        "zh": "这个杯子能放洗碗机吗？",
        "es": "¿La botella se puede lavar en el lavavajillas?",
        "fr": "La gourde passe-t-elle au lave-vaisselle ?",
        "de": "Ist die Flasche spülmaschinenfest?",
        "pt": "A garrafa pode ir na lava-louças?",
        "ru": "Можно ли мыть бутылку в посудомоечной машине?",
        "ar": "هل يمكن غسل الزجاجة في غسالة الأطباق؟",
        "ja": "このボトルは食洗機で洗えますか？",
    },
    "praise": {
        "en": "Arrived quickly and works great, thank you!",
        "zh": "收到了，质量很好，谢谢！",
        "es": "Llegó rápido y funciona genial, ¡gracias!",
        "fr": "Reçu rapidement et parfait, merci !",
        "de": "Schnell angekommen und funktioniert super, danke!",
        "pt": "Chegou rápido e funciona muito bem, obrigado!",
        "ru": "Пришло быстро, всё отлично работает, спасибо!",
        "ar": "وصل بسرعة ويعمل بشكل رائع، شكراً!",
        "ja": "すぐに届いて、とても使いやすいです。ありがとうございます！",
    },
}

# One care article per language, as the knowledge base would return it.
ARTICLES = {
    "en": (
        "Bottle care",
        "Wash the lid by hand; the steel body is dishwasher safe on the top rack.",
    ),
    "zh": ("保温杯清洗说明", "杯盖请手洗，杯身可以放洗碗机上层清洗。"),
    "es": (
        "Cuidado de la botella",
        "Lave la tapa a mano; el cuerpo de acero se puede lavar en la bandeja superior "
        "del lavavajillas.",
    ),
    "fr": (
        "Entretien de la gourde",
        "Lavez le bouchon à la main ; le corps en acier passe au lave-vaisselle, "
        "dans le panier du haut.",
    ),
    "de": (
        "Pflege der Flasche",
        "Den Deckel bitte von Hand spülen; der Edelstahlkörper darf in den oberen Korb "
        "der Spülmaschine.",
    ),
    "pt": (
        "Cuidados com a garrafa",
        "Lave a tampa à mão; o corpo de aço pode ir na parte de cima da lava-louças.",
    ),
    "ru": (
        "Уход за бутылкой",
        "Крышку мойте вручную, стальной корпус можно мыть в посудомоечной машине на верхней полке.",
    ),
    "ar": (
        "العناية بالزجاجة",
        "اغسل الغطاء يدوياً، أما الجسم المعدني فيمكن غسله في الرف العلوي من غسالة الأطباق.",
    ),
    "ja": (
        "ボトルのお手入れ",
        "ふたは手洗いしてください。ステンレス本体は食洗機の上段で洗えます。",
    ),
}

CURRENCY = {
    "en": "USD",
    "zh": "CNY",
    "es": "EUR",
    "fr": "EUR",
    "de": "EUR",
    "pt": "BRL",
    "ru": "RUB",
    "ar": "SAR",
    "ja": "JPY",
}

CARRIERS = {
    "amazon": [("UPS", "1Z{a6}{d10}"), ("USPS", "9400{d18}"), ("Amazon Logistics", "TBA{d12}")],
    "aliexpress": [("Cainiao", "LP00{d14}"), ("China Post", "LX{d9}CN"), ("YunExpress", "YT{d16}")],
    "pinduoduo": [("中通快递", "7{d13}"), ("韵达快递", "4{d14}"), ("顺丰速运", "SF{d13}")],
    "temu": [("USPS", "9200{d18}"), ("UPS", "1Z{a6}{d10}"), ("YunExpress", "YT{d16}")],
    "shopify": [("DHL", "JJD{d16}"), ("UPS", "1Z{a6}{d10}"), ("DPD", "{d14}")],
    "webchat": [("DHL", "JJD{d16}"), ("GLS", "{d11}")],
    "email": [("UPS", "1Z{a6}{d10}"), ("DHL", "JJD{d16}")],
}

ORDER_IDS = {
    "amazon": "{d3}-{d7}-{d7}",
    "aliexpress": "30{d14}",
    "pinduoduo": "261110-{d15}",
    "temu": "PO-211-{d17}",
    "shopify": "#1{d4}",
    "webchat": "#2{d4}",
    "email": "#3{d4}",
}

# Policy decisions per (intent, order state): (remedy, verdict, extra fields). "either" becomes
# needs_approval or denied at random; amounts are "total" or "part" (20 % of the total).
_RET = {
    "amount": "total",
    "return_shipping_paid_by": "customer",
    "deadline_days": 14,
    "completion_days": 7,
}
DECISIONS: dict[tuple[str, str], list[tuple[str, str, dict[str, object]]]] = {
    ("cancel_order", "processing"): [
        ("cancel", "allowed", {"rule_id": "cancel.unshipped"}),
        ("change_items", "allowed", {}),
    ],
    ("cancel_order", "in_transit"): [
        ("cancel", "denied", {"reason": "already shipped"}),
        ("return_and_refund", "needs_approval", {}),
    ],
    ("refund_request", "processing"): [
        ("cancel", "allowed", {}),
        ("full_refund", "allowed", {"amount": "total", "completion_days": 5}),
    ],
    ("refund_request", "late"): [
        ("partial_refund", "allowed", {"amount": "part", "completion_days": 3}),
        ("full_refund", "denied", {}),
    ],
    ("refund_request", "delivered"): [
        ("return_and_refund", "allowed", _RET),
        ("refund_without_return", "denied", {}),
    ],
    ("delivered_not_received", "delivered"): [
        ("replacement", "allowed", {"completion_days": 4}),
        ("refund_without_return", "needs_approval", {}),
        ("full_refund", "denied", {}),
    ],
    ("return_request", "delivered"): [
        ("return_and_refund", "allowed", _RET),
        ("exchange", "allowed", {"completion_days": 6, "return_shipping_paid_by": "seller"}),
        ("refund_without_return", "denied", {}),
    ],
    ("quality_issue", "delivered"): [
        ("replacement", "allowed", {"completion_days": 4, "evidence_required": ["photo_damage"]}),
        ("partial_refund", "allowed", {"amount": "part", "completion_days": 3}),
        (
            "return_and_refund",
            "allowed",
            {"amount": "total", "return_shipping_paid_by": "seller", "completion_days": 7},
        ),
        ("full_refund", "denied", {}),
    ],
    ("wrong_item", "delivered"): [
        ("replacement", "allowed", {"completion_days": 4, "evidence_required": ["photo"]}),
        ("return_and_refund", "allowed", {"amount": "total", "return_shipping_paid_by": "seller"}),
        ("exchange", "denied", {}),
    ],
    ("late", "*"): [
        ("partial_refund", "allowed", {"amount": "part", "completion_days": 3}),
        ("full_refund", "either", {}),
        ("cancel", "denied", {"reason": "already shipped"}),
    ],
}

# Agent-written replies for measuring the linter: (language, platform, text, expected codes).
# Written after the linter, as an agent might write them, and not used to tune it. "promise"
# cases are checked against a decision where only a partial refund is allowed.
AGENT_REPLIES: list[tuple[str, str, str, tuple[str, ...]]] = [
    (
        "en",
        "amazon",
        "Hi Emily, sorry about that! We'll give you your money back in full today.",
        ("promise-not-allowed",),
    ),
    (
        "en",
        "amazon",
        "Hello, you can also reach us on WhatsApp at +1 415 555 0134 for faster help.",
        ("platform-phone-number",),
    ),
    (
        "en",
        "amazon",
        "Thanks for your order. If you are happy, a 5 star review would mean the world.",
        ("platform-review-request",),
    ),
    (
        "en",
        "amazon",
        "Please see our full size guide at https://northwind.example/sizes",
        ("platform-external-link",),
    ),
    ("en", "amazon", "Hi {first_name}, your parcel is on the way.", ("unresolved-placeholder",)),
    ("en", "shopify", "ur parcel will b there asap, no worries", ("slang",)),
    ("en", "shopify", "THIS IS NOT OUR FAULT. The carrier lost it.", ("all-caps",)),
    ("en", "shopify", "Great!! It shipped today!!!", ("exclamation",)),
    ("en", "email", "Your RMA was created in the WMS, the 3PL will process it.", ("jargon",)),
    (
        "en",
        "shopify",
        "Use code THANKS15 for 15% off your next order, and a refund of $50 is on its way.",
        ("amount-not-in-facts",),
    ),
    (
        "zh",
        "pinduoduo",
        "亲，加一下我微信 kefu8899，私下给您退款哈",
        ("platform-off-platform-contact",),
    ),
    ("zh", "pinduoduo", "收到货给个五星好评，返现3元哦", ("platform-review-incentive",)),
    ("zh", "pinduoduo", "亲亲，这边直接给您全额退款哈，24小时内到账", ("promise-not-allowed",)),
    ("zh", "pinduoduo", "您好，订单{订单号}已经发货了", ("unresolved-placeholder",)),
    ("zh", "amazon", "您好，详情请看 www.northwind.example/help", ("platform-external-link",)),
    (
        "es",
        "amazon",
        "Hola Lucía, le devolvemos el importe completo hoy mismo: reembolso total.",
        ("promise-not-allowed",),
    ),
    (
        "es",
        "amazon",
        "Escríbanos a soporte@northwind.example y lo vemos.",
        ("platform-email-address",),
    ),
    (
        "fr",
        "amazon",
        "Bonjour, laissez-nous un avis positif et nous vous offrons un cadeau.",
        ("platform-review-request",),
    ),
    (
        "fr",
        "shopify",
        "Bonjour, nous procédons à un remboursement intégral sous 24 heures.",
        ("promise-not-allowed",),
    ),
    (
        "de",
        "amazon",
        "Hallo, Sie bekommen selbstverständlich die volle Rückerstattung.",
        ("promise-not-allowed",),
    ),
    (
        "de",
        "aliexpress",
        "Bitte bezahlen Sie den Restbetrag per PayPal an uns.",
        ("platform-off-platform-payment",),
    ),
    ("pt", "amazon", "Olá, vamos fazer o reembolso total do seu pedido.", ("promise-not-allowed",)),
    (
        "pt",
        "temu",
        "Me chama no WhatsApp que resolvo rapidinho.",
        ("platform-off-platform-contact",),
    ),
    (
        "ru",
        "aliexpress",
        "Пожалуйста, подтвердите получение заказа, и мы сразу вернём деньги.",
        ("platform-confirm-receipt-request",),
    ),
    (
        "ru",
        "amazon",
        "Здравствуйте! Мы сделаем полный возврат денег сегодня.",
        ("promise-not-allowed",),
    ),
    ("ar", "amazon", "مرحباً، سنقوم باسترداد كامل المبلغ اليوم.", ("promise-not-allowed",)),
    ("ja", "amazon", "全額返金いたしますので、ご安心ください。", ("promise-not-allowed",)),
    ("ja", "amazon", "高評価レビューをいただけると嬉しいです。", ("platform-review-request",)),
]

# Replies a careful agent would send: the linter should find nothing blocking in them.
CLEAN_REPLIES: list[tuple[str, str, str]] = [
    (
        "en",
        "amazon",
        "Hello Emily,\n\nI am sorry your parcel is late. It is with UPS and should "
        "arrive by Friday. We can offer a partial refund of $8.00 for the delay.\n\nKind regards",
    ),
    (
        "en",
        "amazon",
        "Hello, unfortunately we cannot offer a full refund after 30 days, but we "
        "can refund $8.00. I will confirm within 24 hours.",
    ),
    (
        "en",
        "shopify",
        "Hi James, your tracking link is https://track.example.net/p/1 and the "
        "parcel should arrive tomorrow. Best wishes",
    ),
    (
        "en",
        "email",
        "Dear Priya, thank you for the photos. A partial refund of $8.00 is on its "
        "way and should reach your card in 3 to 5 business days.",
    ),
    (
        "zh",
        "pinduoduo",
        "亲，您好～包裹已经到您所在城市了，预计明天送达。可以给您部分退款8元作为补偿哦。",
    ),
    ("zh", "amazon", "您好，非常抱歉让您久等了。包裹由顺丰承运，预计后天送达，我们会持续跟进。"),
    (
        "es",
        "amazon",
        "Hola Lucía, lamento el retraso. Su paquete llegará el viernes y podemos "
        "ofrecerle un reembolso parcial de 8,00 US$.",
    ),
    (
        "fr",
        "shopify",
        "Bonjour Camille, votre colis est chez DPD et arrivera demain. Bonne journée.",
    ),
    (
        "de",
        "amazon",
        "Guten Tag Frau Müller, Ihr Paket ist bei DHL und kommt voraussichtlich "
        "morgen an. Mit freundlichen Grüßen",
    ),
    ("pt", "shopify", "Olá Ana, o seu pedido já saiu para entrega e deve chegar hoje. Abraços"),
    (
        "ru",
        "aliexpress",
        "Здравствуйте, Ольга. Посылка уже в Москве, доставка ожидается через 3 дня.",
    ),
    ("ar", "amazon", "مرحباً محمد، نعتذر عن التأخير. سيصل طردك خلال يومين."),
    ("ja", "amazon", "佐藤様、お待たせして申し訳ございません。お荷物は明日お届け予定です。"),
]

# Written after the fixes prompted by AGENT_REPLIES and measured once as a held-out set
# (16/22 caught, 0/11 clean blocked); its misses were then fixed, so it is a development set now.
AGENT_REPLIES_HOLDOUT: list[tuple[str, str, str, tuple[str, ...]]] = [
    (
        "en",
        "amazon",
        "No problem, I'll refund the entire order amount right away.",
        ("promise-not-allowed",),
    ),
    (
        "en",
        "amazon",
        "Give us a call at (212) 555-0188 and we will sort it out.",
        ("platform-phone-number",),
    ),
    (
        "en",
        "amazon",
        "Would you mind updating your review now that it's fixed?",
        ("platform-review-request",),
    ),
    (
        "en",
        "amazon",
        "Check out our other products in our new spring collection!",
        ("platform-marketing",),
    ),
    (
        "en",
        "webchat",
        "Dear [CUSTOMER NAME], thanks for reaching out.",
        ("unresolved-placeholder",),
    ),
    ("en", "webchat", "pls send pic of the damage thx", ("slang",)),
    ("en", "email", "We will send you a replacement unit tomorrow.", ("promise-not-allowed",)),
    ("en", "shopify", "You'll get $120.00 back on your card by Monday.", ("amount-not-in-facts",)),
    ("zh", "pinduoduo", "亲，方便的话加个QQ，我们线下处理", ("platform-off-platform-contact",)),
    ("zh", "pinduoduo", "这边马上给您重新发货一件新的哦", ("promise-not-allowed",)),
    ("zh", "amazon", "您好，给您退全款，请放心", ("promise-not-allowed",)),
    ("zh", "pinduoduo", "晒图好评就送小礼品一份", ("platform-review-incentive",)),
    ("es", "amazon", "Le enviaremos un reemplazo mañana mismo.", ("promise-not-allowed",)),
    ("es", "amazon", "Visite nuestra tienda para ver las novedades.", ("platform-marketing",)),
    (
        "fr",
        "amazon",
        "Contactez-nous au +33 6 12 34 56 78 pour aller plus vite.",
        ("platform-phone-number",),
    ),
    (
        "de",
        "shopify",
        "Wir tauschen Ihnen den Artikel gern um, der Umtausch ist kostenlos.",
        ("promise-not-allowed",),
    ),
    (
        "de",
        "amazon",
        "Hinterlassen Sie uns bitte eine positive Bewertung.",
        ("platform-review-request",),
    ),
    ("pt", "amazon", "Olá, {nome}, seu pedido foi enviado.", ("unresolved-placeholder",)),
    (
        "ru",
        "amazon",
        "Оставьте, пожалуйста, положительный отзыв о товаре.",
        ("platform-review-request",),
    ),
    ("ar", "temu", "تواصل معنا عبر واتساب لحل المشكلة بسرعة.", ("platform-off-platform-contact",)),
    ("ja", "amazon", "代替品をすぐにお送りいたします。", ("promise-not-allowed",)),
    (
        "ja",
        "amazon",
        "LINEでご連絡いただければすぐに対応いたします。",
        ("platform-off-platform-contact",),
    ),
]

CLEAN_REPLIES_HOLDOUT: list[tuple[str, str, str]] = [
    (
        "en",
        "amazon",
        "Hello James, I am sorry the lid arrived cracked. We can refund $8.00 so "
        "you can keep using the bottle. I will confirm the refund within 24 hours.",
    ),
    (
        "en",
        "shopify",
        "Hi Priya, your parcel left our warehouse this morning with DHL. "
        "It should reach you on Thursday.",
    ),
    ("zh", "pinduoduo", "您好～非常抱歉给您添麻烦了，这边可以给您部分退款8元，您看可以吗？"),
    ("zh", "amazon", "您好，包裹目前在转运中心，预计周五前送达，有任何变化我会第一时间告诉您。"),
    ("es", "shopify", "Hola Javier, su pedido ya está en reparto y llegará hoy por la tarde."),
    (
        "fr",
        "amazon",
        "Bonjour, je suis désolé pour ce retard. Nous pouvons vous proposer un "
        "remboursement partiel de 8,00 $US.",
    ),
    ("de", "shopify", "Hallo Jonas, Ihr Paket wurde heute an DPD übergeben."),
    (
        "pt",
        "amazon",
        "Olá Rafael, infelizmente não conseguimos cancelar, pois o pedido já foi "
        "enviado. Ele chega em 2 dias.",
    ),
    (
        "ru",
        "amazon",
        "Здравствуйте, Дмитрий. К сожалению, полный возврат сейчас невозможен, "
        "но мы можем вернуть 8,00 $.",
    ),
    ("ar", "amazon", "مرحباً سارة، طلبك في الطريق وسيصل خلال ثلاثة أيام."),
    ("ja", "amazon", "鈴木様、ご不便をおかけして申し訳ございません。明日発送いたします。"),
]

# Written after the fixes from the first two sets; measured once held out (13/20 caught, 0/10 clean
# blocked), then its misses were fixed, so it is a development set now.
AGENT_REPLIES_HOLDOUT_V3: list[tuple[str, str, str, tuple[str, ...]]] = [
    (
        "en",
        "amazon",
        "Don't worry, we'll reimburse the full purchase price.",
        ("promise-not-allowed",),
    ),
    (
        "en",
        "amazon",
        "You can also email our team directly: orders@northwind-goods.example",
        ("platform-email-address",),
    ),
    (
        "en",
        "amazon",
        "Happy with the fix? Please consider bumping your rating to five stars.",
        ("platform-review-request",),
    ),
    (
        "en",
        "amazon",
        "As a thank-you, here is a coupon for your next purchase.",
        ("platform-marketing",),
    ),
    ("en", "shopify", "Hello <<customer>>, your order shipped.", ("unresolved-placeholder",)),
    ("en", "shopify", "btw we r closed tmrw", ("slang",)),
    ("en", "shopify", "PLEASE READ: RETURNS MUST BE UNUSED.", ("all-caps",)),
    ("en", "email", "We are shipping a brand new replacement today.", ("promise-not-allowed",)),
    ("zh", "pinduoduo", "有问题直接打我电话13812345678", ("platform-phone-number",)),
    ("zh", "pinduoduo", "我们直接给您换一个新的，不用退回", ("promise-not-allowed",)),
    ("zh", "pinduoduo", "亲，给个好评吧，下次买送优惠券", ("platform-review-incentive",)),
    ("zh", "amazon", "这单我们全额退给您", ("promise-not-allowed",)),
    (
        "es",
        "amazon",
        "Si nos deja cinco estrellas le haremos un descuento.",
        ("platform-review-request",),
    ),
    ("es", "shopify", "Le reembolsamos el total del pedido hoy.", ("promise-not-allowed",)),
    ("fr", "amazon", "Suivez notre boutique pour ne rater aucune promo !", ("platform-marketing",)),
    (
        "de",
        "amazon",
        "Schreiben Sie uns gern an service@northwind.example.",
        ("platform-email-address",),
    ),
    (
        "pt",
        "shopify",
        "Vamos mandar um produto novo para substituir o seu.",
        ("promise-not-allowed",),
    ),
    (
        "ru",
        "temu",
        "Напишите нам в Telegram, так будет быстрее.",
        ("platform-off-platform-contact",),
    ),
    ("ar", "amazon", "يرجى تقييمنا بخمس نجوم بعد الاستلام.", ("platform-review-request",)),
    ("ja", "amazon", "お詫びとして全額をご返金させていただきます。", ("promise-not-allowed",)),
]

CLEAN_REPLIES_HOLDOUT_V3: list[tuple[str, str, str]] = [
    (
        "en",
        "amazon",
        "Hello Emily, the carrier scanned your parcel in Denver this morning; "
        "it should be with you by Wednesday.",
    ),
    (
        "en",
        "amazon",
        "Hi James, I can't cancel the order now because it has shipped, but you "
        "can return it for free once it arrives.",
    ),
    ("zh", "pinduoduo", "您好，已经帮您催促快递了，预计明天下午送到，请留意电话。"),
    ("zh", "amazon", "您好，很抱歉无法全额退款，但可以给您部分退款8美元。"),
    ("es", "amazon", "Hola, su paquete está en aduanas y debería llegar en 3 días hábiles."),
    ("fr", "shopify", "Bonjour Julien, nous avons bien reçu votre retour, merci."),
    (
        "de",
        "amazon",
        "Guten Tag, leider ist keine volle Erstattung möglich; wir können Ihnen 8,00 $ erstatten.",
    ),
    ("pt", "amazon", "Olá Beatriz, o seu pedido chega amanhã. Qualquer dúvida, estamos aqui."),
    ("ru", "aliexpress", "Здравствуйте! Посылка прибыла в пункт выдачи, её можно забрать."),
    ("ja", "amazon", "高橋様、商品は本日発送いたしました。到着まで今しばらくお待ちください。"),
]
