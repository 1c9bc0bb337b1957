"""screening interventions and non-punishment

Revision ID: 0002_screening
Revises: 0001_registry
Create Date: 2026-11-25 22:06:19.840649
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0002_screening'
down_revision: str | None = '0001_registry'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('interventions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('occurred_on', sa.Date(), nullable=False),
    sa.Column('place', sa.String(length=200), nullable=False),
    sa.Column('province', sa.String(length=6), nullable=True),
    sa.Column('agencies', sa.JSON(), nullable=False),
    sa.Column('notes', sa.LargeBinary(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_interventions_case_id_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_interventions_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_interventions'))
    )
    with op.batch_alter_table('interventions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_interventions_case_id'), ['case_id'], unique=False)

    op.create_table('non_punishment_flags',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('victim_case_ids', sa.JSON(), nullable=False),
    sa.Column('suspect_case_ids', sa.JSON(), nullable=False),
    sa.Column('victim_basis', sa.String(length=40), nullable=True),
    sa.Column('raised_on', sa.Date(), nullable=False),
    sa.Column('cleared_on', sa.Date(), nullable=True),
    sa.Column('decided_on', sa.Date(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decision_reason', sa.LargeBinary(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_non_punishment_flags_decided_by_id_users')),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_non_punishment_flags_person_id_persons'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_non_punishment_flags')),
    sa.UniqueConstraint('person_id', name=op.f('uq_non_punishment_flags_person_id'))
    )
    with op.batch_alter_table('non_punishment_flags', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_non_punishment_flags_status'), ['status'], unique=False)

    op.create_table('roster_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('intervention_id', sa.Integer(), nullable=False),
    sa.Column('row_key', sa.String(length=40), nullable=False),
    sa.Column('row_number', sa.Integer(), nullable=False),
    sa.Column('given_name', sa.LargeBinary(), nullable=True),
    sa.Column('family_name', sa.LargeBinary(), nullable=True),
    sa.Column('gender', sa.String(length=24), nullable=False),
    sa.Column('date_of_birth', sa.Date(), nullable=True),
    sa.Column('age', sa.Integer(), nullable=True),
    sa.Column('nationality', sa.String(length=2), nullable=True),
    sa.Column('passport', sa.LargeBinary(), nullable=True),
    sa.Column('phone', sa.LargeBinary(), nullable=True),
    sa.Column('phone_valid', sa.Boolean(), nullable=False),
    sa.Column('passport_digest', sa.String(length=40), nullable=True),
    sa.Column('phone_digest', sa.String(length=40), nullable=True),
    sa.Column('duplicate_of_id', sa.Integer(), nullable=True),
    sa.Column('registry_person_ids', sa.JSON(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['duplicate_of_id'], ['roster_entries.id'], name=op.f('fk_roster_entries_duplicate_of_id_roster_entries')),
    sa.ForeignKeyConstraint(['intervention_id'], ['interventions.id'], name=op.f('fk_roster_entries_intervention_id_interventions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_roster_entries_person_id_persons')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_roster_entries')),
    sa.UniqueConstraint('intervention_id', 'row_key', name=op.f('uq_roster_entries_intervention_id_row_key'))
    )
    with op.batch_alter_table('roster_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_roster_entries_intervention_id'), ['intervention_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_roster_entries_nationality'), ['nationality'], unique=False)
        batch_op.create_index(batch_op.f('ix_roster_entries_passport_digest'), ['passport_digest'], unique=False)
        batch_op.create_index(batch_op.f('ix_roster_entries_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_roster_entries_phone_digest'), ['phone_digest'], unique=False)

    op.create_table('screenings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('roster_entry_id', sa.Integer(), nullable=True),
    sa.Column('questionnaire_version', sa.String(length=10), nullable=False),
    sa.Column('screened_on', sa.Date(), nullable=False),
    sa.Column('date_of_act', sa.Date(), nullable=True),
    sa.Column('date_of_birth', sa.Date(), nullable=True),
    sa.Column('age_at_act', sa.Integer(), nullable=True),
    sa.Column('act', sa.JSON(), nullable=False),
    sa.Column('means', sa.JSON(), nullable=False),
    sa.Column('purpose', sa.JSON(), nullable=False),
    sa.Column('assessed', sa.JSON(), nullable=False),
    sa.Column('indicators', sa.JSON(), nullable=False),
    sa.Column('services_needed', sa.JSON(), nullable=False),
    sa.Column('result', sa.String(length=30), nullable=False),
    sa.Column('screened_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_screenings_case_id_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_screenings_person_id_persons')),
    sa.ForeignKeyConstraint(['roster_entry_id'], ['roster_entries.id'], name=op.f('fk_screenings_roster_entry_id_roster_entries'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['screened_by_id'], ['users.id'], name=op.f('fk_screenings_screened_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_screenings'))
    )
    with op.batch_alter_table('screenings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_screenings_case_id'), ['case_id'], unique=False)
        batch_op.create_index('ix_screenings_case_person', ['case_id', 'person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_screenings_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_screenings_result'), ['result'], unique=False)
        batch_op.create_index(batch_op.f('ix_screenings_roster_entry_id'), ['roster_entry_id'], unique=False)

    op.create_table('screening_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('screening_id', sa.Integer(), nullable=False),
    sa.Column('question', sa.String(length=80), nullable=False),
    sa.Column('source', sa.String(length=12), nullable=True),
    sa.Column('note', sa.LargeBinary(), nullable=True),
    sa.ForeignKeyConstraint(['screening_id'], ['screenings.id'], name=op.f('fk_screening_answers_screening_id_screenings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_screening_answers'))
    )
    with op.batch_alter_table('screening_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_screening_answers_screening_id'), ['screening_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('screening_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_screening_answers_screening_id'))

    op.drop_table('screening_answers')
    with op.batch_alter_table('screenings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_screenings_roster_entry_id'))
        batch_op.drop_index(batch_op.f('ix_screenings_result'))
        batch_op.drop_index(batch_op.f('ix_screenings_person_id'))
        batch_op.drop_index('ix_screenings_case_person')
        batch_op.drop_index(batch_op.f('ix_screenings_case_id'))

    op.drop_table('screenings')
    with op.batch_alter_table('roster_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_roster_entries_phone_digest'))
        batch_op.drop_index(batch_op.f('ix_roster_entries_person_id'))
        batch_op.drop_index(batch_op.f('ix_roster_entries_passport_digest'))
        batch_op.drop_index(batch_op.f('ix_roster_entries_nationality'))
        batch_op.drop_index(batch_op.f('ix_roster_entries_intervention_id'))

    op.drop_table('roster_entries')
    with op.batch_alter_table('non_punishment_flags', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_non_punishment_flags_status'))

    op.drop_table('non_punishment_flags')
    with op.batch_alter_table('interventions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_interventions_case_id'))

    op.drop_table('interventions')
