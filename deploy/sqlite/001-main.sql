-- OrleansSupport schema for the embedded SQLite store (ADO.NET invariant "System.Data.SQLite",
-- served by Microsoft.Data.Sqlite). Applied at silo start; every statement is safe to run again.
--
-- Orleans' ADO.NET providers read the SQL they run from OrleansQuery, by key.

-- WAL lets readers go on while one writer commits; it is a property of the file and persists.
PRAGMA journal_mode = WAL;

CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  VARCHAR(64)   NOT NULL PRIMARY KEY,
    QueryText VARCHAR(8000) NOT NULL
);
