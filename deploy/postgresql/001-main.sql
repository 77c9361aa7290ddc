-- OrleansSupport schema for PostgreSQL (ADO.NET invariant "Npgsql"), for a cluster of silos.
-- Applied at every silo start, file by file in name order, each file as one command outside any explicit
-- transaction: every statement is safe to run again, and the files never drop or rewrite data.
--
-- Orleans' ADO.NET providers (clustering, grain storage, reminders) run only the SQL they read from
-- OrleansQuery, by key: "SELECT QueryKey, QueryText FROM OrleansQuery". The later files define their
-- provider's keys and re-store the text on every start (ON CONFLICT ... DO UPDATE), so an edited query
-- reaches the database with the next silo start, while a silo already running keeps the text it read.
--
-- Conventions in these files:
--   * Identifiers are unquoted, so PostgreSQL folds them to lower case (orleansquery, querykey...).
--     The providers find result columns by name through Npgsql, whose GetOrdinal falls back to a
--     case-insensitive match, so "QueryKey" finds querykey and "NewGrainStateVersion" finds
--     newgrainstateversion. Never quote an identifier here: a quoted "QueryKey" would be another column.
--   * Query texts are dollar-quoted ($query$ ... $query$) so they need no doubled quotes, and use only
--     the @Parameters the provider passes; Npgsql binds them by name. Every parameter arrives typed
--     (Orleans sets a DbType on each), so a NULL value still has a type.
--   * Times are timestamptz and the providers pass UTC DateTime values.

CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  varchar(64) NOT NULL,
    QueryText text        NOT NULL,

    CONSTRAINT PK_OrleansQuery PRIMARY KEY (QueryKey)
);
