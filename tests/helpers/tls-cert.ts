/**
 * A self-signed certificate for 127.0.0.1 and localhost (openssl, from
 * Debian's packages), for the tests of rediss:// and PostgreSQL sslmode: the
 * servers present it and the client trusts it through NODE_EXTRA_CA_CERTS,
 * so the TLS is verified as it would be in production.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TlsFiles { dir: string; cert: string; key: string }

const has = (cmd: string): boolean => {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};
export const opensslMissing = has('openssl') ? null : 'openssl not installed: apt-get install openssl';
if (opensslMissing && process.env.CI) throw new Error("openssl not found: .ci/run installs Debian's openssl package");

export function makeCert(): TlsFiles {
  const dir = mkdtempSync(join(tmpdir(), 'nc-tls-'));
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'], { stdio: 'ignore' });
  return { dir, cert, key };
}
