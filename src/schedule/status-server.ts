/**
 * Small HTTP server for `newsclean schedule`: Prometheus /metrics, readiness
 * /healthz and liveness /livez. The caller picks the host (loopback by
 * default); nothing here binds 0.0.0.0 on its own.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

export interface HealthReport {
  status: 'ok' | 'shutting_down' | 'starting';
  [key: string]: unknown;
}

export interface StatusServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export interface StatusServerOptions {
  host: string;
  port: number;
  registry: Registry;
  health: () => HealthReport;
  /** Errors after startup (a failing handler, a server error); ignored by default. */
  onError?: (err: Error) => void;
}

interface Reply {
  status: number;
  contentType: string;
  body: string;
  headers?: Record<string, string>;
}

const ALLOW = 'GET, HEAD';
const TEXT = 'text/plain; charset=utf-8';
const JSON_TYPE = 'application/json; charset=utf-8';

const text = (status: number, body: string, headers?: Record<string, string>): Reply => ({
  status,
  contentType: TEXT,
  body: `${body}\n`,
  headers,
});

/** The reply for a GET/HEAD of `path`; throws when metrics() or health() does. */
async function route(path: string, opts: StatusServerOptions): Promise<Reply> {
  switch (path) {
    case '/metrics':
      return { status: 200, contentType: opts.registry.contentType, body: await opts.registry.metrics() };
    case '/healthz': {
      const report = opts.health();
      return { status: report.status === 'ok' ? 200 : 503, contentType: JSON_TYPE, body: `${JSON.stringify(report)}\n` };
    }
    case '/livez':
      return text(200, 'ok');
    default:
      return text(404, 'not found');
  }
}

/** Path of a request target, without the query string. */
function pathOf(url: string | undefined): string {
  try {
    return new URL(url ?? '/', 'http://localhost').pathname;
  } catch {
    return '';
  }
}

function send(res: ServerResponse, reply: Reply, head: boolean): void {
  res.writeHead(reply.status, {
    'Content-Type': reply.contentType,
    'Content-Length': Buffer.byteLength(reply.body),
    'Cache-Control': 'no-store',
    ...reply.headers,
  });
  res.end(head ? undefined : reply.body);
}

async function handle(req: IncomingMessage, res: ServerResponse, opts: StatusServerOptions): Promise<void> {
  const method = req.method ?? 'GET';
  if (method !== 'GET' && method !== 'HEAD') return send(res, text(405, 'method not allowed', { Allow: ALLOW }), false);
  let reply: Reply;
  try {
    reply = await route(pathOf(req.url), opts);
  } catch (err) {
    opts.onError?.(err instanceof Error ? err : new Error(String(err)));
    reply = text(500, 'internal error');
  }
  send(res, reply, method === 'HEAD');
}

/** host:port as it appears in a URL (IPv6 literals in brackets). */
const hostPort = (host: string, port: number): string => `${host.includes(':') ? `[${host}]` : host}:${port}`;

export function startStatusServer(opts: StatusServerOptions): Promise<StatusServer> {
  const server = createServer((req, res) => {
    handle(req, res, opts).catch((err: unknown) => {
      // Only reachable if writing the reply itself failed (socket gone).
      opts.onError?.(err instanceof Error ? err : new Error(String(err)));
      res.destroy();
    });
  });

  return new Promise((resolve, reject) => {
    const onListenError = (err: Error) => {
      reject(new Error(`status server cannot listen on ${hostPort(opts.host, opts.port)}: ${err.message}`, { cause: err }));
    };
    server.once('error', onListenError);
    server.listen(opts.port, opts.host, () => {
      server.off('error', onListenError);
      // An unhandled 'error' event would kill the scheduler.
      server.on('error', (err) => opts.onError?.(err));
      const { port } = server.address() as AddressInfo;
      let closing: Promise<void> | undefined;
      resolve({
        url: `http://${hostPort(opts.host, port)}`,
        port,
        close: () =>
          (closing ??= new Promise<void>((done, fail) => {
            server.close((err) => (err ? fail(err) : done()));
            // Keep-alive sockets would otherwise hold close() open for seconds.
            server.closeAllConnections();
          })),
      });
    });
  });
}
