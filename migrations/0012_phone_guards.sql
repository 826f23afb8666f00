-- Contact center guards: a call's qualification creates its case once, even when the agent's browser or
-- the network sends it twice; cases left unlinked from their call are linked; callbacks are closed when
-- the caller called again and got through.

-- Each qualification of a call, recorded once. The key is the client's Idempotency-Key header, or a
-- digest of the request when it sends none: a repeated request finds its row and gets the same answer.
CREATE TABLE call_qualifications (
  id               bigserial PRIMARY KEY,
  call_id          uuid NOT NULL REFERENCES calls(id) ON DELETE CASCADE,
  idempotency_key  text NOT NULL CHECK (length(idempotency_key) BETWEEN 1 AND 200),
  -- sha256 of the request: the same key sent with another request is refused
  request_hash     text NOT NULL,
  outcome          text NOT NULL CHECK (outcome IN ('level1', 'escalate')),
  topic_id         uuid REFERENCES topics(id),
  case_id          uuid NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  -- the call interaction this qualification recorded: one each, never shared
  interaction_id   uuid NOT NULL UNIQUE REFERENCES interactions(id) ON DELETE CASCADE,
  unit_id          uuid REFERENCES units(id),
  -- the case already carried this call (left unlinked by an interrupted qualification) and was taken over
  adopted          boolean NOT NULL DEFAULT false,
  agent_id         uuid REFERENCES agents(id),
  created_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE (call_id, idempotency_key)
);
CREATE INDEX call_qualifications_case_idx ON call_qualifications (case_id);

-- The call interactions of a call, found by the call (to link the cases carrying them).
CREATE INDEX interactions_call_idx ON interactions ((metadata->>'callId')) WHERE kind = 'call' AND metadata ? 'callId';

-- Why a callback left the list: an agent called back, or the caller called again and was answered.
ALTER TABLE callbacks ADD COLUMN closed_reason text CHECK (closed_reason IN ('called_back', 'called_again'));
ALTER TABLE callbacks ADD COLUMN satisfied_by_call_id uuid REFERENCES calls(id);
UPDATE callbacks SET closed_reason = 'called_back' WHERE status = 'done';
ALTER TABLE callbacks ADD CONSTRAINT callbacks_done_reason_check CHECK ((status = 'done') = (closed_reason IS NOT NULL));

-- Earlier versions created a call's case and linked it in two transactions: a process stopped in between
-- left the case unlinked (its call interaction names the call). Link them now, audited.
WITH orphans AS (
  SELECT DISTINCT k.id AS call_id, i.case_id
    FROM interactions i JOIN calls k ON k.id::text = i.metadata->>'callId'
   WHERE i.kind = 'call' AND i.metadata ? 'callId'
     AND NOT EXISTS (SELECT 1 FROM call_cases cc WHERE cc.call_id = k.id AND cc.case_id = i.case_id)
), linked AS (
  INSERT INTO call_cases (call_id, case_id) SELECT call_id, case_id FROM orphans
  ON CONFLICT DO NOTHING RETURNING call_id, case_id
)
SELECT audit_append('system', 'migration', 'Migration 0012', 'call.link-repair', 'call', l.call_id::text, NULL,
                    jsonb_build_object('case', cs.reference, 'by', 'migration'), NULL, NULL)
  FROM linked l JOIN cases cs ON cs.id = l.case_id;
UPDATE calls k SET topic_id = cs.topic_id, qualification = CASE WHEN cs.resolved_level1 THEN 'level1' ELSE 'escalate' END,
                   qualified_at = cc.created_at, updated_at = now()
  FROM call_cases cc JOIN cases cs ON cs.id = cc.case_id
 WHERE cc.call_id = k.id AND k.qualification IS NULL AND cs.topic_id IS NOT NULL;
