#!/usr/bin/env node
/**
 * The bin: `node dist/cli.js` (package.json `bin`, the Dockerfile, cron lines
 * written for earlier versions). The command line itself is src/cli/.
 *
 * Before anything else is loaded: V8's compile cache for the modules that
 * follow, where Node has one (module.enableCompileCache, Node 22.1 and later;
 * its directory is Node's default under the OS temp folder, and
 * NODE_DISABLE_COMPILE_CACHE=1 turns it off). Node 20 has none: nothing happens.
 */
import module from 'node:module';

try {
  (module as { enableCompileCache?: () => unknown }).enableCompileCache?.();
} catch {
  // a cache that cannot be set up only costs the compile it would have saved
}
await import('./cli/index.js');
