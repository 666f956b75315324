"""Imports every ORM model so ``Base.metadata`` knows all tables (used by migrations and tests)."""

from kefu.accounts import models as accounts_models
from kefu.channels import webchat
from kefu.conversations import models as conversations_models
from kefu.customers import models as customers_models
from kefu.knowledge import models as knowledge_models
from kefu.macros import models as macros_models
from kefu.orders import models as orders_models
from kefu.policy import models as policy_models
from kefu.shops import models as shops_models
from kefu.storage import audit, jobs
from kefu.storage.base import Base

MODEL_MODULES = (
    accounts_models,
    webchat,
    conversations_models,
    customers_models,
    knowledge_models,
    macros_models,
    orders_models,
    policy_models,
    shops_models,
    audit,
    jobs,
)

metadata = Base.metadata
