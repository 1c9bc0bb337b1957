"""keys: audit entries' encrypted changes may be re-encrypted

Revision ID: 0012_keys
Revises: 0011_offers
Create Date: 2026-12-02 01:00:00

``ctip keys rotate`` and ``ctip keys rebind`` rewrite every ciphertext under the new key,
bound to its row, and that includes ``audit_log.changes``. The append-only trigger now
refuses an UPDATE of any other column and every DELETE, as before, but lets ``changes``
be rewritten: the entry's keyed hash covers its plaintext, so ``ctip audit verify`` still
finds an edit, and a ciphertext moved from another entry no longer decrypts. A frozen copy
of ``ctip.audit.triggers.rewrite_changes_sql`` (a migration never changes with live code).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0012_keys"
down_revision: str | None = "0011_offers"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MESSAGE = "audit_log is append-only"
FIXED = "id, at, actor_id, actor_name, address, action, entity_type, entity_id, detail, nonce, mac"


def _sql(dialect: str, columns: str) -> list[str]:
    of = f"UPDATE OF {columns}" if columns else "UPDATE"
    if dialect == "sqlite":
        return [
            "DROP TRIGGER IF EXISTS audit_log_no_update",
            f"CREATE TRIGGER audit_log_no_update BEFORE {of} ON audit_log "
            f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
        ]
    return [
        "DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log",
        f"CREATE TRIGGER audit_log_append_only BEFORE {of} OR DELETE ON audit_log "
        "FOR EACH ROW EXECUTE FUNCTION audit_log_refuse()",
    ]


def upgrade() -> None:
    for statement in _sql(op.get_bind().dialect.name, FIXED):
        op.execute(statement)


def downgrade() -> None:
    for statement in _sql(op.get_bind().dialect.name, ""):
        op.execute(statement)
