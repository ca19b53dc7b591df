// The floor of bench:speed's whole-process figure: a process that reads every
// page of a folder and parses it with htmlparser2, and nothing else.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'htmlparser2';

const dir = process.argv[2];
let n = 0;
for (const f of readdirSync(dir).sort()) {
  parseDocument(readFileSync(join(dir, f)).toString('utf8'));
  n++;
}
process.stderr.write(`parsed ${n}\n`);
