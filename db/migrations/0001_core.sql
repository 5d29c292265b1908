-- 0001_core.sql: catalogue, holidays, requests and their append-only events.
-- Dates are civil dates 'YYYY-MM-DD'; times are UTC seconds. Codes are stable ASCII ids.

CREATE TABLE administrations (
  code      TEXT PRIMARY KEY,
  name_ar   TEXT NOT NULL,
  name_fr   TEXT NOT NULL,
  name_zgh  TEXT NOT NULL,
  officer   TEXT NOT NULL DEFAULT ''   -- information officer, law 31.13 art. 13
) WITHOUT ROWID;

CREATE TABLE categories (
  code      TEXT PRIMARY KEY,
  admin     TEXT NOT NULL DEFAULT '',  -- '' = every administration
  kinds     INTEGER NOT NULL,          -- bit (1 << kind) per kind it applies to
  name_ar   TEXT NOT NULL,
  name_fr   TEXT NOT NULL,
  name_zgh  TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE sites (
  code      TEXT PRIMARY KEY,
  admin     TEXT NOT NULL REFERENCES administrations(code),
  city      TEXT NOT NULL,
  name_ar   TEXT NOT NULL,
  name_fr   TEXT NOT NULL,
  name_zgh  TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE holidays (
  day       TEXT PRIMARY KEY CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  name_ar   TEXT NOT NULL,
  name_fr   TEXT NOT NULL,
  islamic   INTEGER NOT NULL DEFAULT 0,
  confirmed INTEGER NOT NULL DEFAULT 1
) WITHOUT ROWID;

-- The next reference sequence of each device number (reference = device, sequence, check).
CREATE TABLE ref_counters (
  device_num INTEGER PRIMARY KEY,
  last_seq   INTEGER NOT NULL
);

CREATE TABLE requests (
  id          INTEGER PRIMARY KEY,       -- local order only; uid is the identity
  uid         TEXT NOT NULL UNIQUE,
  ref         TEXT NOT NULL UNIQUE,
  kind        INTEGER NOT NULL,
  channel     INTEGER NOT NULL,
  admin       TEXT NOT NULL,
  category    TEXT NOT NULL DEFAULT '',
  site        TEXT NOT NULL DEFAULT '',
  device      TEXT NOT NULL DEFAULT '',
  lang        TEXT NOT NULL DEFAULT 'ar',
  text        TEXT NOT NULL,
  phone       TEXT NOT NULL DEFAULT '',
  consent     INTEGER NOT NULL DEFAULT 0,
  name        TEXT NOT NULL DEFAULT '',
  id_number   TEXT NOT NULL DEFAULT '',
  address     TEXT NOT NULL DEFAULT '',
  contact     TEXT NOT NULL DEFAULT '',
  form        INTEGER NOT NULL DEFAULT 0,
  urgent      INTEGER NOT NULL DEFAULT 0,
  received_at INTEGER NOT NULL,
  received_on TEXT NOT NULL,
  state       INTEGER NOT NULL DEFAULT 0,
  deadline    TEXT NOT NULL,             -- derived: rule counted from deadline_from
  deadline_rule TEXT NOT NULL,           -- bw_calendar rule the clock runs on
  deadline_from TEXT NOT NULL,           -- day the clock started (receipt, reopen, appeal)
  extended    INTEGER NOT NULL DEFAULT 0,
  reopened    INTEGER NOT NULL DEFAULT 0,  -- times reopened (indicator)
  answered_on TEXT,                         -- first answer or reasoned refusal
  answered_in_time INTEGER                  -- that first answer was on or before the deadline
);
CREATE INDEX requests_queue ON requests(state, deadline);
CREATE INDEX requests_admin ON requests(admin, state);
CREATE INDEX requests_site ON requests(site, state);
CREATE INDEX requests_received ON requests(received_on);

-- Append-only: every change of a request is a row here; nothing is updated in place
-- without one (the trigger below refuses edits and deletes).
CREATE TABLE events (
  id          INTEGER PRIMARY KEY,
  uid         TEXT NOT NULL UNIQUE,
  request_uid TEXT NOT NULL REFERENCES requests(uid),
  at          INTEGER NOT NULL,
  actor       TEXT NOT NULL,
  old_state   INTEGER NOT NULL,           -- -1 for the first event
  new_state   INTEGER NOT NULL,
  note        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX events_request ON events(request_uid, id);

CREATE TRIGGER events_append_only_u BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER events_append_only_d BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
