-- Work queues that churn (ADR 0014): the audit sealer and the job claims must cost the same on the
-- first day and after ten years.

-- The sealer read the pending events by a hash join that scanned the whole of audit_events on every
-- call (the planner expects p_max rows from the DELETE): 36 ms per call with 36,000 events, and linear
-- in the table. Each pending event is now fetched by its primary key (LATERAL … LIMIT 1 is never turned
-- into a join). The link computed is unchanged (src/platform/audit/verify.ts checks it).
CREATE OR REPLACE FUNCTION audit_seal(p_max integer) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  v_seq bigint; v_prev text; v_hash text; v_n integer := 0; r record;
BEGIN
  IF NOT pg_try_advisory_xact_lock(727274) THEN RETURN 0; END IF;
  SELECT seq, hash INTO v_seq, v_prev FROM audit_chain ORDER BY seq DESC LIMIT 1;
  v_seq := coalesce(v_seq, 0);
  v_prev := coalesce(v_prev, repeat('0', 64));
  FOR r IN
    WITH taken AS (
      DELETE FROM audit_pending WHERE event_id IN (SELECT event_id FROM audit_pending ORDER BY event_id LIMIT p_max)
      RETURNING event_id)
    SELECT e.* FROM taken t CROSS JOIN LATERAL (SELECT * FROM audit_events a WHERE a.id = t.event_id LIMIT 1) e ORDER BY e.id
  LOOP
    v_seq := v_seq + 1;
    v_hash := encode(sha256(convert_to(audit_canonical(
      v_seq::text, v_prev, r.id::text, to_char(r.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
      r.actor_type, r.actor_id, r.actor_label, r.action, r.object_type, r.object_id,
      r.before::text, r.after::text, r.request_id, r.ip), 'UTF8')), 'hex');
    INSERT INTO audit_chain (seq, event_id, prev_hash, hash) VALUES (v_seq, r.id, v_prev, v_hash);
    v_prev := v_hash;
    v_n := v_n + 1;
  END LOOP;
  RETURN v_n;
END $$;

-- Where autovacuum runs, it visits the queues after a few hundred changed rows rather than after a
-- fifth of the table (the default), which for a jobs table holding years of finished jobs would mean
-- millions of dead index entries under the claim index. Guichet also vacuums them itself
-- (platform/db/housekeeping.ts), for servers where autovacuum is off.
ALTER TABLE jobs SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 500, autovacuum_analyze_scale_factor = 0.02);
ALTER TABLE audit_pending SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 500);

-- Jobs are claimed per name (each job name with its own concurrency lane): the claim walks this index
-- from the first due job of that name, instead of reading every pending job of every name and sorting
-- them (5.8 ms per claim behind a backlog of 3,000 filing jobs).
CREATE INDEX jobs_claim_name_idx ON jobs (name, priority DESC, run_at, id) WHERE status IN ('queued', 'running');
DROP INDEX jobs_claim_idx;
