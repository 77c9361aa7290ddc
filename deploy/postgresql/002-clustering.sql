-- Cluster membership for Orleans' ADO.NET clustering (Microsoft.Orleans.Clustering.AdoNet 10.4.2),
-- used by silos (membership protocol) and by clients (gateway list).
--
-- The provider's contract, as it calls these queries:
--   parameters  @DeploymentId (the ClusterId), @Address (IP address as text), @Port, @Generation,
--               @SiloName, @HostName, @Status (SiloStatus as int: 3 Active, 6 Dead), @ProxyPort (gateway
--               port, 0 when the silo is no gateway), @StartTime, @IAmAliveTime (UTC),
--               @SuspectTimes (text "silo,date|silo,date", or NULL), @Version (the table version the
--               writer read, an integer).
--   reads       member rows as DeploymentId, Address, Port, Generation, SiloName, HostName, Status,
--               ProxyPort, SuspectTimes, StartTime, IAmAliveTime and the table's Version. A read of the
--               membership must return the version row even when no member matches (members' columns
--               NULL then): the version comes from the first row, and a NULL StartTime means "no member".
--   gateways    Address, ProxyPort, Generation of members with Status = @Status (the provider asks for
--               Active) and a gateway port.
--   writes      insert-version, insert-member and update-member return one row with one column: > 0 when
--               done, 0 when not. Inserting or updating a member is optimistic concurrency on the table
--               version: it succeeds only when @Version is still the current version, and then bumps it
--               in the same step; otherwise nothing changes at all.
--   I-am-alive  moves IAmAliveTime forward only, without touching the version (not a versioned write).
--   cleanup     10.4.2 runs CleanupDefunctSiloEntryKey (optional key) once per Dead member it read whose
--               StartTime, IAmAliveTime and suspicion votes are all older than the cut-off, passing the
--               values it read: the row goes only if it still holds them. CleanupDefunctSiloEntriesKey
--               is still required at start-up, and is used only when the per-entry key is missing.
-- The provider of 10.4.2 neither passes nor reads MetadataJson; the nullable column is kept for newer
-- providers, which store silo metadata there, so an upgrade needs new query texts only.

CREATE TABLE IF NOT EXISTS OrleansMembershipVersionTable
(
    DeploymentId varchar(150)   NOT NULL,
    Timestamp    timestamptz(3) NOT NULL DEFAULT now(),
    Version      integer        NOT NULL DEFAULT 0,

    CONSTRAINT PK_OrleansMembershipVersionTable PRIMARY KEY (DeploymentId)
);

CREATE TABLE IF NOT EXISTS OrleansMembershipTable
(
    DeploymentId varchar(150)   NOT NULL,
    Address      varchar(45)    NOT NULL,
    Port         integer        NOT NULL,
    Generation   integer        NOT NULL,
    SiloName     varchar(150)   NOT NULL,
    HostName     varchar(150)   NOT NULL,
    Status       integer        NOT NULL,
    ProxyPort    integer        NOT NULL,
    SuspectTimes text           NULL,
    MetadataJson text           NULL,
    StartTime    timestamptz(3) NOT NULL,
    IAmAliveTime timestamptz(3) NOT NULL,

    CONSTRAINT PK_OrleansMembershipTable PRIMARY KEY (DeploymentId, Address, Port, Generation),
    CONSTRAINT FK_OrleansMembershipTable_Version FOREIGN KEY (DeploymentId)
        REFERENCES OrleansMembershipVersionTable (DeploymentId)
);

-- The two versioned writes change two tables, all or nothing, so they are functions: the version row is
-- claimed first (its row lock also queues concurrent writers, who then find the version moved on), and a
-- failure of the member change afterwards rolls back the inner block, version bump included.
-- Names carry an orleans_support_ prefix so they never meet the functions of Orleans' own scripts.
-- (CREATE OR REPLACE cannot rename parameters or change the return type: such a change needs a new name.)
CREATE OR REPLACE FUNCTION orleans_support_insert_member(
    p_deployment_id   text,
    p_address         text,
    p_port            integer,
    p_generation      integer,
    p_silo_name       text,
    p_host_name       text,
    p_status          integer,
    p_proxy_port      integer,
    p_start_time      timestamptz,
    p_i_am_alive_time timestamptz,
    p_version         integer)
RETURNS integer
LANGUAGE plpgsql
AS $fn$
BEGIN
    BEGIN
        UPDATE OrleansMembershipVersionTable
        SET Version = Version + 1, Timestamp = now()
        WHERE DeploymentId = p_deployment_id
          AND Version = p_version
          AND Version < 2147483647;
        IF NOT FOUND THEN
            RETURN 0;
        END IF;

        -- A silo address (address, port, generation) is inserted once; a second insert is a failure.
        INSERT INTO OrleansMembershipTable
            (DeploymentId, Address, Port, Generation, SiloName, HostName, Status, ProxyPort,
             StartTime, IAmAliveTime)
        VALUES
            (p_deployment_id, p_address, p_port, p_generation, p_silo_name, p_host_name, p_status,
             p_proxy_port, p_start_time, p_i_am_alive_time);
        RETURN 1;
    EXCEPTION
        WHEN unique_violation THEN
            RETURN 0;
    END;
