import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { HttpProxyAgent, HttpsProxyAgent } from 'hpagent';
import { NewscleanError } from '../../shared/errors.js';
import { parseHttpUrl } from '../../shared/url.js';

type Env = Record<string, string | undefined>;

const envValue = (env: Env, ...names: string[]): string => {
  for (const n of names) {
    const v = env[n]?.trim();
    if (v) return v;
  }
  return '';
};

/**
 * True when NO_PROXY (a comma/space list of host suffixes, optionally with
 * :port; `*` = every host) exempts `hostname`. `example.com` and `.example.com`
 * both match example.com and its subdomains, as curl and Go read them.
 * Hand-written on purpose: proxy-from-env matches a bare name only exactly
 * and a dotted one only below it, does not fall back to HTTP_PROXY for https,
 * and reads only process.env (issue 20).
 */
export function noProxyMatches(noProxy: string, hostname: string, port: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');
  for (const raw of noProxy.split(/[\s,]+/)) {
    const entry = raw.trim().toLowerCase();
    if (!entry) continue;
    if (entry === '*') return true;
    const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(entry);
    if (!m) continue;
    if (m[2] && m[2] !== port) continue;
    const suffix = m[1]!.replace(/^\[|\]$/g, '').replace(/^\*?\./, '');
    if (host === suffix || host.endsWith(`.${suffix}`)) return true;
  }
  return false;
}

/**
 * The proxy URL for a request, or null for a direct connection: the
 * configured proxy when set; else HTTPS_PROXY (https URLs; falling back to
 * HTTP_PROXY, as curl-likes and undici do) or HTTP_PROXY, unless NO_PROXY
 * exempts the host.
 */
export function proxyFor(url: URL, configProxy: string, env: Env = process.env): string | null {
  if (configProxy) return configProxy;
  const http = envValue(env, 'HTTP_PROXY', 'http_proxy');
  const proxy = url.protocol === 'https:' ? envValue(env, 'HTTPS_PROXY', 'https_proxy') || http : http;
  if (!proxy) return null;
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  if (noProxyMatches(envValue(env, 'NO_PROXY', 'no_proxy'), url.hostname, port)) return null;
  return proxy;
}

export interface ProxyAgents { http?: HttpAgent; https?: HttpsAgent }

/**
 * Keep-alive agents for direct connections, owned by one fetcher: a socket
 * pooled by the global agent could have been opened under another fetcher's
 * (laxer) private-network setting and would be reused without a DNS check.
 * Same settings as Node's global agent.
 */
export function directAgents(): ProxyAgents {
  const opts = { keepAlive: true, scheduling: 'lifo', timeout: 5000 } as const;
  return { http: new HttpAgent(opts), https: new HttpsAgent(opts) };
}

/** Keep-alive proxy agents, one pair per proxy URL, created on first use. */
export function proxyAgentPool(): (proxy: string) => ProxyAgents {
  const pool = new Map<string, ProxyAgents>();
  return (proxy) => {
    let agents = pool.get(proxy);
    if (!agents) {
      if (!parseHttpUrl(proxy)) {
        // No echo of the value: it may carry credentials.
        throw new NewscleanError('CONFIG_INVALID', 'the proxy (fetch.proxy or *_PROXY) is not an http(s):// URL');
      }
      const opts = { proxy, keepAlive: true };
      agents = { http: new HttpProxyAgent(opts), https: new HttpsProxyAgent(opts) };
      pool.set(proxy, agents);
    }
    return agents;
  };
}
