-- State of the grains whose writes are committed together (OrleansSupport's GroupCommitGrainStorage):
-- one row per grain and state, its version the ETag for optimistic concurrency. Idempotent.
CREATE TABLE IF NOT EXISTS SupportGrainState
(
    ServiceId  TEXT    NOT NULL,
    GrainKey   TEXT    NOT NULL,
    Version    INTEGER NOT NULL,
    Payload    BLOB    NOT NULL,
    ModifiedOn TEXT    NOT NULL,
    PRIMARY KEY (ServiceId, GrainKey)
);
