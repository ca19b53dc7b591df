/**
 * Configuration layering: schema defaults ← config file (JSON) ← NEWSCLEAN_*
 * environment variables ← CLI flags. Validation happens once, on the merged
 * object, and errors name the source and the key path.
 */
import { readFileSync } from 'node:fs';
import { NewscleanError } from '../shared/errors.js';
import { type Config, ConfigSchema } from './schema.js';

type Tree = Record<string, unknown>;

const isTree = (v: unknown): v is Tree => typeof v === 'object' && v !== null && !Array.isArray(v);

function merge(base: Tree, over: Tree): Tree {
  const out: Tree = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = isTree(v) && isTree(out[k]) ? merge(out[k] as Tree, v) : v;
  return out;
}

function readConfigFile(path: string): Tree {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new NewscleanError('CONFIG_INVALID', `${path}: ${(err as Error).message}`, { cause: err });
  }
  if (!isTree(data)) throw new NewscleanError('CONFIG_INVALID', `${path}: expected a JSON object`);
  return data;
}

const camel = (s: string) => s.toLowerCase().replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/**
 * NEWSCLEAN_<SECTION>_<KEY>, e.g. NEWSCLEAN_CLEAN_MIN_TEXT_CHARS=100 or
 * NEWSCLEAN_LOG_LEVEL=debug. Values are read as JSON when they parse, else as strings.
 */
export function configFromEnv(env: NodeJS.ProcessEnv): Tree {
  const out: Tree = {};
  const sections = Object.keys(ConfigSchema.shape);
  for (const [name, raw] of Object.entries(env)) {
    // Empty is unset (compose passes `${VAR:-}` through as an empty string).
    if (!name.startsWith('NEWSCLEAN_') || raw === undefined || raw === '') continue;
    const rest = name.slice('NEWSCLEAN_'.length).toLowerCase();
    const section = sections.find((s) => rest.startsWith(`${s}_`));
    if (!section) continue;
    let value: unknown = raw;
    try {
      value = JSON.parse(raw);
    } catch {
      /* a plain string */
    }
    out[section] = { ...((out[section] as Tree) ?? {}), [camel(rest.slice(section.length + 1))]: value };
  }
  return out;
}

export interface ConfigSources {
  file?: string | undefined;
  /** Layers between the file and the environment, e.g. a sources.yaml's `defaults:` as `{ fetch: … }`. */
  extra?: Array<[name: string, layer: Tree]>;
  env?: NodeJS.ProcessEnv;
  flags?: Tree;
}

export function loadConfig(sources: ConfigSources = {}): Config {
  const layers: Array<[string, Tree]> = [];
  if (sources.file) layers.push([sources.file, readConfigFile(sources.file)]);
  for (const layer of sources.extra ?? []) layers.push(layer);
  if (sources.env) layers.push(['environment', configFromEnv(sources.env)]);
  if (sources.flags) layers.push(['command line', sources.flags]);
  const merged = layers.reduce<Tree>((acc, [, layer]) => merge(acc, layer), {});
  const result = ConfigSchema.safeParse(merged);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const key = issue.path.join('.') || '(root)';
  const from = [...layers].reverse().find(([, layer]) => hasPath(layer, issue.path))?.[0] ?? 'configuration';
  throw new NewscleanError('CONFIG_INVALID', `${from}: ${key}: ${issue.message}`);
}

function hasPath(tree: Tree, path: PropertyKey[]): boolean {
  let node: unknown = tree;
  for (const k of path) {
    if (!isTree(node) || !(String(k) in node)) return false;
    node = node[String(k)];
  }
  return true;
}
