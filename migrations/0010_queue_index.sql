-- Unit queues sort open cases by due date with undated ones last (coalesce(due_date, 'infinity')):
-- an index on that very expression serves the queue page without sorting a unit's whole backlog.
CREATE INDEX IF NOT EXISTS cases_unit_queue_due_idx ON cases (unit_id, (coalesce(due_date, 'infinity'::date)), id) WHERE status <> 'closed';
