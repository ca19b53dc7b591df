/**
 * What `warcio check` does, for tests (Python's warcio cannot be installed
 * here: no PyPI): every record of a WARC file parsed by hand, its
 * WARC-Block-Digest recomputed over the record block and its
 * WARC-Payload-Digest over the HTTP payload (the block after the HTTP
 * headers), both sha1 in base32 as Common Crawl writes them.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

export interface CheckedRecord {
  type: string;
  uri: string | null;
  headers: Map<string, string>;
  /** The record block (for request/response: HTTP headers + payload). */
  block: Buffer;
}

export function base32(buf: Buffer): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of buf) {
    value = ((value << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += alphabet[(value << (5 - bits)) & 31];
  return out;
}

const sha1 = (b: Buffer): string => `sha1:${base32(createHash('sha1').update(b).digest())}`;

/** Every record, each checked: throws on a digest that does not match, a bad record boundary or a missing header. */
export function checkWarc(path: string): CheckedRecord[] {
  const raw = readFileSync(path);
  const data = path.endsWith('.gz') ? gunzipSync(raw) : raw;
  const out: CheckedRecord[] = [];
  let at = 0;
  while (at < data.length) {
    const end = data.indexOf('\r\n\r\n', at);
    if (end < 0) throw new Error(`record header without its end at ${at}`);
    const lines = data.toString('utf8', at, end).split('\r\n');
    if (!/^WARC\/1\.[01]$/.test(lines[0]!)) throw new Error(`not a WARC record at ${at}: ${lines[0]}`);
    const headers = new Map(lines.slice(1).map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()] as [string, string]));
    const length = Number(headers.get('content-length'));
    const block = data.subarray(end + 4, end + 4 + length);
    if (block.length !== length || data.toString('latin1', end + 4 + length, end + 8 + length) !== '\r\n\r\n') throw new Error(`record at ${at}: Content-Length ${length} does not end the block`);
    const type = headers.get('warc-type') ?? '';
    if (!headers.get('warc-record-id') || !headers.get('warc-date')) throw new Error(`record at ${at} lacks WARC-Record-ID or WARC-Date`);
    const blockDigest = headers.get('warc-block-digest');
    if (blockDigest && blockDigest !== sha1(block)) throw new Error(`record at ${at} (${type}): block digest ${blockDigest} != ${sha1(block)}`);
    const payloadDigest = headers.get('warc-payload-digest');
    if (payloadDigest && /^application\/http/.test(headers.get('content-type') ?? '')) {
      const split = block.indexOf('\r\n\r\n');
      const payload = split < 0 ? Buffer.alloc(0) : block.subarray(split + 4);
      if (payloadDigest !== sha1(payload)) throw new Error(`record at ${at} (${type}): payload digest ${payloadDigest} != ${sha1(payload)}`);
    }
    out.push({ type, uri: headers.get('warc-target-uri') ?? null, headers, block });
    at = end + 8 + length;
  }
  return out;
}
