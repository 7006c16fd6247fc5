-- The table /readyz writes to after PostgreSQL refused a write for want of disk (or another resource), to learn when
-- it takes writes again (see probeWrite in src/store/postgres/database.ts). It holds one row at most.
CREATE TABLE write_probe (written_at timestamptz NOT NULL);
