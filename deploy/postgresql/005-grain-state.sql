-- State of the grains whose writes are committed together (OrleansSupport's GroupCommitGrainStorage):
-- one row per grain and state, its version the ETag for optimistic concurrency. Idempotent.
CREATE TABLE IF NOT EXISTS SupportGrainState
(
    ServiceId  VARCHAR(150) NOT NULL,
    GrainKey   VARCHAR(512) NOT NULL,
    Version    BIGINT       NOT NULL,
    Payload    BYTEA        NOT NULL,
    ModifiedOn TIMESTAMPTZ  NOT NULL,
    PRIMARY KEY (ServiceId, GrainKey)
);
