-- The operators' e-mail inbox (OrleansSupport's SqlEmailInboxStore): one row per "Email us" request, so
-- adding or answering one writes that row, and the inbox is read a page at a time in submission order.
-- Rows older than Support:EmailInbox:KeepFor are deleted. Idempotent.
CREATE TABLE IF NOT EXISTS SupportEmailRequest
(
    ServiceId           VARCHAR(150) NOT NULL,
    Reference           VARCHAR(64)  NOT NULL,
    SubmittedAtUtcTicks BIGINT       NOT NULL,
    Answered            INTEGER      NOT NULL, -- 0 or 1: an answer is written once
    Payload             BYTEA        NOT NULL, -- the request and its answer (the silo's grain state serializer)
    PRIMARY KEY (ServiceId, Reference)
);

-- Pages walk this key from where the last one ended; trimming deletes from its start.
CREATE INDEX IF NOT EXISTS SupportEmailRequestBySubmission ON SupportEmailRequest (ServiceId, SubmittedAtUtcTicks, Reference);
