"""云督查: ledger items, their requirements, events and evidence; key tasks; dispatch meetings.

Revision ID: 0005_supervision
Revises: 0004_bulletins
Create Date: 2026-11-30 15:09:14.360243
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from metrics.db.base import UTCDateTime

revision: str = '0005_supervision'
down_revision: str | Sequence[str] | None = '0004_bulletins'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('meetings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('title', sa.String(length=255), nullable=False),
    sa.Column('attendees', sa.JSON(), nullable=False),
    sa.Column('agenda', sa.JSON(), nullable=False),
    sa.Column('store_version', sa.Integer(), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meetings'))
    )
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meetings_held_on'), ['held_on'], unique=False)

    op.create_table('red_explanations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_code', sa.String(length=64), nullable=False),
    sa.Column('indicator_code', sa.String(length=64), nullable=False),
    sa.Column('period', sa.String(length=16), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('actor', sa.String(length=64), nullable=False),
    sa.Column('at', UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_red_explanations'))
    )
    op.create_table('sv_tasks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('list_name', sa.String(length=128), nullable=False),
    sa.Column('number', sa.String(length=16), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('category', sa.String(length=64), nullable=False),
    sa.Column('lead_unit', sa.String(length=64), nullable=False),
    sa.Column('cooperating', sa.JSON(), nullable=False),
    sa.Column('leader', sa.String(length=64), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=True),
    sa.Column('done', sa.Boolean(), nullable=False),
    sa.Column('done_on', sa.Date(), nullable=True),
    sa.Column('source_file', sa.String(length=255), nullable=False),
    sa.Column('source_sheet', sa.String(length=128), nullable=False),
    sa.Column('source_row', sa.Integer(), nullable=True),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sv_tasks')),
    sa.UniqueConstraint('list_name', 'title', name=op.f('uq_sv_tasks_list_name'))
    )
    with op.batch_alter_table('sv_tasks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sv_tasks_lead_unit'), ['lead_unit'], unique=False)

    op.create_table('ledger_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=24), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=8), nullable=False),
    sa.Column('unit_code', sa.String(length=64), nullable=False),
    sa.Column('indicator_code', sa.String(length=64), nullable=True),
    sa.Column('task_id', sa.Integer(), nullable=True),
    sa.Column('meeting_id', sa.Integer(), nullable=True),
    sa.Column('period', sa.String(length=16), nullable=True),
    sa.Column('problem', sa.Text(), nullable=False),
    sa.Column('responsible_unit', sa.String(length=64), nullable=False),
    sa.Column('cooperating', sa.JSON(), nullable=False),
    sa.Column('leader', sa.String(length=64), nullable=False),
    sa.Column('leader_post', sa.String(length=64), nullable=False),
    sa.Column('contact', sa.String(length=128), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=False),
    sa.Column('severity', sa.String(length=4), nullable=False),
    sa.Column('status', sa.String(length=8), nullable=False),
    sa.Column('opened_on', sa.Date(), nullable=False),
    sa.Column('opened_by', sa.String(length=64), nullable=False),
    sa.Column('gap', sa.Text(), nullable=False),
    sa.Column('figure_source', sa.Text(), nullable=False),
    sa.Column('source_file', sa.String(length=255), nullable=False),
    sa.Column('source_row', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_ledger_items_meeting_id_meetings')),
    sa.ForeignKeyConstraint(['task_id'], ['sv_tasks.id'], name=op.f('fk_ledger_items_task_id_sv_tasks')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ledger_items')),
    sa.UniqueConstraint('code', name=op.f('uq_ledger_items_code')),
    sa.UniqueConstraint('year', 'seq', name=op.f('uq_ledger_items_year'))
    )
    with op.batch_alter_table('ledger_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ledger_items_indicator_code'), ['indicator_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_ledger_items_responsible_unit'), ['responsible_unit'], unique=False)
        batch_op.create_index(batch_op.f('ix_ledger_items_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_ledger_items_unit_code'), ['unit_code'], unique=False)

    op.create_table('meeting_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('ref', sa.String(length=32), nullable=False),
    sa.Column('section', sa.String(length=16), nullable=False),
    sa.Column('times', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_meeting_entries_meeting_id_meetings')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_entries')),
    sa.UniqueConstraint('meeting_id', 'ref', name=op.f('uq_meeting_entries_meeting_id'))
    )
    with op.batch_alter_table('meeting_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_entries_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_entries_ref'), ['ref'], unique=False)

    op.create_table('sv_milestones',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('due', sa.Date(), nullable=True),
    sa.Column('due_text', sa.String(length=64), nullable=False),
    sa.Column('done', sa.Boolean(), nullable=False),
    sa.Column('done_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['task_id'], ['sv_tasks.id'], name=op.f('fk_sv_milestones_task_id_sv_tasks')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sv_milestones')),
    sa.UniqueConstraint('task_id', 'seq', name=op.f('uq_sv_milestones_task_id'))
    )
    with op.batch_alter_table('sv_milestones', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sv_milestones_task_id'), ['task_id'], unique=False)

    op.create_table('sv_task_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('on_day', sa.Date(), nullable=False),
    sa.Column('at', UTCDateTime(), nullable=False),
    sa.Column('actor', sa.String(length=64), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('percent', sa.Integer(), nullable=True),
    sa.Column('milestone_seq', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['task_id'], ['sv_tasks.id'], name=op.f('fk_sv_task_reports_task_id_sv_tasks')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sv_task_reports'))
    )
    with op.batch_alter_table('sv_task_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sv_task_reports_task_id'), ['task_id'], unique=False)

    op.create_table('ledger_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('from_status', sa.String(length=8), nullable=False),
    sa.Column('to_status', sa.String(length=8), nullable=False),
    sa.Column('on_day', sa.Date(), nullable=False),
    sa.Column('at', UTCDateTime(), nullable=False),
    sa.Column('actor', sa.String(length=64), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('percent', sa.Integer(), nullable=True),
    sa.Column('level', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['item_id'], ['ledger_items.id'], name=op.f('fk_ledger_events_item_id_ledger_items')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ledger_events'))
    )
    with op.batch_alter_table('ledger_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ledger_events_item_id'), ['item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ledger_events_on_day'), ['on_day'], unique=False)

    op.create_table('ledger_requirements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=False),
    sa.Column('done', sa.Boolean(), nullable=False),
    sa.Column('done_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['item_id'], ['ledger_items.id'], name=op.f('fk_ledger_requirements_item_id_ledger_items')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ledger_requirements')),
    sa.UniqueConstraint('item_id', 'seq', name=op.f('uq_ledger_requirements_item_id'))
    )
    with op.batch_alter_table('ledger_requirements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ledger_requirements_item_id'), ['item_id'], unique=False)

    op.create_table('meeting_decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=True),
    sa.Column('task_id', sa.Integer(), nullable=True),
    sa.Column('actor', sa.String(length=64), nullable=False),
    sa.Column('at', UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['ledger_items.id'], name=op.f('fk_meeting_decisions_item_id_ledger_items')),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_meeting_decisions_meeting_id_meetings')),
    sa.ForeignKeyConstraint(['task_id'], ['sv_tasks.id'], name=op.f('fk_meeting_decisions_task_id_sv_tasks')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_decisions')),
    sa.UniqueConstraint('meeting_id', 'seq', name=op.f('uq_meeting_decisions_meeting_id'))
    )
    with op.batch_alter_table('meeting_decisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_decisions_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('sv_evidence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=True),
    sa.Column('report_id', sa.Integer(), nullable=True),
    sa.Column('file_name', sa.String(length=255), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['ledger_events.id'], name=op.f('fk_sv_evidence_event_id_ledger_events')),
    sa.ForeignKeyConstraint(['report_id'], ['sv_task_reports.id'], name=op.f('fk_sv_evidence_report_id_sv_task_reports')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sv_evidence'))
    )
    with op.batch_alter_table('sv_evidence', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sv_evidence_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sv_evidence_report_id'), ['report_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('sv_evidence', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sv_evidence_report_id'))
        batch_op.drop_index(batch_op.f('ix_sv_evidence_event_id'))

    op.drop_table('sv_evidence')
    with op.batch_alter_table('meeting_decisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_decisions_meeting_id'))

    op.drop_table('meeting_decisions')
    with op.batch_alter_table('ledger_requirements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ledger_requirements_item_id'))

    op.drop_table('ledger_requirements')
    with op.batch_alter_table('ledger_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ledger_events_on_day'))
        batch_op.drop_index(batch_op.f('ix_ledger_events_item_id'))

    op.drop_table('ledger_events')
    with op.batch_alter_table('sv_task_reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sv_task_reports_task_id'))

    op.drop_table('sv_task_reports')
    with op.batch_alter_table('sv_milestones', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sv_milestones_task_id'))

    op.drop_table('sv_milestones')
    with op.batch_alter_table('meeting_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_entries_ref'))
        batch_op.drop_index(batch_op.f('ix_meeting_entries_meeting_id'))

    op.drop_table('meeting_entries')
    with op.batch_alter_table('ledger_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ledger_items_unit_code'))
        batch_op.drop_index(batch_op.f('ix_ledger_items_status'))
        batch_op.drop_index(batch_op.f('ix_ledger_items_responsible_unit'))
        batch_op.drop_index(batch_op.f('ix_ledger_items_indicator_code'))

    op.drop_table('ledger_items')
    with op.batch_alter_table('sv_tasks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sv_tasks_lead_unit'))

    op.drop_table('sv_tasks')
    op.drop_table('red_explanations')
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meetings_held_on'))

    op.drop_table('meetings')
