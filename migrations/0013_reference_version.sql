-- A version number for the reference data every case creation reads (units, domains, topics and their
-- handling units, routing rules, closures). Processes keep that data in memory and read this one row in
-- a query they make anyway, reloading when it moved: no stale taxonomy, and no extra round trip.
CREATE TABLE reference_version (
  id      boolean PRIMARY KEY DEFAULT true CHECK (id),
  version bigint NOT NULL
);
INSERT INTO reference_version (id, version) VALUES (true, 1);

CREATE FUNCTION bump_reference_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE reference_version SET version = version + 1;
  RETURN NULL;
END
$$;

CREATE TRIGGER units_reference_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON units
  FOR EACH STATEMENT EXECUTE FUNCTION bump_reference_version();
CREATE TRIGGER domains_reference_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON domains
  FOR EACH STATEMENT EXECUTE FUNCTION bump_reference_version();
CREATE TRIGGER topics_reference_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON topics
  FOR EACH STATEMENT EXECUTE FUNCTION bump_reference_version();
CREATE TRIGGER topic_units_reference_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON topic_units
  FOR EACH STATEMENT EXECUTE FUNCTION bump_reference_version();
CREATE TRIGGER routing_rules_reference_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON routing_rules
  FOR EACH STATEMENT EXECUTE FUNCTION bump_reference_version();
CREATE TRIGGER closures_reference_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON closures
  FOR EACH STATEMENT EXECUTE FUNCTION bump_reference_version();
