// Child process for tests/stages/export/run-files.test.ts (uses the compiled dist/, built by the global setup).
//
//   node run-files-writer.mjs <target|-> <gzip 0|1> <first index> <count, -1 = until killed> <concurrency>
//
// Writes record(i) for i = first, first+1, ... with up to <concurrency> writes in flight. For a file
// target it prints, after each write() resolves, the number of lines known to be in the file
// (first + resolved so far; writes resolve in order); with '-' the records themselves go to stdout.
import { openLineSink } from '../../dist/stages/export/run-files.js';

/** Keep in sync with record() in the test. */
const record = (i) => ({ i, text: 'سطر '.repeat(i % 40) + 'x'.repeat((i * 37) % 900) });

const [target, gzip, first, count, concurrency] = process.argv.slice(2);
const start = Number(first);
const end = Number(count) < 0 ? Infinity : start + Number(count);
const report = target !== '-';

const sink = await openLineSink(target, { gzip: gzip === '1' });
let next = start;
let resolved = 0;
await Promise.all(
  Array.from({ length: Number(concurrency) }, async () => {
    while (next < end) {
      await sink.write(record(next++));
      resolved++;
      if (report) process.stdout.write(`${start + resolved}\n`);
    }
  }),
);
await sink.close();
