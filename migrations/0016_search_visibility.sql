-- Full-text search by sensitivity (ADR 0015). Two measured faults of the recent tiers (ADR 0013) on ten
-- years of data:
-- 1. The planner may read the whole-table text index instead of the recent one: it misjudges phrases
--    (« nid-de-poule ») by 10^4 and then filters 52,000 matches of ten years by date (400 ms). The
--    recent indexes now hold an expression of their own, `search || ''::tsvector` (the same lexemes),
--    which only the recent tiers name: for them no other index can answer.
-- 2. A word found only in sensitive cases (« remboursement »: social aid) made a supervisor's search
--    read every sensitive match of the year to show none of them (600 ms). The recent indexes are split
--    by sensitivity, and interactions carry their case's flag, so a search asks only the indexes of the
--    cases the actor may read.
ALTER TABLE interactions ADD COLUMN sensitive boolean NOT NULL DEFAULT false;
UPDATE interactions i SET sensitive = true FROM cases c WHERE c.id = i.case_id AND c.sensitive;

-- The flag follows the case: set on insert and when an interaction moves (merge), updated when the
-- case's sensitivity changes (requalification, a topic made sensitive).
CREATE FUNCTION interactions_sensitive_from_case() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.sensitive := coalesce((SELECT c.sensitive FROM cases c WHERE c.id = NEW.case_id), false);
  RETURN NEW;
END $$;
CREATE TRIGGER interactions_sensitive BEFORE INSERT OR UPDATE OF case_id ON interactions
  FOR EACH ROW EXECUTE FUNCTION interactions_sensitive_from_case();

CREATE FUNCTION cases_sensitive_to_interactions() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE interactions SET sensitive = NEW.sensitive WHERE case_id = NEW.id AND sensitive <> NEW.sensitive;
  RETURN NULL;
END $$;
CREATE TRIGGER cases_sensitive AFTER UPDATE OF sensitive ON cases
  FOR EACH ROW WHEN (OLD.sensitive IS DISTINCT FROM NEW.sensitive) EXECUTE FUNCTION cases_sensitive_to_interactions();

-- The same definitions as src/modules/search/recent-index.ts (which rolls them each year), from the
-- cutoff in force.
DO $$
DECLARE
  cutoff timestamptz := (SELECT (value #>> '{}')::timestamptz FROM settings WHERE key = 'search_recent_cutoff');
  keys text := '(search || ''''::tsvector)';
  t text;
BEGIN
  IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'btree_gin') THEN
    keys := keys || ', search_month(created_at)';
  END IF;
  DROP INDEX IF EXISTS cases_search_recent_idx;
  DROP INDEX IF EXISTS interactions_search_recent_idx;
  FOREACH t IN ARRAY ARRAY['cases', 'interactions'] LOOP
    EXECUTE format('CREATE INDEX %I ON %I USING gin (%s) WHERE created_at >= %L::timestamptz AND NOT sensitive', t || '_search_recent_idx', t, keys, cutoff);
    EXECUTE format('CREATE INDEX %I ON %I USING gin (%s) WHERE created_at >= %L::timestamptz AND sensitive', t || '_search_recent_sensitive_idx', t, keys, cutoff);
  END LOOP;
END
$$;
