-- 0002_sync.sql: sync between devices and the hub: the hub's device registry with the
-- latest presence, a device's outbox, the notification log both sides keep, and a small
-- key/value table for cursors. Times are UTC seconds.

-- At the hub: every kiosk and gateway allowed to send requests. num is the device number
-- that prefixes the references it makes (bw_ref.h), unique, given at enrolment.
CREATE TABLE devices (
  id            TEXT PRIMARY KEY,            -- broker user name = device id
  kind          TEXT NOT NULL,               -- 'kiosk' | 'gateway'
  site          TEXT NOT NULL DEFAULT '',
  num           INTEGER NOT NULL UNIQUE CHECK (num BETWEEN 1 AND 9999),
  registered_at INTEGER NOT NULL,
  last_seen     INTEGER,                     -- last heartbeat or message, NULL = never
  online        INTEGER NOT NULL DEFAULT 0,
  outbox_depth  INTEGER NOT NULL DEFAULT 0,  -- rows the device has not had acknowledged
  signal        INTEGER,                     -- gateway: modem signal in percent
  send_queue    INTEGER,                     -- gateway: SMS waiting to be sent
  notify_cursor INTEGER NOT NULL DEFAULT 0,  -- highest hub event id the device applied
  dropped       INTEGER NOT NULL DEFAULT 0   -- messages from it the hub dropped
) WITHOUT ROWID;

-- On a device: what must reach the hub, oldest first. A row is done only when the hub
-- acknowledged it after its own commit (acked_at set, status stored/duplicate/rejected).
CREATE TABLE outbox (
  seq         INTEGER PRIMARY KEY AUTOINCREMENT,
  type        TEXT NOT NULL CHECK (type IN ('req', 'evt')),
  uid         TEXT NOT NULL UNIQUE,
  payload     TEXT NOT NULL,                 -- wire JSON, sent as is
  created_at  INTEGER NOT NULL,
  attempts    INTEGER NOT NULL DEFAULT 0,
  next_try_at INTEGER NOT NULL DEFAULT 0,    -- informative: retries are timed in memory
  acked_at    INTEGER,
  status      TEXT,                          -- hub's answer: stored, duplicate, rejected
  error       TEXT                           -- last failure or the hub's reason
);
CREATE INDEX outbox_pending ON outbox(seq) WHERE acked_at IS NULL;

-- Status changes on their way to devices, one row per event that concerns a device's
-- request. prev is the id of the previous such row for the same device (0 if none), so a
-- device can tell it has every notification up to a point (its cursor) with no gap.
-- The hub fills it as it sees new events; a device fills it as notifications arrive.
CREATE TABLE notify_log (
  event_id    INTEGER PRIMARY KEY,           -- the hub's events.id
  device      TEXT NOT NULL,
  prev        INTEGER NOT NULL,
  request_uid TEXT NOT NULL
);
CREATE INDEX notify_log_device ON notify_log(device, event_id);
CREATE INDEX notify_log_request ON notify_log(request_uid, event_id);

-- Cursors and counters kept across restarts ('hub.event_cursor', 'sync.notify_cursor').
CREATE TABLE sync_state (
  key   TEXT PRIMARY KEY,
  value INTEGER NOT NULL
) WITHOUT ROWID;

CREATE INDEX requests_device ON requests(device, id);
