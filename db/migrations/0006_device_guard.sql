-- 0006_device_guard.sql: what the hub keeps to contain a device that misbehaves (issue
-- 11): its clock as its heartbeats show it, how often the hub replaced a time it stated
-- or dropped its messages for going over its budget, and the wrong receipt codes tried
-- through it, kept in the database so the guessing limit survives a restart of the hub
-- and counts over a sliding window, not a clock hour.

-- device clock minus hub clock, seconds, at its last live heartbeat (NULL: not measured)
ALTER TABLE devices ADD COLUMN clock_skew INTEGER;
-- when (hub time, UTC seconds) clock_skew was measured
ALTER TABLE devices ADD COLUMN clock_at INTEGER;
-- times the hub stamped a request or event of this device with its own time instead
ALTER TABLE devices ADD COLUMN clock_stamped INTEGER NOT NULL DEFAULT 0;
-- messages dropped (unread) because the device went over its budget (also in dropped)
ALTER TABLE devices ADD COLUMN throttled INTEGER NOT NULL DEFAULT 0;

-- One row per wrong receipt code: through which device, for which reference, when (hub
-- time). Rows older than the longest window are deleted as new ones come.
CREATE TABLE code_tries (
  id     INTEGER PRIMARY KEY,
  at     INTEGER NOT NULL,
  device TEXT NOT NULL,
  ref    TEXT NOT NULL
);
CREATE INDEX code_tries_device ON code_tries(device, at);
CREATE INDEX code_tries_ref ON code_tries(ref, at);
CREATE INDEX code_tries_at ON code_tries(at);
