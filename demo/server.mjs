// A tiny static server for the bundled demo news site (demo/site/), so the
// crawler can be run end to end with no network. Node built-ins only.
//
//   import { startDemoServer } from './demo/server.mjs';
//   const { origin, close } = await startDemoServer();   // http://127.0.0.1:<random port>
//
// Standalone: `node demo/server.mjs [--port N] [--host H]` prints the origin and keeps serving.
//
// - Content-Type by extension; `*.legacy.html` is sent as bare `text/html`
//   (no charset), the way old Arabic sites still serve windows-1256 pages;
//   extensionless files (a CMS download URL) are typed by their first bytes.
// - `{{origin}}` in .html/.xml/.txt files is replaced with the origin the
//   client used (robots.txt, feeds and sitemaps need absolute URLs, and the port
//   is random). The replacement works on bytes, so legacy encodings survive.
// - gzip when the client accepts it; HEAD; 404 (with a small HTML page) otherwise.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const DEFAULT_ROOT = fileURLToPath(new URL('./site/', import.meta.url));

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.xml': 'application/xml',
  '.txt': 'text/plain',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.pdf': 'application/pdf',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
};
const TEMPLATED = new Set(['.html', '.htm', '.xml', '.txt']);
const COMPRESSIBLE = /^(text\/|application\/(xml|json)|image\/svg)/;

/** Extensionless files (CMS download URLs such as /attachments/report) are typed by their first bytes. */
function sniff(bytes) {
  const head = bytes.subarray(0, 8).toString('latin1');
  if (head.startsWith('%PDF-')) return 'application/pdf';
  if (head.startsWith('\x89PNG')) return 'image/png';
  if (/^\s*</.test(head)) return 'text/html; charset=utf-8';
  return 'application/octet-stream';
}

function contentType(file, bytes) {
  if (/\.legacy\.html?$/i.test(file)) return 'text/html';
  const ext = path.extname(file).toLowerCase();
  if (ext === '') return sniff(bytes);
  return TYPES[ext] ?? 'application/octet-stream';
}

const NOT_FOUND = Buffer.from(`<!DOCTYPE html>
<html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>الصفحة غير موجودة - صدى الواحة</title></head>
<body><h1>404 - الصفحة غير موجودة</h1><p>عذراً، الصفحة التي تبحث عنها غير موجودة أو ربما نُقلت.</p><p><a href="/">العودة إلى الصفحة الرئيسية</a></p></body></html>
`);

/** The file under root for a URL path, or null (outside root, hidden, or not a file). */
async function resolveFile(root, pathname) {
  let rel;
  try {
    rel = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (rel.includes('\0')) return null;
  if (rel.endsWith('/')) rel += 'index.html';
  const file = path.resolve(root, '.' + path.posix.normalize('/' + rel));
  if (file !== root && !file.startsWith(root.endsWith(path.sep) ? root : root + path.sep)) return null;
  if (path.relative(root, file).split(path.sep).some((part) => part.startsWith('.'))) return null;
  try {
    const st = await stat(file);
    if (st.isFile()) return file;
    if (st.isDirectory()) {
      const index = path.join(file, 'index.html');
      if ((await stat(index).catch(() => null))?.isFile()) return index;
    }
  } catch {
    /* missing */
  }
  return null;
}

/** Replace {{origin}} byte-wise: latin1 maps bytes 1:1, so UTF-8 and windows-1256 bytes pass through untouched. */
function template(bytes, origin) {
  const s = bytes.toString('latin1');
  return s.includes('{{origin}}') ? Buffer.from(s.replaceAll('{{origin}}', origin), 'latin1') : bytes;
}

/**
 * Serve `root` on host:port (port 0 = a free port).
 * @returns {Promise<{ origin: string, server: import('node:http').Server, close: () => Promise<void> }>}
 */
export async function startDemoServer({ root = DEFAULT_ROOT, port = 0, host = '127.0.0.1' } = {}) {
  const base = path.resolve(root);
  let origin = '';

  const server = createServer(async (req, res) => {
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain' }).end('method not allowed\n');
        return;
      }
      const url = new URL(req.url ?? '/', origin);
      const file = await resolveFile(base, url.pathname);
      let status = 200;
      let type;
      let body;
      if (file) {
        body = await readFile(file);
        type = contentType(file, body);
        const ext = path.extname(file).toLowerCase();
        // The origin the client asked for (Host), so links match the host it crawls.
        const host = req.headers.host && /^[A-Za-z0-9.\-]+(:\d+)?$|^\[[0-9A-Fa-f:.]+\](:\d+)?$/.test(req.headers.host)
          ? `http://${req.headers.host}` : origin;
        if (TEMPLATED.has(ext)) body = template(body, host);
      } else {
        status = 404;
        type = 'text/html; charset=utf-8';
        body = NOT_FOUND;
      }
      const headers = { 'Content-Type': type, Vary: 'Accept-Encoding', 'Cache-Control': 'no-cache' };
      if (file && path.extname(file) === '' && type === 'application/pdf') {
        headers['Content-Disposition'] = `attachment; filename="${path.basename(file)}.pdf"`;
      }
      if (COMPRESSIBLE.test(type) && /\bgzip\b/i.test(String(req.headers['accept-encoding'] ?? ''))) {
        body = gzipSync(body);
        headers['Content-Encoding'] = 'gzip';
      }
      headers['Content-Length'] = body.length;
      res.writeHead(status, headers);
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch (err) {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end(`internal error: ${err?.message ?? err}\n`);
    }
  });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address();
  const h = addr.family === 'IPv6' || addr.address.includes(':') ? `[${addr.address}]` : addr.address;
  origin = `http://${h}:${addr.port}`;

  const close = () =>
    new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections?.();
    });
  return { origin, server, close };
}

// Standalone: node demo/server.mjs [--port N] [--host H]
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const opt = (name, fallback) => {
    const i = args.indexOf(name);
    return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
  };
  const { origin, close } = await startDemoServer({ port: Number(opt('--port', 0)), host: opt('--host', '127.0.0.1') });
  console.log(origin);
  console.error(`serving demo/site at ${origin} (Ctrl-C to stop)`);
  const stop = async () => {
    await close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
