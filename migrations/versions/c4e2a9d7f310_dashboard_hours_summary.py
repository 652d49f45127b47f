"""the dashboards' monthly hours summary and its refresh time; contracts' stored KPI progress; hours verified-at and corrections indexes

Revision ID: c4e2a9d7f310
Revises: 02f7f2ceaf40
Create Date: 2026-12-01 10:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c4e2a9d7f310'
down_revision = '02f7f2ceaf40'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('tracking_hours_summary',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('street_id', sa.Integer(), nullable=False),
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('domain', sa.String(length=32), nullable=True),
    sa.Column('minutes', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['street_id'], ['streets.id'], name=op.f('fk_tracking_hours_summary_street_id_streets')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tracking_hours_summary'))
    )
    with op.batch_alter_table('tracking_hours_summary', schema=None) as batch_op:
        batch_op.create_index('ix_tracking_hours_summary_street_month', ['street_id', 'month'], unique=False)

    op.create_table('tracking_summary_refreshes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('refreshed_at', sa.DateTime(), nullable=False),
    sa.Column('rows', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tracking_summary_refreshes'))
    )
    with op.batch_alter_table('contracts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kpi_progress_pct', sa.Double(), nullable=True))
        batch_op.add_column(sa.Column('kpi_progress_at', sa.DateTime(), nullable=True))
    with op.batch_alter_table('hours_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hours_entries_verified_at'), ['verified_at'], unique=False)
        batch_op.create_index('ix_hours_entries_correction_of', ['corrects_id'], unique=False, postgresql_where=sa.text('corrects_id IS NOT NULL'), sqlite_where=sa.text('corrects_id IS NOT NULL'))


def downgrade():
    with op.batch_alter_table('hours_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_hours_entries_correction_of', postgresql_where=sa.text('corrects_id IS NOT NULL'), sqlite_where=sa.text('corrects_id IS NOT NULL'))
        batch_op.drop_index(batch_op.f('ix_hours_entries_verified_at'))
    with op.batch_alter_table('contracts', schema=None) as batch_op:
        batch_op.drop_column('kpi_progress_at')
        batch_op.drop_column('kpi_progress_pct')
    op.drop_table('tracking_summary_refreshes')
    with op.batch_alter_table('tracking_hours_summary', schema=None) as batch_op:
        batch_op.drop_index('ix_tracking_hours_summary_street_month')
    op.drop_table('tracking_hours_summary')
