#!/usr/bin/env node
/**
 * The command line: the program and its commands as siblings, each in its
 * own file: extract.ts (extract, clean-text: the stages in this thread),
 * fetch.ts (crawl, scrape, recrawl: the run layer), schedule.ts (runs on
 * cron), state.ts (the state store), worker.ts (page jobs of queued crawls).
 *
 * Exit status (README, "Exit codes"): 0 done; 1 the run failed (failure rate
 * over run.maxFailureRate, or every input rejected); 2 usage; 3 config;
 * 4 state store; 5 the same run is going in another process; 70 internal
 * error; 130 / 143 stopped by SIGINT / SIGTERM.
 */
import { Command, CommanderError } from 'commander';
import { NewscleanError } from '../shared/errors.js';
import { VERSION } from '../shared/version.js';
import { EXIT, exitFor } from './args.js';
import { addExtractCommands } from './extract.js';
import { addFetchCommands } from './fetch.js';
import { addScheduleCommand } from './schedule.js';
import { addStateCommands } from './state.js';
import { addWorkerCommand } from './worker.js';

export function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command()
    .name('newsclean')
    .description('Turn news pages into a clean article corpus (JSON lines).')
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });

  addExtractCommands(program, setExit);
  addFetchCommands(program, setExit);
  addScheduleCommand(program, setExit);
  addStateCommands(program, setExit);
  addWorkerCommand(program, setExit);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  // A reader that went away surfaces as a coded error on the next write; no stray 'error' event may crash the process.
  process.stdout.on('error', () => {});
  let code: number = EXIT.OK;
  try {
    await buildProgram((c) => (code = c)).parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // help and version are not errors
      return err.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
    }
    // `newsclean … | head`: the reader has what it wanted. No message; 141 = 128 + SIGPIPE, as a shell reports `yes | head`.
    // The export stage is loaded here only on this error path (a command that writes has it loaded already).
    const { isClosedStdout } = await import('../stages/export/index.js');
    if (isClosedStdout(err)) return EXIT.PIPE_CLOSED;
    if (err instanceof NewscleanError) {
      // USAGE, CONFIG_INVALID, STATE_UNAVAILABLE, RUN_IN_PROGRESS: one line with the code.
      process.stderr.write(`newsclean: ${err.code}: ${err.message}\n`);
      return exitFor(err.code);
    }
    process.stderr.write(`newsclean: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return EXIT.INTERNAL;
  }
  return code;
}

process.exitCode = await main(process.argv);
