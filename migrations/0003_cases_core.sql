-- Case management core: contacts, topics, routing rules, cases, interactions, timeline, search.

-- ---------------------------------------------------------------------------------------------
-- Contacts (usagers): persons and organisations
-- ---------------------------------------------------------------------------------------------
CREATE TABLE contacts (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  kind          text NOT NULL CHECK (kind IN ('person', 'organisation')),
  segment       text NOT NULL CHECK (segment IN ('particulier', 'professionnel', 'association', 'collectivite')),
  org_type      text CHECK (org_type IN ('association', 'company', 'commune', 'public_body')),
  civility      text CHECK (civility IN ('M.', 'Mme')),
  first_name    text,
  last_name     text,
  org_name      text,
  display_name  text NOT NULL,
  birth_date    date,
  siret         text CHECK (siret ~ '^\d{14}$'),
  siren         text CHECK (siren ~ '^\d{9}$'),
  rna           text CHECK (rna ~ '^W\d{9}$'),
  insee_code    text,
  notes         text,
  -- created by a channel from partial data (unknown email sender, caller): an agent should check it
  to_check      boolean NOT NULL DEFAULT false,
  merged_into   uuid REFERENCES contacts(id),
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  -- normalised name used by duplicate detection (lower case, no accents, single spaces)
  name_key      text GENERATED ALWAYS AS (lower(immutable_unaccent(regexp_replace(display_name, '\s+', ' ', 'g')))) STORED,
  search        tsvector GENERATED ALWAYS AS (
                  to_tsvector('french_unaccent', coalesce(display_name, '') || ' ' || coalesce(org_name, '') || ' ' || coalesce(siret, '') || ' ' || coalesce(rna, ''))) STORED
);
CREATE INDEX contacts_search_idx ON contacts USING gin (search);
CREATE INDEX contacts_name_trgm_idx ON contacts USING gin (name_key gin_trgm_ops);
CREATE INDEX contacts_name_key_idx ON contacts (name_key);
CREATE INDEX contacts_siret_idx ON contacts (siret) WHERE siret IS NOT NULL;
CREATE INDEX contacts_rna_idx ON contacts (rna) WHERE rna IS NOT NULL;
CREATE INDEX contacts_merged_idx ON contacts (merged_into) WHERE merged_into IS NOT NULL;

CREATE TABLE contact_emails (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  contact_id    uuid NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
  email         text NOT NULL CHECK (email = lower(email)),
  label         text,
  is_primary    boolean NOT NULL DEFAULT false,
  failing_since timestamptz,
  failure_reason text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (contact_id, email)
);
CREATE INDEX contact_emails_email_idx ON contact_emails (email);

CREATE TABLE contact_phones (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  contact_id  uuid NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
  e164        text NOT NULL CHECK (e164 ~ '^\+\d{6,15}$'),
  label       text,
  is_primary  boolean NOT NULL DEFAULT false,
  created_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (contact_id, e164)
);
CREATE INDEX contact_phones_e164_idx ON contact_phones (e164);

