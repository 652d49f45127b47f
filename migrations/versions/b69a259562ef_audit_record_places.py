"""audit records carry their organization, street and district

Revision ID: b69a259562ef
Revises: 21e3ec4caa4a
Create Date: 2026-12-01 07:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b69a259562ef'
down_revision = '21e3ec4caa4a'
branch_labels = None
depends_on = None

# Existing records get the places the log used to look up when read: an organization record
# its organization's, a reveal the first organization its actor works for as staff.
BACKFILL = (
    """UPDATE audit_records SET organization_id = (
           SELECT o.id FROM organizations o
           WHERE CAST(o.id AS VARCHAR(64)) = audit_records.object_id)
       WHERE object_type = 'organization'""",
    """UPDATE audit_records SET organization_id = (
           SELECT MIN(g.organization_id) FROM role_grants g
           WHERE g.user_id = audit_records.actor_id
             AND g.role IN ('social_worker', 'org_admin'))
       WHERE action LIKE 'reveal.%' AND organization_id IS NULL""",
    """UPDATE audit_records SET
           district_id = (SELECT o.district_id FROM organizations o
                          WHERE o.id = audit_records.organization_id),
           street_id = (SELECT CASE WHEN o.legal_form = 'community_org' THEN o.street_id END
                        FROM organizations o WHERE o.id = audit_records.organization_id)
       WHERE organization_id IS NOT NULL""",
)


def upgrade():
    with op.batch_alter_table('audit_records', schema=None) as batch_op:
        batch_op.add_column(sa.Column('organization_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('street_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('district_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_audit_records_organization_id_organizations'), 'organizations', ['organization_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_audit_records_street_id_streets'), 'streets', ['street_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_audit_records_district_id_districts'), 'districts', ['district_id'], ['id'])
        batch_op.create_index(batch_op.f('ix_audit_records_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_records_street_id'), ['street_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_records_district_id'), ['district_id'], unique=False)
    for statement in BACKFILL:
        op.execute(statement)


def downgrade():
    with op.batch_alter_table('audit_records', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_records_district_id'))
        batch_op.drop_index(batch_op.f('ix_audit_records_street_id'))
        batch_op.drop_index(batch_op.f('ix_audit_records_organization_id'))
        batch_op.drop_constraint(batch_op.f('fk_audit_records_district_id_districts'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_audit_records_street_id_streets'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_audit_records_organization_id_organizations'), type_='foreignkey')
        batch_op.drop_column('district_id')
        batch_op.drop_column('street_id')
        batch_op.drop_column('organization_id')
