/** The config layers' environment part (src/config/load.ts): NEWSCLEAN_* variables, an empty one counting as unset, and the queue and state URLs. */
import { describe, expect, it } from 'vitest';
import { configFromEnv, loadConfig } from '../../src/config/load.js';

describe('configFromEnv', () => {
  it('maps NEWSCLEAN_<SECTION>_<KEY> and reads JSON values', () => {
    expect(configFromEnv({ NEWSCLEAN_CLEAN_MIN_TEXT_CHARS: '100', NEWSCLEAN_QUEUE_URL: 'redis://r:6379' })).toEqual({ clean: { minTextChars: 100 }, queue: { url: 'redis://r:6379' } });
  });

  it('an empty variable is unset (compose passes ${VAR:-} as an empty string)', () => {
    expect(configFromEnv({ NEWSCLEAN_QUEUE_URL: '', NEWSCLEAN_STATE_URL: '' })).toEqual({});
    expect(loadConfig({ env: { NEWSCLEAN_QUEUE_URL: '' } }).queue.url).toBeUndefined();
  });

  it('NEWSCLEAN_STATE_URL and NEWSCLEAN_QUEUE_URL must be postgres:// and redis:// URLs', () => {
    expect(loadConfig({ env: { NEWSCLEAN_STATE_URL: 'postgres://u@h/db' } }).state.url).toBe('postgres://u@h/db');
    expect(() => loadConfig({ env: { NEWSCLEAN_STATE_URL: 'mysql://u@h/db' } })).toThrow(/postgres/);
    expect(() => loadConfig({ env: { NEWSCLEAN_QUEUE_URL: 'http://r:6379' } })).toThrow(/redis/);
  });
});
