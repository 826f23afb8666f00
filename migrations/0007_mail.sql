-- The mail office (single postal address): scanned batches, registered letters with their chrono
-- numbers, per-page text (PDF text layer or OCR), outgoing letters and paper originals.

-- A file dropped by a clerk (API) or found in the hot folder, stored raw before anything else.
CREATE TABLE mail_batches (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  source          text NOT NULL CHECK (source IN ('upload', 'watch')),
  filename        text NOT NULL,
  sha256          text REFERENCES files(sha256),
  mime_type       text,
  size            bigint NOT NULL DEFAULT 0,
  -- images (JPEG, PNG, TIFF) are turned into a PDF once, so that one pipeline handles every batch
  pdf_sha256      text REFERENCES files(sha256),
  -- received → splitting → extracting → done; rejected (bad input, reason given); failed (processing)
  status          text NOT NULL DEFAULT 'received'
                  CHECK (status IN ('received', 'splitting', 'extracting', 'done', 'rejected', 'failed')),
  reason          text,
  pages_total     integer NOT NULL DEFAULT 0,
  pages_scanned   integer NOT NULL DEFAULT 0,
  pages_done      integer NOT NULL DEFAULT 0,
  letters_count   integer NOT NULL DEFAULT 0,
  separators      integer NOT NULL DEFAULT 0,
  created_by_type text NOT NULL,
  created_by_id   text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  finished_at     timestamptz
);
CREATE INDEX mail_batches_created_idx ON mail_batches (created_at DESC);
CREATE INDEX mail_batches_sha_idx ON mail_batches (sha256);

-- One letter: incoming (E, split from a batch) or outgoing (S, a reply or an acknowledgement).
CREATE TABLE mail_letters (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  chrono           text NOT NULL UNIQUE CHECK (chrono ~ '^\d{4}-[ES]-\d{6,}$'),
  direction        text NOT NULL CHECK (direction IN ('in', 'out')),
  batch_id         uuid REFERENCES mail_batches(id),
  -- position of the letter in its batch (0-based), so a re-run of the split finds what it did
  batch_position   integer,
  sha256           text REFERENCES files(sha256),
  page_count       integer NOT NULL DEFAULT 0,
  status           text NOT NULL DEFAULT 'received'
                   CHECK (status IN ('received', 'text_extracted', 'to_qualify', 'routed', 'answered', 'archived')),
  received_at      timestamptz NOT NULL DEFAULT now(),
  text_extracted_at timestamptz,
  to_qualify_at    timestamptz,
  routed_at        timestamptz,
  answered_at      timestamptz,
  archived_at      timestamptz,
  text             text,
  text_source      text CHECK (text_source IN ('pdf_text', 'ocr', 'mixed', 'none')),
  ocr_confidence   real,
  -- indexing assistance: proposed sender, date, subject, reference, identifiers, topic, unit (with sources)
  proposals        jsonb NOT NULL DEFAULT '{}',
  -- French notes for the clerk (unreadable page, no text found...)
  warnings         text[] NOT NULL DEFAULT '{}',
  subject          text,
  case_id          uuid REFERENCES cases(id),
  interaction_id   uuid REFERENCES interactions(id),
  -- outgoing letters: what they answer and when they are printed
  in_reply_to      uuid REFERENCES mail_letters(id),
  kind             text NOT NULL DEFAULT 'letter' CHECK (kind IN ('letter', 'acknowledgement', 'reply')),
  print_day        date,
  -- paper original (incoming letters): where it is kept, and what happens to it
  paper_location   text,
  paper_disposed_at timestamptz,
  paper_disposal   text CHECK (paper_disposal IN ('destroyed', 'archived')),
  disposal_list_id uuid,
  created_by_type  text NOT NULL,
  created_by_id    text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  -- what earlier routed letters teach: similar subjects → their topics
  subject_search   tsvector GENERATED ALWAYS AS (to_tsvector('french_unaccent', coalesce(subject, ''))) STORED,
  topic_id         uuid REFERENCES topics(id),
  contact_id       uuid REFERENCES contacts(id),
  UNIQUE (batch_id, batch_position)
);
CREATE INDEX mail_letters_subject_idx ON mail_letters USING gin (subject_search) WHERE status IN ('routed', 'answered', 'archived');
CREATE INDEX mail_letters_contact_idx ON mail_letters (contact_id, routed_at DESC) WHERE contact_id IS NOT NULL;
CREATE INDEX mail_letters_batch_idx ON mail_letters (batch_id, batch_position);
CREATE INDEX mail_letters_queue_idx ON mail_letters (status, received_at) WHERE direction = 'in';
CREATE INDEX mail_letters_case_idx ON mail_letters (case_id) WHERE case_id IS NOT NULL;
CREATE INDEX mail_letters_print_idx ON mail_letters (print_day) WHERE direction = 'out';
CREATE INDEX mail_letters_ack_idx ON mail_letters (in_reply_to) WHERE in_reply_to IS NOT NULL;

CREATE TABLE mail_pages (
  letter_id    uuid NOT NULL REFERENCES mail_letters(id) ON DELETE CASCADE,
  position     integer NOT NULL,
  -- page number in the batch file (1-based) and in the letter's own file (1-based)
  batch_page   integer NOT NULL,
  status       text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'failed')),
  source       text CHECK (source IN ('pdf_text', 'ocr', 'none')),
  text         text,
  confidence   real,
  reason       text,
  done_at      timestamptz,
  PRIMARY KEY (letter_id, position)
);

-- Lists of paper originals to destroy or hand to the archives, printed and signed.
CREATE TABLE mail_disposal_lists (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  action          text NOT NULL CHECK (action IN ('destroy', 'archive')),
  letter_ids      uuid[] NOT NULL,
  sha256          text REFERENCES files(sha256),
  confirmed_at    timestamptz,
  created_by_type text NOT NULL,
  created_by_id   text,
  created_at      timestamptz NOT NULL DEFAULT now()
);

-- What an acknowledgement of receipt says about silence (CRPA L112-3, R112-5): after how many months
-- without an answer the request is deemed accepted or rejected, per topic. Without a row: rejection
-- after two months (with the voies de recours), the cautious mention.
CREATE TABLE mail_ack_rules (
  topic_id  uuid PRIMARY KEY REFERENCES topics(id) ON DELETE CASCADE,
  silence   text NOT NULL DEFAULT 'rejection' CHECK (silence IN ('acceptance', 'rejection', 'none')),
  months    integer NOT NULL DEFAULT 2 CHECK (months BETWEEN 1 AND 12)
);