END
$fn$;

CREATE OR REPLACE FUNCTION orleans_support_update_member(
    p_deployment_id   text,
    p_address         text,
    p_port            integer,
    p_generation      integer,
    p_status          integer,
    p_suspect_times   text,
    p_i_am_alive_time timestamptz,
    p_version         integer)
RETURNS integer
LANGUAGE plpgsql
AS $fn$
BEGIN
    BEGIN
        UPDATE OrleansMembershipVersionTable
        SET Version = Version + 1, Timestamp = now()
        WHERE DeploymentId = p_deployment_id
          AND Version = p_version
          AND Version < 2147483647;
        IF NOT FOUND THEN
            RETURN 0;
        END IF;

        -- IAmAliveTime never goes back: an I-am-alive write may have landed after this writer's read.
        UPDATE OrleansMembershipTable
        SET Status       = p_status,
            SuspectTimes = p_suspect_times,
            IAmAliveTime = GREATEST(IAmAliveTime, p_i_am_alive_time)
        WHERE DeploymentId = p_deployment_id
          AND Address = p_address
          AND Port = p_port
          AND Generation = p_generation;
        IF NOT FOUND THEN
            -- No such member: undo the version bump (the handler rolls back this block).
            RAISE EXCEPTION 'no membership row to update' USING ERRCODE = 'no_data_found';
        END IF;
        RETURN 1;
    EXCEPTION
        WHEN no_data_found THEN
            RETURN 0;
    END;
END
$fn$;

-- 1 when this call created the cluster's version row (version 0), 0 when it was there already.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('InsertMembershipVersionKey', $query$
WITH inserted AS (
    INSERT INTO OrleansMembershipVersionTable (DeploymentId)
    VALUES (@DeploymentId)
    ON CONFLICT (DeploymentId) DO NOTHING
    RETURNING 1
)
SELECT count(*)::integer AS Inserted FROM inserted;
$query$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('InsertMembershipKey', $query$
SELECT orleans_support_insert_member(
    @DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName, @Status, @ProxyPort,
    @StartTime, @IAmAliveTime, @Version) AS Inserted;
$query$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('UpdateMembershipKey', $query$
SELECT orleans_support_update_member(
    @DeploymentId, @Address, @Port, @Generation, @Status, @SuspectTimes, @IAmAliveTime,
    @Version) AS Updated;
$query$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('UpdateIAmAlivetimeKey', $query$
UPDATE OrleansMembershipTable
SET IAmAliveTime = GREATEST(IAmAliveTime, @IAmAliveTime)
WHERE DeploymentId = @DeploymentId
  AND Address = @Address
  AND Port = @Port
  AND Generation = @Generation;
$query$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

-- The outer join keeps the version row when the silo has no member row (yet).
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('MembershipReadRowKey', $query$
SELECT v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status,
       m.ProxyPort, m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
FROM OrleansMembershipVersionTable v
LEFT JOIN OrleansMembershipTable m
       ON m.DeploymentId = v.DeploymentId
      AND m.Address = @Address
      AND m.Port = @Port
      AND m.Generation = @Generation
WHERE v.DeploymentId = @DeploymentId;
$query$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('MembershipReadAllKey', $query$
SELECT v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status,
       m.ProxyPort, m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
FROM OrleansMembershipVersionTable v
LEFT JOIN OrleansMembershipTable m
       ON m.DeploymentId = v.DeploymentId
WHERE v.DeploymentId = @DeploymentId;
$query$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('GatewaysQueryKey', $query$
SELECT Address, ProxyPort, Generation
FROM OrleansMembershipTable
WHERE DeploymentId = @DeploymentId
  AND Status = @Status
  AND ProxyPort > 0;
$query$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

-- Members first: they reference the version row.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('DeleteMembershipTableEntriesKey', $query$
DELETE FROM OrleansMembershipTable WHERE DeploymentId = @DeploymentId;
DELETE FROM OrleansMembershipVersionTable WHERE DeploymentId = @DeploymentId;
$query$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

-- Deletes one Dead member, and only while it still holds every value the provider read and judged
-- (status, times, votes): a row that changed since is left for a later pass.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('CleanupDefunctSiloEntryKey', $query$
DELETE FROM OrleansMembershipTable
WHERE DeploymentId = @DeploymentId
  AND Address = @Address
  AND Port = @Port
  AND Generation = @Generation
  AND Status = 6
  AND StartTime = @StartTime
  AND IAmAliveTime = @IAmAliveTime
  AND COALESCE(SuspectTimes, '') = COALESCE(@SuspectTimes, '');
$query$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

-- The bulk form (@IAmAliveTime is the cut-off), run only by a provider without the per-entry key: Dead
-- members that started and last reported before the cut-off. It cannot read the dates inside
-- SuspectTimes, so it ignores the votes; a Dead member never comes back, so all that goes is an old record.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('CleanupDefunctSiloEntriesKey', $query$
DELETE FROM OrleansMembershipTable
WHERE DeploymentId = @DeploymentId
  AND Status = 6
  AND StartTime < @IAmAliveTime
  AND IAmAliveTime < @IAmAliveTime;
$query$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;
