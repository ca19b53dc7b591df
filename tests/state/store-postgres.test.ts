/**
 * The PostgreSQL store (src/state/postgres/) keeps the same StateStore
 * contract as the SQLite store, on a real server started from Debian's
 * packages (tests/helpers/postgres-server.ts); and what only a server store
 * has: migrations applied once when several processes open it at once, a
 * server that is down is STATE_UNAVAILABLE naming the URL without its
 * password, and a restarted server is reconnected to.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { NewscleanError } from '../../src/shared/errors.js';
import { translate } from '../../src/state/postgres/connection.js';
import { redactUrl } from '../../src/state/postgres/location.js';
import { PG_MIGRATIONS } from '../../src/state/postgres/migrations.js';
import { type PostgresStateStore, openPostgresState } from '../../src/state/postgres/store.js';
import { MIGRATIONS } from '../../src/state/migrations.js';
import type { StateStore } from '../../src/state/state-store.js';
import { type PostgresServer, postgresMissing, startPostgres } from '../helpers/postgres-server.js';
import { describeStateStoreContract } from './state-store-contract.js';

let server: PostgresServer;
let opened: StateStore[] = [];
const open = (url = server.newDatabase()): PostgresStateStore => {
  const s = openPostgresState(url);
  opened.push(s);
  return s;
};

describe.skipIf(postgresMissing !== null)(`PostgreSQL store${postgresMissing ? ` (skipped: ${postgresMissing})` : ''}`, () => {
  beforeAll(async () => {
    server = await startPostgres();
  }, 60_000);
  afterEach(() => {
    for (const s of opened) if (s.isOpen()) s.close();
    opened = [];
  });
  afterAll(() => server?.stop());

  describeStateStoreContract('PostgreSQL', () => open());

  it('has as many numbered migrations as the SQLite store, and opening applies them all', () => {
    expect(PG_MIGRATIONS.length).toBe(MIGRATIONS.length);
    expect(open().schemaVersion).toBe(MIGRATIONS.length);
  });

  it('a second open of the same database finds the tables migrated and the rows there', () => {
    const url = server.newDatabase();
    const a = open(url);
    a.addContent('h', 'id1', 'k1');
    const b = open(url);
    expect(b.schemaVersion).toBe(MIGRATIONS.length);
    expect(b.firstWithContent('h')).toEqual({ article_id: 'id1', url_key: 'k1' });
  });

  it('state commands that only look refuse a database without newsclean tables', () => {
    expect(() => openPostgresState(server.newDatabase(), { mustExist: true })).toThrow(/holds no newsclean state/);
  });

  it('a server that does not answer: STATE_UNAVAILABLE naming the URL with the password masked', () => {
    const url = `postgres://newsclean:${server.password}@127.0.0.1:1/nowhere`;
    let err: unknown;
    try {
      openPostgresState(url, { connectTimeoutMs: 2000 });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(NewscleanError);
    expect((err as NewscleanError).code).toBe('STATE_UNAVAILABLE');
    expect((err as Error).message).toContain('postgres://newsclean:***@127.0.0.1:1/nowhere');
    expect((err as Error).message).not.toContain(server.password);
  });

  it('a wrong password is STATE_UNAVAILABLE (authentication), not a crash', () => {
    const url = server.newDatabase().replace(server.password, 'wrong');
    expect(() => openPostgresState(url)).toThrow(/authentication failed/);
  });

  it('SQL errors are bugs, not faults of the store: they stay plain errors', () => {
    const s = open();
    expect(() => s.admin.db.prepare('SELEKT 1').get()).toThrow(expect.not.objectContaining({ code: 'STATE_UNAVAILABLE' }));
  });

  it("a transaction's writes travel together: a bad one (sent at COMMIT) undoes the others; a read inside sees the writes before it", () => {
    const s = open();
    const db = s.admin.db;
    expect(() =>
      s.transaction(() => {
        s.addContent('h1', 'id1', 'k1');
        db.prepare('INSERT INTO no_such_table VALUES (1)').run();
      }),
    ).toThrow(/no_such_table/);
    expect(s.firstWithContent('h1')).toBeUndefined();
    const seen = s.transaction(() => {
      s.addContent('h2', 'id2', 'k2');
      return s.firstWithContent('h2');
    });
    expect(seen).toEqual({ article_id: 'id2', url_key: 'k2' });
    expect(s.failRun('no-such-run', 1, 'x')).toBe(false); // a row count read inside a transaction (failRun) is the real one
  });

  it('the server restarted between two calls: the next call reconnects', () => {
    const s = open();
    s.addContent('h', 'id1', 'k1');
    server.restart();
    let got: unknown;
    for (let i = 0; i < 5 && got === undefined; i++) {
      try {
        got = s.firstWithContent('h'); // the pool's idle connection died with the server: the first try may fail
      } catch (err) {
        expect((err as NewscleanError).code).toBe('STATE_UNAVAILABLE');
      }
    }
    expect(got).toEqual({ article_id: 'id1', url_key: 'k1' });
  });
});

describe('PostgreSQL helpers', () => {
  it('placeholders: ? in order, @name once per name, quoted text untouched', () => {
    expect(translate("SELECT * FROM t WHERE a = ? AND b = 'x?@y' AND c = ?")).toEqual({ text: "SELECT * FROM t WHERE a = $1 AND b = 'x?@y' AND c = $2", names: null });
    expect(translate('INSERT INTO t VALUES (@at, @key, @at)')).toEqual({ text: 'INSERT INTO t VALUES ($1, $2, $1)', names: ['at', 'key'] });
  });

  it('a URL is shown with its password masked', () => {
    expect(redactUrl('postgres://u:secret@db:5432/news')).toBe('postgres://u:***@db:5432/news');
    expect(redactUrl('postgres://u@db/news')).toBe('postgres://u@db/news');
    expect(redactUrl('postgres://u:p@ss@db/news')).not.toContain('p@ss');
  });
});
