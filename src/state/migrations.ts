/**
 * The state store's schema, as numbered migrations. PRAGMA user_version holds
 * the number applied; opening a store applies the missing ones in order, all
 * in one exclusive transaction (src/state/store.ts). Never edit a released
 * migration: add the next one.
 */
export const MIGRATIONS: readonly string[] = [
  // 1: URLs, exact-duplicate index, near-duplicate clusters, runs and their frontier.
  `
  CREATE TABLE urls (
    url_key         TEXT PRIMARY KEY,  -- canonical URL (fragment, tracking parameters, default port removed)
    url             TEXT NOT NULL,     -- as last seen
    site            TEXT,
    status          TEXT NOT NULL,     -- exported | rejected | failed | gave_up
    attempts        INTEGER NOT NULL DEFAULT 0,  -- HTTP requests, all runs
    failed_runs     INTEGER NOT NULL DEFAULT 0,  -- runs in a row that ended in a transient failure
    next_retry_at   INTEGER,           -- ms since epoch; failed URLs wait until then
    last_code       TEXT,              -- reject code of the last failure
    last_fetched_at INTEGER,
    etag            TEXT,
    last_modified   TEXT,
    content_hash    TEXT,              -- of the last exported version
    article_id      TEXT,
    version         INTEGER NOT NULL DEFAULT 0,
    exported_run    TEXT,              -- run that exported the last version
    first_seen_at   INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX urls_by_site ON urls (site, last_fetched_at);
  CREATE INDEX urls_by_status ON urls (status, next_retry_at);

  CREATE TABLE contents (
    content_hash TEXT PRIMARY KEY,     -- the first article published with this exact text
    article_id   TEXT NOT NULL,
    url_key      TEXT NOT NULL
  ) WITHOUT ROWID;

  CREATE TABLE clusters (
    article_id TEXT PRIMARY KEY,
    cluster_id TEXT NOT NULL,
    signature  BLOB NOT NULL,
    added_at   INTEGER NOT NULL
  ) WITHOUT ROWID;

  CREATE TABLE runs (
    run_id        TEXT PRIMARY KEY,
    command       TEXT NOT NULL,
    plan_hash     TEXT NOT NULL,       -- what the run was asked to do; a resumed run must match
    status        TEXT NOT NULL,       -- running | done | interrupted
    started_at    INTEGER NOT NULL,
    ended_at      INTEGER,
    records_path  TEXT,
    rejects_path  TEXT,
    manifest_path TEXT,
    summary       TEXT                 -- JSON counts, written at the end
  ) WITHOUT ROWID;

  CREATE TABLE frontier (
    run_id  TEXT NOT NULL,
    url_key TEXT NOT NULL,
    url     TEXT NOT NULL,
    depth   INTEGER NOT NULL,
    site    TEXT,
    done    INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (run_id, url_key)
  );                                   -- a rowid table: pending items come back in discovery order
  `,
  // 2: the process that owns a running run, so a second process does not take it up while it lives.
  `
  ALTER TABLE runs ADD COLUMN owner_pid INTEGER;
  ALTER TABLE runs ADD COLUMN owner_host TEXT;
  `,
  // 3: the owner's last sign of life (ms since epoch). A pid means nothing on another host
  // (another container sharing the store): there a run counts as alive while this is recent.
  `
  ALTER TABLE runs ADD COLUMN heartbeat_at INTEGER;
  `,
  // 4: the owner's identity beyond its pid (src/state/liveness.ts): its start time in clock ticks
  // since boot and the boot id, so a reused pid or a zombie is not taken for the owner; and why a
  // run ended 'failed' (a run status from now on: failed runs are never resumed).
  `
  ALTER TABLE runs ADD COLUMN owner_started INTEGER;
  ALTER TABLE runs ADD COLUMN owner_boot TEXT;
  ALTER TABLE runs ADD COLUMN failure_reason TEXT;
  `,
  // 5: per-site locks (src/state/site-locks.ts): two overlapping crawls of one site with different plans.
  `
  CREATE TABLE site_locks (
    site          TEXT PRIMARY KEY,
    run_id        TEXT NOT NULL,
    owner_pid     INTEGER NOT NULL,
    owner_host    TEXT NOT NULL,
    owner_started INTEGER,
    owner_boot    TEXT,
    heartbeat_at  INTEGER NOT NULL,
    acquired_at   INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX site_locks_by_run ON site_locks (run_id);
  `,
  // 6: clusters are read by added_at (the near-duplicate window) and pruned by it.
  `
  CREATE INDEX clusters_by_added_at ON clusters (added_at);
  `,
  // 7: URLs by article id: a second URL of a page (an /amp/ copy, an alias naming the same
  // rel=canonical) must not export the id another URL already exported (run/ledger.ts).
  `
  CREATE INDEX urls_by_article ON urls (article_id) WHERE article_id IS NOT NULL;
  `,
];
