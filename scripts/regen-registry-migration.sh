#!/usr/bin/env bash
# Regenerate migration 0001_registry from the registry models (before it has been released).
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/python scripts/regen_migration.py 0001_registry "case registry tables" \
  --tables-from ctip.db.models:REGISTRY_TABLES --extra-sql ctip.audit.triggers:append_only_sql
