"""A small multilingual corpus written for these tests."""

from __future__ import annotations

import pytest

from kefu.knowledge.search import Document, SearchIndex

CORPUS = [
    Document("ship-en", "How long shipping takes",
             "We ship every order within one business day. Standard delivery takes 3 to 5 "
             "business days; expedited delivery takes 2.", "en", None, None, "faq", ("shipping",)),
    Document("return-en", "Returns and refunds",
             "Return any item within 30 days of delivery. We refund within 2 business days of "
             "receiving the return.", "en", None, "amazon", "policy", ("returns", "refunds")),
    Document("warranty-en", "Warranty on earbuds and chargers",
             "Earbuds and chargers carry a 12-month warranty against defects. Send a photo and "
             "your order number to claim it.", "en", "shop-a", None, "policy", ("warranty",)),
    Document("cast-iron", "Caring for the cast iron skillet",
             "Dry the skillet right after washing and rub in a thin coat of oil so it does not "
             "rust.", "en", None, None, "product", ("kitchen",)),
    Document("ship-zh", "发货时间和快递时效",
             "亲，付款后48小时内发货，江浙沪一般1到2天送达，偏远地区5到7天。", "zh", None,
             "pinduoduo", "faq", ("发货", "快递")),
    Document("return-zh", "七天无理由退货",
             "签收次日起7天内可以申请无理由退货，商品要保持完好，运费由买家承担。", "zh", None,
             "pinduoduo", "policy", ("退货",)),
    Document("invoice-zh", "怎么开发票",
             "确认收货后在订单详情页申请开票，我们3个工作日内开好电子发票。", "zh", "shop-b",
             "pinduoduo", "faq", ("发票",)),
    Document("ship-de", "Versanddauer",
             "Wir versenden Bestellungen innerhalb eines Werktags. Die Lieferung dauert zwei bis "
             "drei Werktage.", "de", None, "shopify", "faq", ("versand",)),
    Document("ship-ja", "配送について",
             "ご注文から二営業日以内に発送します。配送には通常三日から五日かかります。", "ja", None,
             None, "faq", ("配送",)),
]  # fmt: skip


@pytest.fixture
def index() -> SearchIndex:
    return SearchIndex.build(CORPUS)
