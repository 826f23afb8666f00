-- Platform spine: extensions, French search configuration, settings, audit chain, jobs, file store.

CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- French stemming that ignores accents: "elagage" matches "élagage", "subventions" matches "subvention".
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'french_unaccent') THEN
    CREATE TEXT SEARCH CONFIGURATION french_unaccent (COPY = french);
    ALTER TEXT SEARCH CONFIGURATION french_unaccent
      ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
  END IF;
END $$;

-- unaccent() is STABLE; an IMMUTABLE wrapper lets it be used in indexes and generated columns.
CREATE OR REPLACE FUNCTION immutable_unaccent(text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$;

-- Installation-wide values created once (secrets for HMACs, the demo-seeded marker, ...).
CREATE TABLE settings (
  key        text PRIMARY KEY,
  value      jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO settings (key, value) VALUES ('secret', to_jsonb(encode(sha256(gen_random_uuid()::text::bytea || clock_timestamp()::text::bytea), 'hex')));

-- ---------------------------------------------------------------------------------------------
-- Audit trail: events are appended in the transaction of the change (no lock, no contention);
-- a sealer then links them, in commit order, into a hash chain (audit_chain): each link's hash
-- covers its event's content and the previous link's hash. See docs/decisions/0004-audit-chain.md.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE audit_events (
  id           bigserial PRIMARY KEY,
  occurred_at  timestamptz NOT NULL DEFAULT date_trunc('milliseconds', clock_timestamp()),
  actor_type   text NOT NULL,
  actor_id     text,
  actor_label  text,
  action       text NOT NULL,
  object_type  text NOT NULL,
  object_id    text,
  before       jsonb,
  after        jsonb,
  request_id   text,
  ip           text
);
CREATE INDEX audit_events_object_idx ON audit_events (object_type, object_id, id);
CREATE INDEX audit_events_actor_idx ON audit_events (actor_type, actor_id, id);

-- Events committed but not yet linked into the chain (a work queue: rows leave it when sealed).
CREATE TABLE audit_pending (event_id bigint PRIMARY KEY REFERENCES audit_events(id));

CREATE TABLE audit_chain (
  seq        bigint PRIMARY KEY,
  event_id   bigint NOT NULL UNIQUE,
  prev_hash  text NOT NULL,
  hash       text NOT NULL,
  sealed_at  timestamptz NOT NULL DEFAULT now()
);

CREATE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only (% refused)', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER audit_events_no_update BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_chain_no_update BEFORE UPDATE OR DELETE ON audit_chain
  FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_chain_no_truncate BEFORE TRUNCATE ON audit_chain
  FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();

-- The canonical text hashed for a link: every field length-prefixed (in bytes), so no field can be
-- shifted into its neighbour. src/platform/audit/verify.ts recomputes the same text independently.
CREATE FUNCTION audit_canonical(VARIADIC parts text[]) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT string_agg(coalesce(octet_length(p)::text || ':' || p, '-'), '|' ORDER BY i)
  FROM unnest(parts) WITH ORDINALITY AS t(p, i)
$$;

CREATE FUNCTION audit_append(
  p_actor_type text, p_actor_id text, p_actor_label text, p_action text,
  p_object_type text, p_object_id text, p_before jsonb, p_after jsonb, p_request_id text, p_ip text
) RETURNS bigint LANGUAGE sql AS $$
  WITH e AS (
    INSERT INTO audit_events (actor_type, actor_id, actor_label, action, object_type, object_id, before, after, request_id, ip)
    VALUES (p_actor_type, p_actor_id, p_actor_label, p_action, p_object_type, p_object_id, p_before, p_after, p_request_id, p_ip)
    RETURNING id
  ), q AS (INSERT INTO audit_pending (event_id) SELECT id FROM e RETURNING event_id)
  SELECT event_id FROM q
$$;

-- Links up to p_max pending events into the chain; returns how many. One sealer at a time (the
-- others return 0 at once), so the chain has a single writer and never forks.
CREATE FUNCTION audit_seal(p_max integer) RETURNS integer LANGUAGE plpgsql AS $$
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
    SELECT e.* FROM audit_events e JOIN taken t ON t.event_id = e.id ORDER BY e.id
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

-- ---------------------------------------------------------------------------------------------
-- Durable jobs
-- ---------------------------------------------------------------------------------------------
CREATE TABLE jobs (
  id            bigserial PRIMARY KEY,
  name          text NOT NULL,
  payload       jsonb NOT NULL DEFAULT '{}',
  status        text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'dead')),
  priority      integer NOT NULL DEFAULT 0,
  attempts      integer NOT NULL DEFAULT 0,
  max_attempts  integer NOT NULL DEFAULT 5,
  run_at        timestamptz NOT NULL DEFAULT now(),
  locked_by     text,
  locked_until  timestamptz,
  last_error    text,
  unique_key    text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  finished_at   timestamptz
);
-- Only pending work is indexed for claiming: done jobs cost nothing to the queue.
CREATE INDEX jobs_claim_idx ON jobs (priority DESC, run_at, id) WHERE status IN ('queued', 'running');
CREATE INDEX jobs_dead_idx ON jobs (finished_at DESC) WHERE status = 'dead';
-- At most one pending job per unique key (deduplicates scheduled and idempotent enqueues).
CREATE UNIQUE INDEX jobs_unique_pending_idx ON jobs (unique_key) WHERE unique_key IS NOT NULL AND status IN ('queued', 'running');

CREATE TABLE job_schedules (
  name           text PRIMARY KEY,
  job_name       text NOT NULL,
  payload        jsonb NOT NULL DEFAULT '{}',
  every_seconds  integer NOT NULL CHECK (every_seconds > 0),
  next_run_at    timestamptz NOT NULL DEFAULT now(),
  enabled        boolean NOT NULL DEFAULT true
);

-- ---------------------------------------------------------------------------------------------
-- Content-addressed file store: the file is written (and fsynced) before its row is committed.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE files (
  sha256      text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  size        bigint NOT NULL CHECK (size >= 0),
  mime_type   text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