CREATE TABLE contact_addresses (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  contact_id  uuid NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
  line1       text NOT NULL,
  line2       text,
  postcode    text NOT NULL,
  city        text NOT NULL,
  country     text NOT NULL DEFAULT 'FR',
  label       text,
  is_primary  boolean NOT NULL DEFAULT false,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX contact_addresses_contact_idx ON contact_addresses (contact_id);
CREATE INDEX contact_addresses_postcode_idx ON contact_addresses (postcode);

-- A person acting for an organisation (treasurer of an association, mayor of a commune...).
CREATE TABLE contact_links (
  person_id        uuid NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
  organisation_id  uuid NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
  role             text NOT NULL,
  confirmed        boolean NOT NULL DEFAULT true,
  created_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (person_id, organisation_id, role),
  CHECK (person_id <> organisation_id)
);
CREATE INDEX contact_links_org_idx ON contact_links (organisation_id);

-- ---------------------------------------------------------------------------------------------
-- Taxonomy: domains → topics
-- ---------------------------------------------------------------------------------------------
CREATE TABLE domains (
  id        uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  code      text NOT NULL UNIQUE CHECK (code ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
  name      text NOT NULL,
  position  integer NOT NULL DEFAULT 0
);

CREATE TABLE topics (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  code              text NOT NULL UNIQUE CHECK (code ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
  domain_id         uuid NOT NULL REFERENCES domains(id),
  name              text NOT NULL,
  description       text,
  default_unit_id   uuid NOT NULL REFERENCES units(id),
  deadline_days     integer NOT NULL DEFAULT 15 CHECK (deadline_days BETWEEN 0 AND 365),
  sensitive         boolean NOT NULL DEFAULT false,
  retention_years   integer NOT NULL DEFAULT 5 CHECK (retention_years BETWEEN 0 AND 100),
  retention_action  text NOT NULL DEFAULT 'destroy' CHECK (retention_action IN ('destroy', 'archive')),
  -- an acknowledgement of receipt is owed when a request on this topic arrives (letters, emails)
  acknowledge       boolean NOT NULL DEFAULT true,
  -- what a message on a closed case does: reopen it, or open a new case linked to it
  on_reply_closed   text NOT NULL DEFAULT 'reopen' CHECK (on_reply_closed IN ('reopen', 'new_case')),
  active            boolean NOT NULL DEFAULT true,
  created_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX topics_domain_idx ON topics (domain_id);

-- Units that handle a topic besides its default unit (they may see its cases even when sensitive).
CREATE TABLE topic_units (
  topic_id  uuid NOT NULL REFERENCES topics(id) ON DELETE CASCADE,
  unit_id   uuid NOT NULL REFERENCES units(id),
  PRIMARY KEY (topic_id, unit_id)
);

-- ---------------------------------------------------------------------------------------------
-- Routing rules: first matching active rule (by position) decides the unit; else the topic's default.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE routing_rules (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  position         integer NOT NULL,
  name             text NOT NULL,
  active           boolean NOT NULL DEFAULT true,
  topic_ids        uuid[],
  channels         text[],
  segments         text[],
  postcode_prefixes text[],
  communes         text[],
  keywords         text[],
  target_unit_id   uuid NOT NULL REFERENCES units(id),
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX routing_rules_position_idx ON routing_rules (position) WHERE active;

-- ---------------------------------------------------------------------------------------------
-- Cases (demandes)
-- ---------------------------------------------------------------------------------------------
-- References YYYY-NNNNNN come from one sequence per year (no row lock held to commit: creation
-- scales; a rolled-back creation leaves a gap, which is harmless).
CREATE FUNCTION next_yearly_number(p_prefix text, p_year integer) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  seq text := p_prefix || '_' || p_year;
BEGIN
  BEGIN
    RETURN nextval(seq);
  EXCEPTION WHEN undefined_table THEN
    BEGIN
      EXECUTE format('CREATE SEQUENCE IF NOT EXISTS %I', seq);
    EXCEPTION WHEN unique_violation OR duplicate_table THEN NULL;
    END;
    RETURN nextval(seq);
  END;
END $$;

CREATE FUNCTION format_yearly_number(p_year integer, p_n bigint) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT p_year::text || '-' || CASE WHEN p_n < 1000000 THEN lpad(p_n::text, 6, '0') ELSE p_n::text END
$$;

CREATE TABLE cases (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  reference        text NOT NULL UNIQUE CHECK (reference ~ '^\d{4}-\d{6,}$'),
  contact_id       uuid REFERENCES contacts(id),
  topic_id         uuid REFERENCES topics(id),
  channel          text NOT NULL CHECK (channel IN ('phone', 'email', 'mail', 'portal', 'counter', 'api')),
  subject          text NOT NULL,
  description      text,
  status           text NOT NULL DEFAULT 'new'
                   CHECK (status IN ('new', 'qualified', 'assigned', 'in_progress', 'waiting_on_contact', 'answered', 'closed')),
  resolved_level1  boolean NOT NULL DEFAULT false,
  unit_id          uuid REFERENCES units(id),
  assignee_id      uuid REFERENCES agents(id),
  priority         text NOT NULL DEFAULT 'normal' CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
  due_date         date,
  tags             text[] NOT NULL DEFAULT '{}',
  -- copied from the topic so that visibility filters are one indexed predicate
  sensitive        boolean NOT NULL DEFAULT false,
  created_by_type  text NOT NULL,
  created_by_id    text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  qualified_at     timestamptz,
  answered_at      timestamptz,
  closed_at        timestamptz,
  reopened_count   integer NOT NULL DEFAULT 0,
  search           tsvector GENERATED ALWAYS AS (
                     setweight(to_tsvector('french_unaccent', coalesce(subject, '')), 'A') ||
                     setweight(to_tsvector('french_unaccent', coalesce(description, '')), 'B')) STORED
);
-- queues: a unit's open cases by due date; an agent's cases; a contact's history
CREATE INDEX cases_unit_queue_idx ON cases (unit_id, due_date, id) WHERE status <> 'closed';
CREATE INDEX cases_assignee_idx ON cases (assignee_id, due_date) WHERE status <> 'closed';
CREATE INDEX cases_contact_idx ON cases (contact_id, created_at DESC);
CREATE INDEX cases_status_idx ON cases (status, created_at DESC);
CREATE INDEX cases_created_idx ON cases (created_at DESC);
CREATE INDEX cases_topic_idx ON cases (topic_id, created_at DESC);
CREATE INDEX cases_search_idx ON cases USING gin (search);
CREATE INDEX cases_tags_idx ON cases USING gin (tags);

CREATE TABLE case_links (
  case_id        uuid NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  linked_case_id uuid NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  kind           text NOT NULL CHECK (kind IN ('related', 'duplicate', 'follow_up', 'reference_mismatch', 'merged')),
  note           text,
  created_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (case_id, linked_case_id),
  CHECK (case_id <> linked_case_id)
);
CREATE INDEX case_links_linked_idx ON case_links (linked_case_id);

-- The timeline of changes on a case (status, qualification, routing, assignment...), each with its
-- reason. The audit trail keeps the same facts for control; this table is what agents read.
CREATE TABLE case_events (
  id          bigserial PRIMARY KEY,
  case_id     uuid NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  kind        text NOT NULL,
  from_value  text,
  to_value    text,
  reason      text,
  actor_type  text NOT NULL,
  actor_id    text,
  actor_label text,
  data        jsonb,
  occurred_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX case_events_case_idx ON case_events (case_id, id);

-- ---------------------------------------------------------------------------------------------
-- Interactions: calls, letters, emails, portal messages, counter visits, internal notes
-- ---------------------------------------------------------------------------------------------
CREATE TABLE interactions (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id      uuid NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  -- copied from the case when recorded (and moved on merges) so a contact's history is one index scan
  contact_id   uuid REFERENCES contacts(id),
  kind         text NOT NULL CHECK (kind IN ('call', 'letter', 'email', 'portal_message', 'visit', 'note')),
  direction    text NOT NULL CHECK (direction IN ('inbound', 'outbound', 'internal')),
  occurred_at  timestamptz NOT NULL DEFAULT now(),
  author_type  text NOT NULL,
  author_id    text,
  author_label text,
  subject      text,
  body         text,
  -- sanitised HTML for display (emails); never raw HTML from outside
  body_html    text,
  -- channel-specific facts: call duration and number, email Message-ID, letter chrono number...
  metadata     jsonb NOT NULL DEFAULT '{}',
  created_at   timestamptz NOT NULL DEFAULT now(),
  search       tsvector GENERATED ALWAYS AS (
                 setweight(to_tsvector('french_unaccent', coalesce(subject, '')), 'A') ||
                 setweight(to_tsvector('french_unaccent', left(coalesce(body, ''), 100000)), 'C')) STORED
);
CREATE INDEX interactions_case_idx ON interactions (case_id, occurred_at);
CREATE INDEX interactions_contact_idx ON interactions (contact_id, occurred_at DESC);
CREATE INDEX interactions_search_idx ON interactions USING gin (search);

CREATE TABLE interaction_attachments (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  interaction_id  uuid NOT NULL REFERENCES interactions(id) ON DELETE CASCADE,
  sha256          text NOT NULL REFERENCES files(sha256),
  filename        text NOT NULL,
  mime_type       text NOT NULL,
  size            bigint NOT NULL,
  content_id      text,
  position        integer NOT NULL DEFAULT 0
);
CREATE INDEX interaction_attachments_interaction_idx ON interaction_attachments (interaction_id, position);

-- Reply templates (letters, emails, portal messages), managed by administrators.
CREATE TABLE reply_templates (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  code        text NOT NULL UNIQUE CHECK (code ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
  name        text NOT NULL,
  channel     text NOT NULL CHECK (channel IN ('email', 'letter', 'portal', 'any')),
  topic_id    uuid REFERENCES topics(id),
  subject     text,
  body        text NOT NULL,
  active      boolean NOT NULL DEFAULT true,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

-- Saved queue views of agents.
CREATE TABLE saved_views (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  agent_id   uuid NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
  name       text NOT NULL,
  filters    jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX saved_views_agent_idx ON saved_views (agent_id);

-- Public holidays and exceptional closures beyond the computed French holidays (see calendar module).
CREATE TABLE closures (
  day     date PRIMARY KEY,
  label   text NOT NULL
);
