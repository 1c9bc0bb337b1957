"""Imports every table module so ``Base.metadata`` is complete (migrations, tests)."""

from ctip.audit import models as audit_models
from ctip.auth import models as auth_models
from ctip.cases import models as case_models
from ctip.identifiers import models as identifier_models
from ctip.imports import models as import_models  # tables of migration 0008_imports
from ctip.linkage import models as linkage_models  # tables of migration 0004_linkage
from ctip.network import models as network_models  # tables of migration 0005_network
from ctip.offers import models as offer_models  # tables of migration 0003_offers
from ctip.orgs import models as org_models
from ctip.persons import models as person_models
from ctip.referrals import models as referral_models
from ctip.retention import models as retention_models  # tables of migration 0010_security
from ctip.screening import models as screening_models  # tables of migration 0002_screening
from ctip.stats import models as stats_models  # tables of migration 0006_stats
from ctip.stats import publication_models  # tables of migration 0007_publication
from ctip.support import models as support_models  # tables of migration 0009_casework

__all__ = [
    "audit_models",
    "auth_models",
    "case_models",
    "identifier_models",
    "import_models",
    "linkage_models",
    "network_models",
    "offer_models",
    "org_models",
    "person_models",
    "publication_models",
    "referral_models",
    "retention_models",
    "screening_models",
    "stats_models",
    "support_models",
]

# Tables created by migration 0001_registry (see scripts/regen_migration.py).
REGISTRY_TABLES = (
    "organisations",
    "locations",
    "users",
    "api_tokens",
    "persons",
    "person_name_keys",
    "identifiers",
    "cases",
    "case_sequences",
    "case_persons",
    "case_events",
    "case_shares",
    "referrals",
    "audit_log",
)
