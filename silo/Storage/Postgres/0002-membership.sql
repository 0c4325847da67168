-- Cluster membership (Microsoft.Orleans.Clustering.AdoNet). One version row per cluster (deployment id): every change
-- of a member row must increment it, conditionally on the version the silo last read, or fail and return 0.

CREATE TABLE orleans_membership_version
(
    deployment_id text        NOT NULL PRIMARY KEY,
    changed_on    timestamptz NOT NULL DEFAULT now(),
    version       integer     NOT NULL DEFAULT 0
);

CREATE TABLE orleans_membership
(
    deployment_id   text        NOT NULL REFERENCES orleans_membership_version (deployment_id) ON DELETE CASCADE,
    address         text        NOT NULL,
    port            integer     NOT NULL,
    generation      integer     NOT NULL,
    silo_name       text        NOT NULL,
    host_name       text        NOT NULL,
    status          integer     NOT NULL,
    proxy_port      integer     NULL,
    suspect_times   text        NULL,
    start_time      timestamptz NOT NULL,
    i_am_alive_time timestamptz NOT NULL,
    PRIMARY KEY (deployment_id, address, port, generation)
);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES

-- Returns 1 when the cluster's version row was created, 0 when it already existed.
('InsertMembershipVersionKey', $q$
WITH created AS (
    INSERT INTO orleans_membership_version (deployment_id)
    VALUES (@DeploymentId)
    ON CONFLICT (deployment_id) DO NOTHING
    RETURNING 1)
SELECT count(*)::integer FROM created
$q$),

-- Adds a silo and increments the version, both or neither: 0 when the version moved or the silo is already there.
('InsertMembershipKey', $q$
WITH bumped AS (
    UPDATE orleans_membership_version
    SET version = version + 1, changed_on = now()
    WHERE deployment_id = @DeploymentId AND version = @Version
      AND NOT EXISTS (
          SELECT 1 FROM orleans_membership
          WHERE deployment_id = @DeploymentId AND address = @Address AND port = @Port AND generation = @Generation)
    RETURNING deployment_id),
added AS (
    INSERT INTO orleans_membership
        (deployment_id, address, port, generation, silo_name, host_name, status, proxy_port, start_time, i_am_alive_time)
    SELECT deployment_id, @Address, @Port, @Generation, @SiloName, @HostName, @Status, @ProxyPort, @StartTime, @IAmAliveTime
    FROM bumped
    RETURNING 1)
SELECT count(*)::integer FROM added
$q$),

-- Changes a silo's status and suspicions and increments the version, both or neither.
('UpdateMembershipKey', $q$
WITH bumped AS (
    UPDATE orleans_membership_version
    SET version = version + 1, changed_on = now()
    WHERE deployment_id = @DeploymentId AND version = @Version
      AND EXISTS (
          SELECT 1 FROM orleans_membership
          WHERE deployment_id = @DeploymentId AND address = @Address AND port = @Port AND generation = @Generation)
    RETURNING deployment_id),
changed AS (
    UPDATE orleans_membership AS m
    SET status = @Status, suspect_times = @SuspectTimes, i_am_alive_time = @IAmAliveTime
    FROM bumped
    WHERE m.deployment_id = bumped.deployment_id AND m.address = @Address AND m.port = @Port AND m.generation = @Generation
    RETURNING 1)
SELECT count(*)::integer FROM changed
$q$),

-- The heartbeat: not versioned, never expected to fail.
('UpdateIAmAlivetimeKey', $q$
UPDATE orleans_membership
SET i_am_alive_time = @IAmAliveTime
WHERE deployment_id = @DeploymentId AND address = @Address AND port = @Port AND generation = @Generation
$q$),

-- One silo's row (or none) beside the cluster's version; no row at all when the cluster has no version row yet.
('MembershipReadRowKey', $q$
SELECT v.deployment_id AS DeploymentId, m.address AS Address, m.port AS Port, m.generation AS Generation,
       m.silo_name AS SiloName, m.host_name AS HostName, m.status AS Status, m.proxy_port AS ProxyPort,
       m.suspect_times AS SuspectTimes, m.start_time AS StartTime, m.i_am_alive_time AS IAmAliveTime,
       v.version AS Version
FROM orleans_membership_version AS v
LEFT JOIN orleans_membership AS m
       ON m.deployment_id = v.deployment_id AND m.address = @Address AND m.port = @Port AND m.generation = @Generation
WHERE v.deployment_id = @DeploymentId
$q$),

('MembershipReadAllKey', $q$
SELECT v.deployment_id AS DeploymentId, m.address AS Address, m.port AS Port, m.generation AS Generation,
       m.silo_name AS SiloName, m.host_name AS HostName, m.status AS Status, m.proxy_port AS ProxyPort,
       m.suspect_times AS SuspectTimes, m.start_time AS StartTime, m.i_am_alive_time AS IAmAliveTime,
       v.version AS Version
FROM orleans_membership_version AS v
LEFT JOIN orleans_membership AS m ON m.deployment_id = v.deployment_id
WHERE v.deployment_id = @DeploymentId
$q$),

-- The member rows go with the version row (ON DELETE CASCADE).
('DeleteMembershipTableEntriesKey', $q$
DELETE FROM orleans_membership_version WHERE deployment_id = @DeploymentId
$q$),

-- Gateways for clients: silos in the requested status (Active) that accept clients.
('GatewaysQueryKey', $q$
SELECT address AS Address, proxy_port AS ProxyPort, generation AS Generation
FROM orleans_membership
WHERE deployment_id = @DeploymentId AND status = @Status AND proxy_port > 0
$q$),

-- Forgets silos that stopped heartbeating before the given time and are not Active (SiloStatus.Active = 3).
('CleanupDefunctSiloEntriesKey', $q$
DELETE FROM orleans_membership
WHERE deployment_id = @DeploymentId AND i_am_alive_time < @IAmAliveTime AND status <> 3
$q$)

ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;
