/**
 * `newsclean schedule` on the command line: its options. What it does is in
 * schedule-run.ts, imported only when it runs.
 */
import { type Command, Option } from 'commander';
import { asFlag, parseCount } from './args.js';
import { type FetchCommandOptions, withRunOptions } from './run-options.js';

export interface ScheduleOptions extends FetchCommandOptions {
  runNow?: boolean;
  statusHost?: string;
  statusPort?: number;
  statusServer?: boolean;
}

export function addScheduleCommand(program: Command, setExit: (code: number) => void): void {
  withRunOptions(
    program
      .command('schedule')
      .description('Run crawls on the cron schedules of the sources file, with /metrics and /healthz, until SIGINT/SIGTERM.')
      .option('-c, --config <file>', 'sources file (YAML): `schedule:` per site or under `defaults:`', 'config/sources.yaml')
      .option('--site <name>', 'schedule only this site (repeatable)', (v: string, acc: string[] = []) => [...acc, v])
      .option('--run-now', 'run every site once at start-up, then on schedule')
      .option('--status-host <host>', 'address of /metrics and /healthz (default 127.0.0.1; 0.0.0.0 in a container)')
      .addOption(new Option('--status-port <port>', 'port of /metrics and /healthz (default 9464; 0 = any free port)').argParser(asFlag(parseCount)))
      .option('--no-status-server', 'serve no /metrics or /healthz'),
  ).action(async (opts: ScheduleOptions) => setExit(await (await import('./schedule-run.js')).runSchedule(opts)));
}
