-- 0003_sms.sql: the SMS gateway's own tables: what came in (committed before the modem
-- forgets it), what goes out (the one send queue of every modem), what was sent part by
-- part, conversations in progress, opt-outs, and the per-number abuse counters.
-- Times are UTC seconds. Phone numbers are as the modem gave them (a sender may be
-- alphanumeric); Moroccan mobiles are normalised to +212 form when they parse.

-- Every received message, whole (multipart linked, decoded to UTF-8). The dedupe key is
-- what a kill -9 between commit and delete would bring back from the modem: the same
-- sender, modem timestamp and text. req_uid is chosen at receipt so that a request filed
-- from this message keeps one identity however often processing is retried.
CREATE TABLE sms_inbox (
  id          INTEGER PRIMARY KEY,
  sender      TEXT NOT NULL,
  modem       TEXT NOT NULL,
  sent_at     INTEGER NOT NULL,             -- modem (SMSC) timestamp
  received_at INTEGER NOT NULL,             -- when the gateway read it
  text        TEXT NOT NULL,
  text_hash   TEXT NOT NULL,                -- 64-bit FNV-1a of text, hex
  parts       INTEGER NOT NULL DEFAULT 1,   -- parts read
  parts_total INTEGER NOT NULL DEFAULT 1,   -- parts announced (more: some went missing)
  coding      TEXT NOT NULL DEFAULT 'gsm' CHECK (coding IN ('gsm', 'ucs2', '8bit')),
  req_uid     TEXT NOT NULL,
  state       TEXT NOT NULL DEFAULT 'new' CHECK (state IN ('new', 'done')),
  outcome     TEXT,                         -- what the conversation made of it
  UNIQUE (sender, sent_at, text_hash)
);
CREATE INDEX sms_inbox_new ON sms_inbox(id) WHERE state = 'new';

-- SMS to send, one row per message (encoded into parts when sent). A reply names the
-- inbox row it answers (UNIQUE: one reply per message); a notification names the hub
-- event it tells about (UNIQUE: one SMS per event). next_try_at holds a row back for a
-- retry's backoff or for the night's quiet hours.
CREATE TABLE sms_outbox (
  id          INTEGER PRIMARY KEY,
  dest        TEXT NOT NULL,
  text        TEXT NOT NULL,
  lang        TEXT NOT NULL,
  purpose     TEXT NOT NULL CHECK (purpose IN ('reply', 'notify')),
  inbox_id    INTEGER UNIQUE REFERENCES sms_inbox(id),
  event_uid   TEXT UNIQUE,
  parts       INTEGER NOT NULL DEFAULT 0,   -- known once encoded
  coding      TEXT,                         -- 'gsm' | 'ucs2' once encoded
  state       TEXT NOT NULL DEFAULT 'queued'
              CHECK (state IN ('queued', 'sent', 'failed', 'dropped')),
  attempts    INTEGER NOT NULL DEFAULT 0,
  next_try_at INTEGER NOT NULL DEFAULT 0,
  modem       TEXT,                         -- the modem that sent it (or last tried)
  created_at  INTEGER NOT NULL,
  sent_at     INTEGER,
  error       TEXT
);
CREATE INDEX sms_outbox_due ON sms_outbox(next_try_at, id) WHERE state = 'queued';

-- Each part handed to a modem. The dummy driver keeps nothing it sends, so this is what
-- tests and `bawaba-phone DIR sent` read; on a real modem it is the audit of what left.
CREATE TABLE sms_sent_parts (
  id          INTEGER PRIMARY KEY,
  outbox_id   INTEGER NOT NULL REFERENCES sms_outbox(id),
  part        INTEGER NOT NULL,             -- 1-based
  parts       INTEGER NOT NULL,
  dest        TEXT NOT NULL,
  modem       TEXT NOT NULL,
  coding      TEXT NOT NULL,
  text        TEXT NOT NULL,                -- this part's text, UTF-8
  sent_at     INTEGER NOT NULL,
  UNIQUE (outbox_id, part)
);

-- A conversation waiting for the citizen's next message (a menu choice, the text, a name),
-- per phone number. Gone when finished; expired ones are answered politely and dropped.
CREATE TABLE sms_conversations (
  phone       TEXT PRIMARY KEY,
  step        TEXT NOT NULL,                -- what is asked: 'admin' | 'text' | 'name' | 'idnum'
  kind        INTEGER NOT NULL,
  admin       TEXT NOT NULL DEFAULT '',
  lang        TEXT NOT NULL,
  text        TEXT NOT NULL DEFAULT '',
  name        TEXT NOT NULL DEFAULT '',
  id_number   TEXT NOT NULL DEFAULT '',
  updated_at  INTEGER NOT NULL,
  expires_at  INTEGER NOT NULL
) WITHOUT ROWID;

-- Numbers that sent STOP: no notification, no reply except the one confirming it.
CREATE TABLE sms_optouts (
  phone       TEXT PRIMARY KEY,
  at          INTEGER NOT NULL
) WITHOUT ROWID;

-- Abuse counters per sender: the rate-limit window, unparseable and repeated messages
-- (auto-responder loops), when the sender went quiet and when it last got the help reply.
CREATE TABLE sms_senders (
  phone         TEXT PRIMARY KEY,
  win_start     INTEGER NOT NULL DEFAULT 0,
  win_count     INTEGER NOT NULL DEFAULT 0,
  junk_start    INTEGER NOT NULL DEFAULT 0,
  junk_count    INTEGER NOT NULL DEFAULT 0,
  last_hash     TEXT NOT NULL DEFAULT '',
  repeats       INTEGER NOT NULL DEFAULT 0,
  muted_until   INTEGER NOT NULL DEFAULT 0,
  help_at       INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
