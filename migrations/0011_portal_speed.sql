-- Citizen portal (issue 8): indexes for the portal's lookups, and deadlines on requests for documents.

-- Attachments are looked up by content hash when an agent downloads one (GET /api/v1/files/:sha256
-- checks that the file is attached to a case the agent may read: the back office's links to a portal
-- submission's files and PDF summary go through it) and when a `files` row is deleted (foreign key
-- check). Without this index each lookup read the whole interaction_attachments table.
CREATE INDEX IF NOT EXISTS interaction_attachments_sha256_idx ON interaction_attachments (sha256);

-- Expired one-use e-mail tokens are pruned every hour (portal.sessions-prune).
CREATE INDEX IF NOT EXISTS citizen_tokens_expiry_idx ON citizen_tokens (expires_at);

-- An agent's request for missing documents may say by when they are needed (shown to the citizen).
ALTER TABLE document_requests ADD COLUMN IF NOT EXISTS due_date date;
