-- The language queues (OrleansSupport's SqlQueueStore): one small header row per queue, its version the
-- ETag for optimistic concurrency, and one row per waiting customer, so that a change writes that
-- customer's row and the header, not the whole line. Idempotent.
CREATE TABLE IF NOT EXISTS SupportQueue
(
    ServiceId  TEXT    NOT NULL,
    Queue      TEXT    NOT NULL,
    Version    INTEGER NOT NULL,
    Payload    BLOB    NOT NULL, -- sequence number, recent services, last hour (the silo's grain state serializer)
    ModifiedOn TEXT    NOT NULL,
    PRIMARY KEY (ServiceId, Queue)
);

-- Keyed by serving order (WaitingSinceUtcTicks: DateTimeOffset.UtcTicks, exact; then Arrival, unique
-- within a queue), so reading a queue back is a walk of the key, and joins at the tail and dequeues at
-- the head change the same few pages at the ends of it wherever the line is. WITHOUT ROWID: the key is
-- the table, not a second tree beside it.
CREATE TABLE IF NOT EXISTS SupportQueueEntry
(
    ServiceId            TEXT    NOT NULL,
    Queue                TEXT    NOT NULL,
    WaitingSinceUtcTicks INTEGER NOT NULL,
    Arrival              INTEGER NOT NULL,
    SessionId            BLOB    NOT NULL,
    PRIMARY KEY (ServiceId, Queue, WaitingSinceUtcTicks, Arrival)
) WITHOUT ROWID;
