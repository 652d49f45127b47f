"""matching runs, team proposals, declined pairs

Revision ID: a8a355fbb15a
Revises: 572788291a24
Create Date: 2026-12-01 08:40:20.950855

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a8a355fbb15a'
down_revision = '572788291a24'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('matching_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('scope_kind', sa.Enum('organization', 'street', 'district', 'request', name='scopekind', native_enum=False, length=16), nullable=False),
    sa.Column('scope_id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=True),
    sa.Column('started_by_id', sa.Integer(), nullable=True),
    sa.Column('started_role', sa.String(length=32), nullable=False),
    sa.Column('options', sa.JSON(), nullable=False),
    sa.Column('state', sa.Enum('queued', 'running', 'succeeded', 'failed', 'cancelled', 'applied', 'discarded', name='matchingrunstate', native_enum=False, length=16), nullable=False),
    sa.Column('problem', sa.JSON(), nullable=False),
    sa.Column('problem_hash', sa.String(length=64), nullable=False),
    sa.Column('snapshot', sa.JSON(), nullable=False),
    sa.Column('result', sa.JSON(), nullable=True),
    sa.Column('shortfall', sa.JSON(), nullable=True),
    sa.Column('phase', sa.String(length=32), nullable=True),
    sa.Column('elapsed_s', sa.Double(), nullable=True),
    sa.Column('best_score', sa.Integer(), nullable=True),
    sa.Column('bound', sa.Integer(), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('job_id', sa.String(length=64), nullable=False),
    sa.Column('worker', sa.String(length=120), nullable=True),
    sa.Column('heartbeat_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=True),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_matching_runs_decided_by_id_users')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_matching_runs_organization_id_organizations')),
    sa.ForeignKeyConstraint(['started_by_id'], ['users.id'], name=op.f('fk_matching_runs_started_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_matching_runs')),
    sa.UniqueConstraint('job_id', name=op.f('uq_matching_runs_job_id'))
    )
    with op.batch_alter_table('matching_runs', schema=None) as batch_op:
        batch_op.create_index('ix_matching_runs_scope', ['scope_kind', 'scope_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_matching_runs_state'), ['state'], unique=False)

    op.create_table('declined_pairs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('household_id', sa.Integer(), nullable=False),
    sa.Column('volunteer_id', sa.Integer(), nullable=False),
    sa.Column('declined_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['household_id'], ['households.id'], name=op.f('fk_declined_pairs_household_id_households')),
    sa.ForeignKeyConstraint(['volunteer_id'], ['volunteer_profiles.id'], name=op.f('fk_declined_pairs_volunteer_id_volunteer_profiles')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_declined_pairs')),
    sa.UniqueConstraint('household_id', 'volunteer_id', name=op.f('uq_declined_pairs_household_id'))
    )
    with op.batch_alter_table('declined_pairs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_declined_pairs_household_id'), ['household_id'], unique=False)

    op.create_table('team_proposals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('care_request_id', sa.Integer(), nullable=False),
    sa.Column('household_id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.Enum('pending', 'rejected', 'offered', 'accepted', 'declined', 'expired', 'stale', name='proposalstate', native_enum=False, length=16), nullable=False),
    sa.Column('offered_by_id', sa.Integer(), nullable=True),
    sa.Column('offered_at', sa.DateTime(), nullable=True),
    sa.Column('expires_at', sa.DateTime(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['care_request_id'], ['care_requests.id'], name=op.f('fk_team_proposals_care_request_id_care_requests')),
    sa.ForeignKeyConstraint(['household_id'], ['households.id'], name=op.f('fk_team_proposals_household_id_households')),
    sa.ForeignKeyConstraint(['offered_by_id'], ['users.id'], name=op.f('fk_team_proposals_offered_by_id_users')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_team_proposals_organization_id_organizations')),
    sa.ForeignKeyConstraint(['run_id'], ['matching_runs.id'], name=op.f('fk_team_proposals_run_id_matching_runs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_team_proposals')),
    sa.UniqueConstraint('run_id', 'care_request_id', name=op.f('uq_team_proposals_run_id'))
    )
    with op.batch_alter_table('team_proposals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_team_proposals_care_request_id'), ['care_request_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_team_proposals_household_id'), ['household_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_team_proposals_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_team_proposals_run_id'), ['run_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_team_proposals_state'), ['state'], unique=False)

    op.create_table('proposal_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('volunteer_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.Enum('pending', 'accepted', 'declined', 'expired', name='memberstate', native_enum=False, length=16), nullable=False),
    sa.Column('kept', sa.Boolean(), nullable=False),
    sa.Column('explanation', sa.JSON(), nullable=False),
    sa.Column('responded_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['proposal_id'], ['team_proposals.id'], name=op.f('fk_proposal_members_proposal_id_team_proposals')),
    sa.ForeignKeyConstraint(['volunteer_id'], ['volunteer_profiles.id'], name=op.f('fk_proposal_members_volunteer_id_volunteer_profiles')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposal_members')),
    sa.UniqueConstraint('proposal_id', 'volunteer_id', name=op.f('uq_proposal_members_proposal_id'))
    )
    with op.batch_alter_table('proposal_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proposal_members_proposal_id'), ['proposal_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_proposal_members_volunteer_id'), ['volunteer_id'], unique=False)



def downgrade():
    with op.batch_alter_table('proposal_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_proposal_members_volunteer_id'))
        batch_op.drop_index(batch_op.f('ix_proposal_members_proposal_id'))

    op.drop_table('proposal_members')
    with op.batch_alter_table('team_proposals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_team_proposals_state'))
        batch_op.drop_index(batch_op.f('ix_team_proposals_run_id'))
        batch_op.drop_index(batch_op.f('ix_team_proposals_organization_id'))
        batch_op.drop_index(batch_op.f('ix_team_proposals_household_id'))
        batch_op.drop_index(batch_op.f('ix_team_proposals_care_request_id'))

    op.drop_table('team_proposals')
    with op.batch_alter_table('declined_pairs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_declined_pairs_household_id'))

    op.drop_table('declined_pairs')
    with op.batch_alter_table('matching_runs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_matching_runs_state'))
        batch_op.drop_index('ix_matching_runs_scope')

    op.drop_table('matching_runs')
