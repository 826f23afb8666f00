-- Contact center (single phone number): raw CTI events, the call log and its cases, the callback list,
-- agent presence, opening hours, and the level-1 knowledge base.

-- Every CTI webhook as received, before anything else is done with it (kept even when refused).
CREATE TABLE cti_events (
  id            bigserial PRIMARY KEY,
  received_at   timestamptz NOT NULL DEFAULT now(),
  token_id      uuid REFERENCES api_tokens(id),
  content_type  text,
  headers       jsonb NOT NULL DEFAULT '{}',
  raw_body      text NOT NULL,
  event         text,
  call_id       text,
  outcome       text NOT NULL DEFAULT 'received'
                CHECK (outcome IN ('received', 'applied', 'duplicate', 'malformed', 'invalid', 'bad_signature', 'error')),
  error         text,
  processed_at  timestamptz
);
CREATE INDEX cti_events_call_idx ON cti_events (call_id, id);
CREATE INDEX cti_events_pending_idx ON cti_events (received_at) WHERE outcome = 'received';

-- One row per call, built from its CTI events in whatever order they arrive.
CREATE TABLE calls (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  call_id           text NOT NULL UNIQUE,
  direction         text NOT NULL CHECK (direction IN ('inbound', 'outbound')),
  from_number       text,
  to_number         text,
  -- the other party (the caller of an inbound call, the called number of an outbound one), E.164
  party_e164        text,
  queue             text,
  contact_id        uuid REFERENCES contacts(id),
  started_at        timestamptz NOT NULL,
  answered_at       timestamptz,
  ended_at          timestamptz,
  agent_id          uuid REFERENCES agents(id),
  answering_number  text,
  hangup_cause      text,
  out_of_hours      boolean NOT NULL DEFAULT false,
  outcome           text NOT NULL DEFAULT 'ringing'
                    CHECK (outcome IN ('ringing', 'in_progress', 'answered', 'abandoned', 'out_of_hours', 'missed', 'busy', 'failed', 'forwarded')),
  wait_seconds      integer GENERATED ALWAYS AS (
                      CASE WHEN answered_at IS NOT NULL THEN greatest(0, floor(extract(epoch FROM answered_at - started_at)))::integer
                           WHEN ended_at IS NOT NULL THEN greatest(0, floor(extract(epoch FROM ended_at - started_at)))::integer END) STORED,
  talk_seconds      integer GENERATED ALWAYS AS (
                      CASE WHEN answered_at IS NOT NULL AND ended_at IS NOT NULL
                           THEN greatest(0, floor(extract(epoch FROM ended_at - answered_at)))::integer END) STORED,
  -- qualification by the agent
  topic_id          uuid REFERENCES topics(id),
  qualification     text CHECK (qualification IN ('level1', 'escalate')),
  article_id        uuid,
  qualified_at      timestamptz,
  qualified_by      uuid REFERENCES agents(id),
  updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX calls_started_idx ON calls (started_at);
CREATE INDEX calls_agent_idx ON calls (agent_id, started_at);
CREATE INDEX calls_party_idx ON calls (party_e164, started_at DESC);
CREATE INDEX calls_contact_idx ON calls (contact_id, started_at DESC);

CREATE TABLE call_cases (
  call_id     uuid NOT NULL REFERENCES calls(id) ON DELETE CASCADE,
  case_id     uuid NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (call_id, case_id)
);
CREATE INDEX call_cases_case_idx ON call_cases (case_id);

-- Callers to call back: abandoned before answer, out of hours, or asked for by the agent.
CREATE TABLE callbacks (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  party_e164   text NOT NULL,
  contact_id   uuid REFERENCES contacts(id),
  reason       text NOT NULL CHECK (reason IN ('abandoned', 'missed', 'out_of_hours', 'requested')),
  first_call_id uuid REFERENCES calls(id),
  last_call_id uuid REFERENCES calls(id),
  calls_count  integer NOT NULL DEFAULT 1,
  case_id      uuid REFERENCES cases(id),
  status       text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done')),
  created_at   timestamptz NOT NULL DEFAULT now(),
  done_at      timestamptz,
  done_by      uuid REFERENCES agents(id),
  reached      boolean,
  note         text
);
-- one pending callback per number: a caller who tries three times is called back once
CREATE UNIQUE INDEX callbacks_pending_party_idx ON callbacks (party_e164) WHERE status = 'pending';
CREATE INDEX callbacks_status_idx ON callbacks (status, created_at);
CREATE UNIQUE INDEX callbacks_first_call_idx ON callbacks (first_call_id) WHERE first_call_id IS NOT NULL;

-- What each agent is doing now (from CTI events and set by the agent).
CREATE TABLE agent_presence (
  agent_id    uuid PRIMARY KEY REFERENCES agents(id) ON DELETE CASCADE,
  status      text NOT NULL CHECK (status IN ('available', 'on_call', 'wrap_up', 'pause', 'away')),
  call_id     uuid REFERENCES calls(id),
  since       timestamptz NOT NULL DEFAULT now(),
  set_by      text NOT NULL CHECK (set_by IN ('agent', 'cti'))
);

-- Knowledge base for level 1 (and the portal FAQ for public articles).
CREATE TABLE knowledge_articles (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  title        text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
  answer       text NOT NULL,
  topic_id     uuid REFERENCES topics(id),
  keywords     text[] NOT NULL DEFAULT '{}',
  valid_from   date,
  valid_until  date,
  public       boolean NOT NULL DEFAULT false,
  author_id    uuid REFERENCES agents(id),
  author_label text,
  use_count    integer NOT NULL DEFAULT 0,
  archived     boolean NOT NULL DEFAULT false,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  -- written by the service (keywords are an array: array_to_string is not immutable)
  search       tsvector NOT NULL DEFAULT ''::tsvector,
  CHECK (valid_until IS NULL OR valid_from IS NULL OR valid_until >= valid_from)
);
CREATE INDEX knowledge_search_idx ON knowledge_articles USING gin (search);
CREATE INDEX knowledge_topic_idx ON knowledge_articles (topic_id) WHERE NOT archived;
CREATE INDEX knowledge_public_idx ON knowledge_articles (public) WHERE public AND NOT archived;

CREATE TABLE knowledge_uses (
  id          bigserial PRIMARY KEY,
  article_id  uuid NOT NULL REFERENCES knowledge_articles(id) ON DELETE CASCADE,
  call_id     uuid REFERENCES calls(id),
  case_id     uuid REFERENCES cases(id),
  agent_id    uuid REFERENCES agents(id),
  used_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX knowledge_uses_article_idx ON knowledge_uses (article_id, used_at);
