#!/usr/bin/env node
/**
 * The bin: `node dist/cli.js` (package.json `bin`, the Dockerfile, cron lines
 * written for earlier versions). The command line itself is src/cli/.
 */
import './cli/index.js';
