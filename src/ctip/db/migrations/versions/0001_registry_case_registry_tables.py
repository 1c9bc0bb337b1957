"""case registry tables

Revision ID: 0001_registry
Revises: 
Create Date: 2026-11-25 22:14:02.547051
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


def extra_sql(dialect: str) -> list[str]:
    """The audit log's append-only triggers as they were at this revision (a frozen copy of
    ``ctip.audit.triggers.append_only_sql``: a migration never changes with live code)."""
    message = "audit_log is append-only"
    if dialect == "sqlite":
        return [
            f"CREATE TRIGGER audit_log_no_{verb.lower()} BEFORE {verb} ON audit_log "
            f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
            for verb in ("UPDATE", "DELETE")
        ]
    return [
        "CREATE OR REPLACE FUNCTION audit_log_refuse() RETURNS trigger AS $$ "
        f"BEGIN RAISE EXCEPTION '{message}'; END; $$ LANGUAGE plpgsql",
        "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
        "FOR EACH ROW EXECUTE FUNCTION audit_log_refuse()",
    ]


revision: str = '0001_registry'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor_name', sa.String(length=80), nullable=False),
    sa.Column('address', sa.String(length=64), nullable=True),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('entity_type', sa.String(length=30), nullable=True),
    sa.Column('entity_id', sa.Integer(), nullable=True),
    sa.Column('changes', sa.LargeBinary(), nullable=True),
    sa.Column('detail', sa.String(length=300), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index('ix_audit_entity', ['entity_type', 'entity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_log_action'), ['action'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_log_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_log_at'), ['at'], unique=False)

    op.create_table('case_sequences',
    sa.Column('province', sa.String(length=6), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('last', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('province', 'year', name=op.f('pk_case_sequences'))
    )
    op.create_table('organisations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('name_km', sa.String(length=200), nullable=True),
    sa.Column('org_type', sa.String(length=40), nullable=False),
    sa.Column('province', sa.String(length=6), nullable=True),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('is_agency', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisations')),
    sa.UniqueConstraint('name', name=op.f('uq_organisations_name'))
    )
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organisations_org_type'), ['org_type'], unique=False)
        batch_op.create_index(batch_op.f('ix_organisations_province'), ['province'], unique=False)

    op.create_table('locations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('province', sa.String(length=6), nullable=True),
    sa.Column('district', sa.String(length=100), nullable=True),
    sa.Column('commune', sa.String(length=100), nullable=True),
    sa.Column('village', sa.String(length=100), nullable=True),
    sa.Column('border_crossing', sa.String(length=30), nullable=True),
    sa.Column('place_name', sa.String(length=200), nullable=True),
    sa.Column('latitude', sa.Float(), nullable=True),
    sa.Column('longitude', sa.Float(), nullable=True),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_locations_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_locations'))
    )
    with op.batch_alter_table('locations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_locations_province'), ['province'], unique=False)

    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=80), nullable=False),
    sa.Column('display_name', sa.String(length=120), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=30), nullable=False),
    sa.Column('province', sa.String(length=6), nullable=True),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('language', sa.String(length=5), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('last_login_at', sa.DateTime(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_users_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('username', name=op.f('uq_users_username'))
    )
    op.create_table('api_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_api_tokens_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_tokens')),
    sa.UniqueConstraint('digest', name=op.f('uq_api_tokens_digest'))
    )
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_tokens_user_id'), ['user_id'], unique=False)

    op.create_table('cases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=24), nullable=False),
    sa.Column('province', sa.String(length=6), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('summary', sa.LargeBinary(), nullable=True),
    sa.Column('reporting_org_id', sa.Integer(), nullable=True),
    sa.Column('opened_on', sa.Date(), nullable=False),
    sa.Column('exploitation_types', sa.JSON(), nullable=False),
    sa.Column('forced_labour_subtype', sa.String(length=40), nullable=True),
    sa.Column('industry', sa.String(length=60), nullable=True),
    sa.Column('origin_countries', sa.JSON(), nullable=False),
    sa.Column('transit_countries', sa.JSON(), nullable=False),
    sa.Column('exploitation_countries', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=24), nullable=False),
    sa.Column('status_changed_on', sa.Date(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_cases_created_by_id_users')),
    sa.ForeignKeyConstraint(['reporting_org_id'], ['organisations.id'], name=op.f('fk_cases_reporting_org_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cases')),
    sa.UniqueConstraint('province', 'year', 'sequence', name=op.f('uq_cases_province_year_sequence')),
    sa.UniqueConstraint('reference', name=op.f('uq_cases_reference'))
    )
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cases_opened_on'), ['opened_on'], unique=False)
        batch_op.create_index('ix_cases_province_opened', ['province', 'opened_on'], unique=False)
        batch_op.create_index('ix_cases_province_status_opened', ['province', 'status', 'opened_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_cases_reporting_org_id'), ['reporting_org_id'], unique=False)
        batch_op.create_index('ix_cases_status_opened', ['status', 'opened_on'], unique=False)

    op.create_table('persons',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('given_name', sa.LargeBinary(), nullable=True),
    sa.Column('family_name', sa.LargeBinary(), nullable=True),
    sa.Column('name_km', sa.LargeBinary(), nullable=True),
    sa.Column('aliases', sa.LargeBinary(), nullable=True),
    sa.Column('gender', sa.String(length=24), nullable=False),
    sa.Column('date_of_birth', sa.Date(), nullable=True),
    sa.Column('estimated_age', sa.Integer(), nullable=True),
    sa.Column('age_estimated_on', sa.Date(), nullable=True),
    sa.Column('nationalities', sa.JSON(), nullable=False),
    sa.Column('address', sa.LargeBinary(), nullable=True),
    sa.Column('notes', sa.LargeBinary(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('owner_province', sa.String(length=6), nullable=True),
    sa.Column('owner_org_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_persons_created_by_id_users')),
    sa.ForeignKeyConstraint(['owner_org_id'], ['organisations.id'], name=op.f('fk_persons_owner_org_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_persons'))
    )
    op.create_table('case_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('event_type', sa.String(length=20), nullable=False),
    sa.Column('occurred_on', sa.Date(), nullable=False),
    sa.Column('location_id', sa.Integer(), nullable=True),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('description', sa.LargeBinary(), nullable=True),
    sa.Column('from_status', sa.String(length=24), nullable=True),
    sa.Column('to_status', sa.String(length=24), nullable=True),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_case_events_actor_id_users')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_events_case_id_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['location_id'], ['locations.id'], name=op.f('fk_case_events_location_id_locations')),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_case_events_person_id_persons')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_events'))
    )
    with op.batch_alter_table('case_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_events_case_id'), ['case_id'], unique=False)

    op.create_table('case_persons',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('trafficking_status', sa.String(length=40), nullable=True),
    sa.Column('status_decided_by', sa.String(length=40), nullable=True),
    sa.Column('status_decided_on', sa.Date(), nullable=True),
    sa.Column('methods_of_control', sa.JSON(), nullable=False),
    sa.Column('recruitment_method', sa.String(length=40), nullable=True),
    sa.Column('recruitment_apps', sa.JSON(), nullable=False),
    sa.Column('role_in_process', sa.String(length=40), nullable=True),
    sa.Column('custody_status', sa.String(length=20), nullable=True),
    sa.Column('arrested_on', sa.Date(), nullable=True),
    sa.Column('notes', sa.LargeBinary(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_persons_case_id_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_case_persons_person_id_persons')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_persons')),
    sa.UniqueConstraint('case_id', 'person_id', 'role', name=op.f('uq_case_persons_case_id_person_id_role'))
    )
    with op.batch_alter_table('case_persons', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_persons_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_persons_person_id'), ['person_id'], unique=False)

    op.create_table('case_shares',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('shared_by_id', sa.Integer(), nullable=True),
    sa.Column('shared_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_shares_case_id_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_case_shares_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['shared_by_id'], ['users.id'], name=op.f('fk_case_shares_shared_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_shares')),
    sa.UniqueConstraint('case_id', 'organisation_id', name=op.f('uq_case_shares_case_id_organisation_id'))
    )
    with op.batch_alter_table('case_shares', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_shares_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_shares_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('identifiers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('id_type', sa.String(length=20), nullable=False),
    sa.Column('platform', sa.String(length=20), nullable=True),
    sa.Column('raw', sa.LargeBinary(), nullable=False),
    sa.Column('normalised', sa.LargeBinary(), nullable=True),
    sa.Column('digest', sa.String(length=40), nullable=False),
    sa.Column('valid', sa.Boolean(), nullable=False),
    sa.Column('problem', sa.String(length=120), nullable=True),
    sa.Column('issuing_country', sa.String(length=2), nullable=True),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_identifiers_case_id_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_identifiers_created_by_id_users')),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_identifiers_person_id_persons'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_identifiers'))
    )
    with op.batch_alter_table('identifiers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_identifiers_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_identifiers_digest'), ['digest'], unique=False)
        batch_op.create_index(batch_op.f('ix_identifiers_person_id'), ['person_id'], unique=False)

    op.create_table('person_name_keys',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('digest', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_person_name_keys_person_id_persons'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_person_name_keys'))
    )
    with op.batch_alter_table('person_name_keys', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_person_name_keys_digest'), ['digest'], unique=False)
        batch_op.create_index(batch_op.f('ix_person_name_keys_person_id'), ['person_id'], unique=False)

    op.create_table('referrals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('from_org_id', sa.Integer(), nullable=True),
    sa.Column('to_org_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=40), nullable=False),
    sa.Column('service', sa.String(length=20), nullable=False),
    sa.Column('referred_on', sa.Date(), nullable=False),
    sa.Column('consent_given', sa.Boolean(), nullable=False),
    sa.Column('consent_on', sa.Date(), nullable=True),
    sa.Column('consent_override_reason', sa.LargeBinary(), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('responded_on', sa.Date(), nullable=True),
    sa.Column('response_note', sa.LargeBinary(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_referrals_case_id_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_referrals_created_by_id_users')),
    sa.ForeignKeyConstraint(['from_org_id'], ['organisations.id'], name=op.f('fk_referrals_from_org_id_organisations')),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_referrals_person_id_persons')),
    sa.ForeignKeyConstraint(['to_org_id'], ['organisations.id'], name=op.f('fk_referrals_to_org_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_referrals'))
    )
    with op.batch_alter_table('referrals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_referrals_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_referrals_person_id'), ['person_id'], unique=False)
        batch_op.create_index('ix_referrals_to_status', ['to_org_id', 'status'], unique=False)


    for statement in extra_sql(op.get_bind().dialect.name):
        op.execute(statement)


def downgrade() -> None:
    with op.batch_alter_table('referrals', schema=None) as batch_op:
        batch_op.drop_index('ix_referrals_to_status')
        batch_op.drop_index(batch_op.f('ix_referrals_person_id'))
        batch_op.drop_index(batch_op.f('ix_referrals_case_id'))

    op.drop_table('referrals')
    with op.batch_alter_table('person_name_keys', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_person_name_keys_person_id'))
        batch_op.drop_index(batch_op.f('ix_person_name_keys_digest'))

    op.drop_table('person_name_keys')
    with op.batch_alter_table('identifiers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_identifiers_person_id'))
        batch_op.drop_index(batch_op.f('ix_identifiers_digest'))
        batch_op.drop_index(batch_op.f('ix_identifiers_case_id'))

    op.drop_table('identifiers')
    with op.batch_alter_table('case_shares', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_shares_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_case_shares_case_id'))

    op.drop_table('case_shares')
    with op.batch_alter_table('case_persons', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_persons_person_id'))
        batch_op.drop_index(batch_op.f('ix_case_persons_case_id'))

    op.drop_table('case_persons')
    with op.batch_alter_table('case_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_events_case_id'))

    op.drop_table('case_events')
    op.drop_table('persons')
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index('ix_cases_status_opened')
        batch_op.drop_index(batch_op.f('ix_cases_reporting_org_id'))
        batch_op.drop_index('ix_cases_province_status_opened')
        batch_op.drop_index('ix_cases_province_opened')
        batch_op.drop_index(batch_op.f('ix_cases_opened_on'))

    op.drop_table('cases')
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_tokens_user_id'))

    op.drop_table('api_tokens')
    op.drop_table('users')
    with op.batch_alter_table('locations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_locations_province'))

    op.drop_table('locations')
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organisations_province'))
        batch_op.drop_index(batch_op.f('ix_organisations_org_type'))

    op.drop_table('organisations')
    op.drop_table('case_sequences')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_log_at'))
        batch_op.drop_index(batch_op.f('ix_audit_log_actor_id'))
        batch_op.drop_index(batch_op.f('ix_audit_log_action'))
        batch_op.drop_index('ix_audit_entity')

    op.drop_table('audit_log')
