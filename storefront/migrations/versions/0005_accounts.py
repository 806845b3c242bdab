"""accounts: email confirmation; login sessions lose last_seen_at

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 04:40:00

`users.email_confirmed_at` records when the owner of the address proved it (a confirmation
link or a password-reset link). Accounts that exist before this revision were made without
confirmation; they are treated as confirmed, stamped with their creation time.
`login_sessions.last_seen_at` was never read and is dropped.
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users") as batch_op:
        batch_op.add_column(sa.Column("email_confirmed_at", sa.DateTime(), nullable=True))
    op.execute("UPDATE users SET email_confirmed_at = created_at WHERE email IS NOT NULL")
    with op.batch_alter_table("login_sessions") as batch_op:
        batch_op.drop_column("last_seen_at")


def downgrade():
    with op.batch_alter_table("login_sessions") as batch_op:
        batch_op.add_column(
            sa.Column(
                "last_seen_at",
                sa.DateTime(),
                nullable=False,
                server_default=sa.text("CURRENT_TIMESTAMP"),
            )
        )
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_column("email_confirmed_at")
