-- Grain state (Microsoft.Orleans.Persistence.AdoNet). A row per grain state, keyed by the service, the grain type and
-- the grain id in the provider's parts (N0, N1 and the string extension); "version" is the ETag. A missing string
-- extension is stored as '' so the key can be a primary key on any PostgreSQL version.
-- The provider also passes @GrainIdHash and @GrainTypeHash; the primary key makes them unnecessary here.

CREATE TABLE orleans_storage
(
    service_id         text        NOT NULL,
    grain_type         text        NOT NULL,
    grain_id_n0        bigint      NOT NULL,
    grain_id_n1        bigint      NOT NULL,
    grain_id_extension text        NOT NULL,
    payload            bytea       NULL,
    version            integer     NOT NULL,
    modified_on        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (service_id, grain_type, grain_id_n0, grain_id_n1, grain_id_extension)
);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES

('ReadFromStorageKey', $q$
SELECT payload AS PayloadBinary, version AS Version
FROM orleans_storage
WHERE service_id = @ServiceId AND grain_type = @GrainTypeString
  AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
  AND grain_id_extension = coalesce(@GrainIdExtensionString, '')
$q$),

-- Always one row: the new version, or NULL when the caller's version is not the stored one (the provider then throws
-- InconsistentStateException). No version means "never read a row": only an insert may succeed, and only once.
('WriteToStorageKey', $q$
WITH replaced AS (
    UPDATE orleans_storage
    SET payload = @PayloadBinary, version = version + 1, modified_on = now()
    WHERE @GrainStateVersion IS NOT NULL
      AND service_id = @ServiceId AND grain_type = @GrainTypeString
      AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
      AND grain_id_extension = coalesce(@GrainIdExtensionString, '')
      AND version = @GrainStateVersion
    RETURNING version),
created AS (
    INSERT INTO orleans_storage (service_id, grain_type, grain_id_n0, grain_id_n1, grain_id_extension, payload, version)
    SELECT @ServiceId, @GrainTypeString, @GrainIdN0, @GrainIdN1, coalesce(@GrainIdExtensionString, ''), @PayloadBinary, 1
    WHERE @GrainStateVersion IS NULL
    ON CONFLICT DO NOTHING
    RETURNING version)
SELECT (SELECT version FROM replaced UNION ALL SELECT version FROM created LIMIT 1) AS NewGrainStateVersion
$q$),

-- Clear keeps the row with no payload and the next version, so the ETag sequence never restarts.
('ClearStorageKey', $q$
UPDATE orleans_storage
SET payload = NULL, version = version + 1, modified_on = now()
WHERE service_id = @ServiceId AND grain_type = @GrainTypeString
  AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
  AND grain_id_extension = coalesce(@GrainIdExtensionString, '')
  AND version = @GrainStateVersion
RETURNING version AS NewGrainStateVersion
$q$),

-- Used instead of ClearStorageKey when the provider's DeleteStateOnClear is set; returns a version different from
-- the caller's so that the provider sees success.
('DeleteStorageKey', $q$
DELETE FROM orleans_storage
WHERE service_id = @ServiceId AND grain_type = @GrainTypeString
  AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
  AND grain_id_extension = coalesce(@GrainIdExtensionString, '')
  AND version = @GrainStateVersion
RETURNING version + 1 AS NewGrainStateVersion
$q$)

ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;
