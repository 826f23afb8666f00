-- Citizen portal (espace citoyens): citizen accounts and sessions, e-mail tokens, OpenID Connect
-- sign-in state, declarative procedures (démarches), drafts, submissions, requests for documents.

-- A citizen account is tied to one contact (created or matched when the e-mail address is verified,
-- or at the first OpenID Connect sign-in).
CREATE TABLE citizen_accounts (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email             text NOT NULL UNIQUE CHECK (email = lower(email)),
  password_hash     text,
  email_verified_at timestamptz,
  contact_id        uuid REFERENCES contacts(id),
  first_name        text,
  last_name         text,
  birth_date        date,
  phone             text,
  -- identity received from an OpenID Connect provider (FranceConnect): shown as verified and locked
  oidc_issuer       text,
  oidc_subject      text,
  identity_verified boolean NOT NULL DEFAULT false,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  last_sign_in_at   timestamptz,
  UNIQUE (oidc_issuer, oidc_subject)
);
CREATE INDEX citizen_accounts_contact_idx ON citizen_accounts (contact_id);

CREATE TABLE citizen_sessions (
  id_hash      text PRIMARY KEY,
  account_id   uuid NOT NULL REFERENCES citizen_accounts(id) ON DELETE CASCADE,
  csrf_token   text NOT NULL,
  -- the provider's id_token, kept to sign out at the provider (id_token_hint)
  id_token     text,
  expires_at   timestamptz NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  ip           text,
  user_agent   text
);
CREATE INDEX citizen_sessions_account_idx ON citizen_sessions (account_id);
CREATE INDEX citizen_sessions_expiry_idx ON citizen_sessions (expires_at);

-- One-use e-mail tokens (verification, password reset): only their sha256 is stored.
CREATE TABLE citizen_tokens (
  token_hash  text PRIMARY KEY,
  account_id  uuid NOT NULL REFERENCES citizen_accounts(id) ON DELETE CASCADE,
  purpose     text NOT NULL CHECK (purpose IN ('verify_email', 'reset_password')),
  expires_at  timestamptz NOT NULL,
  used_at     timestamptz,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX citizen_tokens_account_idx ON citizen_tokens (account_id, purpose);

-- Pending OpenID Connect authorisations: state → PKCE verifier and nonce (single use, short-lived).
CREATE TABLE oidc_states (
  state_hash     text PRIMARY KEY,
  code_verifier  text NOT NULL,
  nonce          text NOT NULL,
  return_to      text,
  expires_at     timestamptz NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now()
);

-- Procedures (démarches en ligne): the definition (JSON), seeded from procedures/*.json, editable by
-- administrators; `source` tells whether the row still follows its file.
CREATE TABLE procedures (
  slug        text PRIMARY KEY CHECK (slug ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
  title       text NOT NULL,
  definition  jsonb NOT NULL,
  active      boolean NOT NULL DEFAULT true,
  source      text NOT NULL DEFAULT 'file' CHECK (source IN ('file', 'admin')),
  file_hash   text,
  version     integer NOT NULL DEFAULT 1,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

-- Drafts saved as the citizen types, resumable. Anonymous drafts are reached by their unguessable id.
CREATE TABLE procedure_drafts (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  procedure_slug  text NOT NULL REFERENCES procedures(slug),
  account_id      uuid REFERENCES citizen_accounts(id) ON DELETE CASCADE,
  data            jsonb NOT NULL DEFAULT '{}',
  files           jsonb NOT NULL DEFAULT '{}',
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX procedure_drafts_account_idx ON procedure_drafts (account_id, updated_at DESC);

-- A submitted procedure: the structured data (as validated), linked to the case it opened.
CREATE TABLE procedure_submissions (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id         uuid NOT NULL UNIQUE REFERENCES cases(id) ON DELETE CASCADE,
  procedure_slug  text NOT NULL REFERENCES procedures(slug),
  procedure_version integer NOT NULL,
  account_id      uuid REFERENCES citizen_accounts(id),
  data            jsonb NOT NULL,
  -- the definition's labels at submission time, so the summary stays readable after edits
  summary         jsonb NOT NULL,
  files           jsonb NOT NULL DEFAULT '[]',
  pdf_sha256      text REFERENCES files(sha256),
  -- anonymous submissions: sha256 of the tracking code
  tracking_hash   text UNIQUE,
  created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX procedure_submissions_account_idx ON procedure_submissions (account_id, created_at DESC);

-- Requests for missing documents ("pièces complémentaires") sent by an agent to the citizen.
CREATE TABLE document_requests (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id       uuid NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  items         jsonb NOT NULL,
  message       text,
  requested_by  text,
  status        text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'answered', 'cancelled')),
  answer_interaction_id uuid REFERENCES interactions(id),
  created_at    timestamptz NOT NULL DEFAULT now(),
  answered_at   timestamptz
);
CREATE INDEX document_requests_case_idx ON document_requests (case_id, created_at);

-- Where the e-mail notifier stopped reading case_events (one row).
CREATE TABLE portal_notify_cursor (
  id        boolean PRIMARY KEY DEFAULT true CHECK (id),
  last_event_id bigint NOT NULL
);
