-- Reminders (Microsoft.Orleans.Reminders.AdoNet). grain_hash is the grain's uniform hash as the provider passes it
-- (a uint cast to integer); the provider picks the range query by comparing the same signed values, so signed
-- comparisons here select the right arc of the ring.

CREATE TABLE orleans_reminders
(
    service_id    text        NOT NULL,
    grain_id      text        NOT NULL,
    reminder_name text        NOT NULL,
    start_time    timestamptz NOT NULL,
    period        bigint      NOT NULL,
    grain_hash    integer     NOT NULL,
    version       integer     NOT NULL,
    PRIMARY KEY (service_id, grain_id, reminder_name)
);

CREATE INDEX orleans_reminders_by_hash ON orleans_reminders (service_id, grain_hash);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES

-- Returns the row's new version, the reminder's ETag.
('UpsertReminderRowKey', $q$
INSERT INTO orleans_reminders (service_id, grain_id, reminder_name, start_time, period, grain_hash, version)
VALUES (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 0)
ON CONFLICT (service_id, grain_id, reminder_name) DO UPDATE
SET start_time = EXCLUDED.start_time, period = EXCLUDED.period, grain_hash = EXCLUDED.grain_hash,
    version = orleans_reminders.version + 1
RETURNING version AS Version
$q$),

('ReadReminderRowsKey', $q$
SELECT grain_id AS GrainId, reminder_name AS ReminderName, start_time AS StartTime, period AS Period, version AS Version
FROM orleans_reminders
WHERE service_id = @ServiceId AND grain_id = @GrainId
$q$),

('ReadReminderRowKey', $q$
SELECT grain_id AS GrainId, reminder_name AS ReminderName, start_time AS StartTime, period AS Period, version AS Version
FROM orleans_reminders
WHERE service_id = @ServiceId AND grain_id = @GrainId AND reminder_name = @ReminderName
$q$),

-- The arc (BeginHash, EndHash] when it does not wrap around.
('ReadRangeRows1Key', $q$
SELECT grain_id AS GrainId, reminder_name AS ReminderName, start_time AS StartTime, period AS Period, version AS Version
FROM orleans_reminders
WHERE service_id = @ServiceId AND grain_hash > @BeginHash AND grain_hash <= @EndHash
$q$),

-- The arc (BeginHash, EndHash] when it wraps around (and the whole ring when they are equal).
('ReadRangeRows2Key', $q$
SELECT grain_id AS GrainId, reminder_name AS ReminderName, start_time AS StartTime, period AS Period, version AS Version
FROM orleans_reminders
WHERE service_id = @ServiceId AND (grain_hash > @BeginHash OR grain_hash <= @EndHash)
$q$),

-- Returns 1 when the reminder at that version was removed, 0 when it was changed or is gone.
('DeleteReminderRowKey', $q$
WITH removed AS (
    DELETE FROM orleans_reminders
    WHERE service_id = @ServiceId AND grain_id = @GrainId AND reminder_name = @ReminderName AND version = @Version
    RETURNING 1)
SELECT count(*)::integer FROM removed
$q$),

('DeleteReminderRowsKey', $q$
DELETE FROM orleans_reminders WHERE service_id = @ServiceId
$q$)

ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;
