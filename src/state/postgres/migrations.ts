/**
 * The state store's schema in PostgreSQL: the same tables and the same
 * numbered migrations as ../migrations.ts (SQLite), one for one, in
 * PostgreSQL's types: times in ms since epoch are BIGINT, signatures BYTEA.
 * The number applied is kept in `newsclean_schema`; never edit a released
 * migration: add the next one here and in ../migrations.ts.
 */
export const PG_MIGRATIONS: readonly string[] = [
  // 1: URLs, exact-duplicate index, near-duplicate clusters, runs and their frontier.
  `
  CREATE TABLE urls (
    url_key         TEXT PRIMARY KEY,
    url             TEXT NOT NULL,
    site            TEXT,
    status          TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    failed_runs     INTEGER NOT NULL DEFAULT 0,
    next_retry_at   BIGINT,
    last_code       TEXT,
    last_fetched_at BIGINT,
    etag            TEXT,
    last_modified   TEXT,
    content_hash    TEXT,
    article_id      TEXT,
    version         INTEGER NOT NULL DEFAULT 0,
    exported_run    TEXT,
    first_seen_at   BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
  );
  CREATE INDEX urls_by_site ON urls (site, last_fetched_at);
  CREATE INDEX urls_by_status ON urls (status, next_retry_at);

  CREATE TABLE contents (
    content_hash TEXT PRIMARY KEY,
    article_id   TEXT NOT NULL,
    url_key      TEXT NOT NULL
  );

  CREATE TABLE clusters (
    article_id TEXT PRIMARY KEY,
    cluster_id TEXT NOT NULL,
    signature  BYTEA NOT NULL,
    added_at   BIGINT NOT NULL
  );

  CREATE TABLE runs (
    run_id        TEXT PRIMARY KEY,
    command       TEXT NOT NULL,
    plan_hash     TEXT NOT NULL,
    status        TEXT NOT NULL,
    started_at    BIGINT NOT NULL,
    ended_at      BIGINT,
    records_path  TEXT,
    rejects_path  TEXT,
    manifest_path TEXT,
    summary       TEXT
  );

  CREATE TABLE frontier (
    run_id  TEXT NOT NULL,
    url_key TEXT NOT NULL,
    url     TEXT NOT NULL,
    depth   INTEGER NOT NULL,
    site    TEXT,
    done    INTEGER NOT NULL DEFAULT 0,
    rowid   BIGSERIAL,                 -- insertion order, as SQLite's implicit rowid gives it (pending items in discovery order)
    PRIMARY KEY (run_id, url_key)
  );
  `,
  // 2: the process that owns a running run.
  `
  ALTER TABLE runs ADD COLUMN owner_pid INTEGER;
  ALTER TABLE runs ADD COLUMN owner_host TEXT;
  `,
  // 3: the owner's last sign of life (ms since epoch).
  `
  ALTER TABLE runs ADD COLUMN heartbeat_at BIGINT;
  `,
  // 4: the owner's start time and boot id; why a run failed.
  `
  ALTER TABLE runs ADD COLUMN owner_started BIGINT;
  ALTER TABLE runs ADD COLUMN owner_boot TEXT;
  ALTER TABLE runs ADD COLUMN failure_reason TEXT;
  `,
  // 5: per-site locks.
  `
  CREATE TABLE site_locks (
    site          TEXT PRIMARY KEY,
    run_id        TEXT NOT NULL,
    owner_pid     INTEGER NOT NULL,
    owner_host    TEXT NOT NULL,
    owner_started BIGINT,
    owner_boot    TEXT,
    heartbeat_at  BIGINT NOT NULL,
    acquired_at   BIGINT NOT NULL
  );
  CREATE INDEX site_locks_by_run ON site_locks (run_id);
  `,
  // 6: clusters are read and pruned by added_at.
  `
  CREATE INDEX clusters_by_added_at ON clusters (added_at);
  `,
  // 7: URLs by article id.
  `
  CREATE INDEX urls_by_article ON urls (article_id) WHERE article_id IS NOT NULL;
  `,
];
