// Registered with `node --import` by tests/cli/startup-loads.test.ts: every
// module the process loads is written to stderr as "LOADED <url>".
import { register } from 'node:module';

register('data:text/javascript,' + encodeURIComponent(
  'export async function load(url, context, next) { process.stderr.write("LOADED " + url + "\\n"); return next(url, context); }',
));
