-- Email channel (the single address): every message as received (raw in the file store), where it
-- stands (filed, duplicate, automatic, quarantined), the IMAP position per mailbox, and the outbox
-- of acknowledgements and replies with the limits on automatic answers.

-- One row per message received, committed before the sending server is told we have it.
CREATE TABLE inbound_emails (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  source         text NOT NULL CHECK (source IN ('smtp', 'imap')),
  raw_sha256     text NOT NULL REFERENCES files(sha256),
  size           bigint NOT NULL,
  envelope_from  text,
  envelope_to    text[] NOT NULL DEFAULT '{}',
  -- IMAP only: where it came from, so a restart neither skips nor repeats a message
  mailbox        text,
  uidvalidity    bigint,
  uid            bigint,
  received_at    timestamptz NOT NULL DEFAULT now(),
  status         text NOT NULL DEFAULT 'received'
                 CHECK (status IN ('received', 'filed', 'duplicate', 'own_loop', 'quarantined', 'deleted')),
  reason         text,
  message_id     text,
  content_hash   text,
  automatic      text,
  case_id        uuid REFERENCES cases(id),
  interaction_id uuid REFERENCES interactions(id) ON DELETE SET NULL,
  processed_at   timestamptz,
  -- an administrator let a quarantined message through: the attachment policy no longer applies
  released_at    timestamptz,
  released_by    text
);
CREATE UNIQUE INDEX inbound_emails_imap_uid_idx ON inbound_emails (mailbox, uidvalidity, uid) WHERE source = 'imap';
CREATE INDEX inbound_emails_message_id_idx ON inbound_emails (message_id) WHERE message_id IS NOT NULL;
CREATE INDEX inbound_emails_content_hash_idx ON inbound_emails (content_hash) WHERE content_hash IS NOT NULL;
CREATE INDEX inbound_emails_quarantine_idx ON inbound_emails (received_at DESC) WHERE status = 'quarantined';
CREATE INDEX inbound_emails_pending_idx ON inbound_emails (received_at) WHERE status = 'received';

-- The last UID stored per IMAP mailbox (advanced only after the message's row committed).
CREATE TABLE imap_positions (
  mailbox      text PRIMARY KEY,
  uidvalidity  bigint NOT NULL,
  last_uid     bigint NOT NULL DEFAULT 0,
  updated_at   timestamptz NOT NULL DEFAULT now()
);

-- Mail we send (acknowledgements, replies): one row per message, sent by the email.send job.
CREATE TABLE outbound_emails (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  kind           text NOT NULL CHECK (kind IN ('ack', 'reply')),
  case_id        uuid NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  interaction_id uuid REFERENCES interactions(id) ON DELETE SET NULL,
  recipient      text NOT NULL,
  message_id     text NOT NULL UNIQUE,
  subject        text NOT NULL,
  body           text NOT NULL,
  headers        jsonb NOT NULL DEFAULT '{}',
  attachments    jsonb NOT NULL DEFAULT '[]',
  status         text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed')),
  attempts       integer NOT NULL DEFAULT 0,
  last_error     text,
  created_at     timestamptz NOT NULL DEFAULT now(),
  sent_at        timestamptz
);
CREATE INDEX outbound_emails_ack_rate_idx ON outbound_emails (recipient, created_at) WHERE kind = 'ack';
CREATE INDEX outbound_emails_case_idx ON outbound_emails (case_id, created_at);
