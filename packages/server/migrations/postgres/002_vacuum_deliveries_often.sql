-- The delivery queue lives in `deliveries`: every claim and every finished attempt leaves a dead entry at the head of
-- the pending indexes, and each claim walks those entries until VACUUM removes them. On a backlog of 1,000,000
-- deliveries the drain ran at 1,300/s before a VACUUM and at 5,600/s after it. PostgreSQL's default waits until a
-- fifth of the table is dead (200,000 rows of a million) and then vacuums slowly; this table is vacuumed after 10,000
-- dead rows, at full speed. hookd's workers also vacuum it themselves between autovacuum's visits (queue-vacuum.ts).
ALTER TABLE deliveries SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 10000, autovacuum_vacuum_cost_delay = 0);
