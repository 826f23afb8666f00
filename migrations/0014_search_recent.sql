-- Full-text search at ten-year scale (ADR 0013). A search goes by recency tiers; the recent ones are
-- served by partial GIN indexes over the rows since 1 January of the previous year, whose posting lists
-- are a tenth of the whole table's, and which hold the month too (btree_gin on search_month): the GIN
-- scan itself keeps only the matches of the months asked, whatever the planner guesses about a word's
-- frequency. Months, not instants: a range over a few dozen month entries is read at once, where a range
-- over a year of distinct timestamps cost a second. The job `search.roll-recent-index` moves the cutoff each new
-- year; `settings.search_recent_cutoff` tells the search service the exact cutoff, which it repeats in its
-- queries so that the planner can use the partial indexes.
-- Where btree_gin is not available the recent indexes hold the search vector only (same answers, the month
-- is then checked on the rows found): the embedded PGlite is such a case — its btree_gin build, once
-- loaded, sends the engine into an endless loop on some later statements.
-- Months since the epoch (30.44 days): the epoch does not depend on the time zone, hence IMMUTABLE.
CREATE FUNCTION search_month(t timestamptz) RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT floor(extract(epoch FROM t) / 2629746)::integer $$;
ALTER TABLE cases ALTER COLUMN search SET STATISTICS 1000;
ALTER TABLE interactions ALTER COLUMN search SET STATISTICS 1000;
CREATE INDEX IF NOT EXISTS interactions_created_idx ON interactions (created_at);

DO $$
DECLARE
  cutoff timestamptz := (date_trunc('year', now() AT TIME ZONE 'Europe/Paris') - interval '1 year') AT TIME ZONE 'Europe/Paris';
  keys text := 'search';
BEGIN
  IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'btree_gin') THEN
    CREATE EXTENSION IF NOT EXISTS btree_gin;
    keys := 'search, search_month(created_at)';
  END IF;
  EXECUTE format('CREATE INDEX cases_search_recent_idx ON cases USING gin (%s) WHERE created_at >= %L::timestamptz', keys, cutoff);
  EXECUTE format('CREATE INDEX interactions_search_recent_idx ON interactions USING gin (%s) WHERE created_at >= %L::timestamptz', keys, cutoff);
  INSERT INTO settings (key, value) VALUES ('search_recent_cutoff', to_jsonb(cutoff))
    ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now();
END
$$;
