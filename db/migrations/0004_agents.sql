-- 0004_agents.sql: reception agents. Each has broker credentials of their own (user
-- agent-<name>) and a scope: the requests of their site, and of one administration when
-- admin is set. The hub checks the scope on every command; the broker ACL keeps each
-- agent to their own topics.
CREATE TABLE agents (
  id         TEXT PRIMARY KEY CHECK (id GLOB 'agent-*'),  -- = broker user name
  name       TEXT NOT NULL,                 -- shown in timelines: "agent:<name>"
  site       TEXT NOT NULL,                 -- reception site code
  admin      TEXT NOT NULL DEFAULT '',      -- '' = every administration of the site
  active     INTEGER NOT NULL DEFAULT 1,    -- 0 = disabled: every command refused
  created_at INTEGER NOT NULL
) WITHOUT ROWID;
