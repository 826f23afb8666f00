-- Organisation skeleton (directions and units) and everything sign-in needs: agents, sessions,
-- API tokens and the sign-in throttle.

CREATE TABLE units (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  code        text NOT NULL UNIQUE CHECK (code ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
  name        text NOT NULL,
  kind        text NOT NULL DEFAULT 'unit' CHECK (kind IN ('direction', 'unit')),
  parent_id   uuid REFERENCES units(id),
  email       text,
  phone       text,
  active      boolean NOT NULL DEFAULT true,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX units_parent_idx ON units (parent_id);

CREATE TABLE agents (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email           text NOT NULL,
  display_name    text NOT NULL,
  password_hash   text,
  roles           text[] NOT NULL DEFAULT '{}',
  extension       text,
  signature       text,
  active          boolean NOT NULL DEFAULT true,
  created_at      timestamptz NOT NULL DEFAULT now(),
  last_sign_in_at timestamptz
);
CREATE UNIQUE INDEX agents_email_idx ON agents (lower(email));
CREATE UNIQUE INDEX agents_extension_idx ON agents (extension) WHERE extension IS NOT NULL;

CREATE TABLE agent_units (
  agent_id  uuid NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
  unit_id   uuid NOT NULL REFERENCES units(id),
  PRIMARY KEY (agent_id, unit_id)
);
CREATE INDEX agent_units_unit_idx ON agent_units (unit_id);

CREATE TABLE sessions (
  id_hash      text PRIMARY KEY,
  agent_id     uuid NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
  csrf_token   text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL,
  ip           text,
  user_agent   text
);
CREATE INDEX sessions_agent_idx ON sessions (agent_id);
CREATE INDEX sessions_expiry_idx ON sessions (expires_at);

CREATE TABLE api_tokens (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name          text NOT NULL,
  token_hash    text NOT NULL UNIQUE,
  role          text NOT NULL,
  unit_id       uuid REFERENCES units(id),
  scopes        text[] NOT NULL DEFAULT '{}',
  created_at    timestamptz NOT NULL DEFAULT now(),
  revoked_at    timestamptz,
  last_used_at  timestamptz
);

-- Failed sign-ins counted per normalised email, whether or not an account exists, so that a locked
-- unknown address and a locked real account look the same from outside.
CREATE TABLE signin_throttle (
  email_hash    text PRIMARY KEY,
  failures      integer NOT NULL DEFAULT 0,
  window_start  timestamptz NOT NULL DEFAULT now(),
  locked_until  timestamptz
);
