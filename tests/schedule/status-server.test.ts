import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import { Gauge, Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { createSchedulerMetrics } from '../../src/schedule/metrics.js';
import { startStatusServer, type HealthReport, type StatusServer } from '../../src/schedule/status-server.js';

const HOST = '127.0.0.1';
const open: StatusServer[] = [];

afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

async function start(
  health: () => HealthReport = () => ({ status: 'ok' }),
  registry: Registry = createSchedulerMetrics({ defaultMetrics: false }).registry,
  onError?: (err: Error) => void,
): Promise<StatusServer> {
  const server = await startStatusServer({ host: HOST, port: 0, registry, health, onError });
  open.push(server);
  return server;
}

interface Got {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One request over node:http (no keep-alive unless an agent says so). */
function get(url: string, method = 'GET', agent?: Agent): Promise<Got> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('startStatusServer', () => {
  it('listens on the real port when asked for port 0', async () => {
    const server = await start();
    expect(server.port).toBeGreaterThan(0);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
  });

  it('serves /metrics in the Prometheus text format', async () => {
    const metrics = createSchedulerMetrics({ defaultMetrics: false });
    metrics.runStarted('alpha');
    const server = await start(undefined, metrics.registry);
    const res = await get(`${server.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(metrics.registry.contentType);
    expect(res.body).toContain('# TYPE newsclean_runs_total counter');
    expect(res.body).toMatch(/^newsclean_run_in_progress\{site="alpha"\} 1$/m);

    // The query string does not matter, and later values show up.
    metrics.runFinished('alpha', {
      status: 'done',
      seconds: 1,
      endedAt: new Date(),
      counts: { articles: 4, rejects: 0, fetched: 4, unchanged: 0 },
      rejectsByCode: {},
      bytes: 10,
    });
    const again = await get(`${server.url}/metrics?x=1`);
    expect(again.status).toBe(200);
    expect(again.body).toMatch(/^newsclean_articles_total\{site="alpha"\} 4$/m);
  });

  it('answers HEAD without a body', async () => {
    const server = await start();
    const res = await get(`${server.url}/metrics`, 'HEAD');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(Number(res.headers['content-length'])).toBeGreaterThan(0);
    expect(res.body).toBe('');
    expect((await get(`${server.url}/healthz`, 'HEAD')).status).toBe(200);
    expect((await get(`${server.url}/livez`, 'HEAD')).status).toBe(200);
  });

  it('reports health as JSON: 200 when ok, 503 otherwise', async () => {
    let report: HealthReport = { status: 'ok', sites: 2 };
    const server = await start(() => report);

    const ok = await get(`${server.url}/healthz`);
    expect(ok.status).toBe(200);
    expect(ok.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(ok.body)).toEqual({ status: 'ok', sites: 2 });

    report = { status: 'shutting_down', running: ['a'] };
    const down = await get(`${server.url}/healthz`);
    expect(down.status).toBe(503);
    expect(JSON.parse(down.body)).toEqual({ status: 'shutting_down', running: ['a'] });

    report = { status: 'starting' };
    expect((await get(`${server.url}/healthz`)).status).toBe(503);
  });

  it('answers /livez with ok even while shutting down', async () => {
    const server = await start(() => ({ status: 'shutting_down' }));
    const res = await get(`${server.url}/livez`);
    expect(res.status).toBe(200);
    expect(res.body.trim()).toBe('ok');
  });

  it('404s unknown paths and 405s other methods with Allow', async () => {
    const server = await start();
    expect((await get(`${server.url}/`)).status).toBe(404);
    expect((await get(`${server.url}/metrics/extra`)).status).toBe(404);
    const post = await get(`${server.url}/metrics`, 'POST');
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
    expect((await get(`${server.url}/healthz`, 'DELETE')).status).toBe(405);
  });

  it('turns failing metrics or health checks into 500 and keeps serving', async () => {
    const registry = new Registry();
    new Gauge({
      name: 'broken',
      help: 'a collect callback that throws',
      registers: [registry],
      collect() {
        throw new Error('collect failed');
      },
    });
    const errors: Error[] = [];
    const server = await start(
      () => {
        throw new Error('health failed');
      },
      registry,
      (err) => errors.push(err),
    );
    expect((await get(`${server.url}/metrics`)).status).toBe(500);
    expect((await get(`${server.url}/healthz`)).status).toBe(500);
    expect((await get(`${server.url}/livez`)).status).toBe(200);
    expect(errors.map((e) => e.message)).toEqual(['collect failed', 'health failed']);
  });

  it('closes quickly with a keep-alive connection and a half-sent request open', async () => {
    const server = await start();
    const agent = new Agent({ keepAlive: true, keepAliveMsecs: 60_000 });
    try {
      const res = await get(`${server.url}/livez`, 'GET', agent);
      expect(res.status).toBe(200);
      expect(res.headers.connection).toBe('keep-alive');

      // An active connection: headers started but never finished.
      const socket = connect(server.port, HOST);
      await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
      socket.write('GET /metrics HTTP/1.1\r\nHost: x\r\n');
      socket.on('error', () => {});
      const socketClosed = new Promise<void>((resolve) => socket.once('close', () => resolve()));

      const t0 = performance.now();
      await open.pop()!.close();
      expect(performance.now() - t0).toBeLessThan(1000);
      await socketClosed;
      await expect(get(`${server.url}/livez`)).rejects.toThrow(/ECONNREFUSED/);
    } finally {
      agent.destroy();
    }
  });

  it('close() can be called twice', async () => {
    const server = await start();
    await server.close();
    await expect(server.close()).resolves.toBeUndefined();
  });

  it('rejects with the host and port when the port is taken', async () => {
    const first = await start();
    const second = startStatusServer({
      host: HOST,
      port: first.port,
      registry: new Registry(),
      health: () => ({ status: 'ok' }),
    });
    await expect(second).rejects.toThrow(`127.0.0.1:${first.port}`);
    await expect(second).rejects.toThrow(/EADDRINUSE/);
    // The first server is untouched.
    expect((await get(`${first.url}/livez`)).status).toBe(200);
  });
});
