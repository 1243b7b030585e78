import { Command } from 'commander';
import { type ChaosEvent, MIN_CHAOS_INTERVAL_MS, runChaos } from '../../app/chaos.js';
import { withClient } from '../context.js';
import { type LocationFlags, addLocationOptions, durationFlag, wholeNumber } from '../options.js';

function describe(e: ChaosEvent): string {
  switch (e.event) {
    case 'start':
      return `chaos: killing one instance every ${e.interval / 1000}s with ${e.signal}, keeping at least ${e.keep} ready`;
    case 'kill':
      return `killed ${e.instance} (pid ${e.pid}); ${e.ready - 1} of ${e.total} still ready`;
    case 'skip':
      return `skipped: ${e.reason}`;
    case 'stop':
      return `chaos: stopped after ${e.kills} kill(s)`;
  }
}

export function chaosCommand(): Command {
  const command = new Command('chaos')
    .description('kill a random instance every interval while keeping at least --keep ready; Ctrl-C stops it')
    .option('--interval <duration>', 'time between kills', durationFlag('--interval', MIN_CHAOS_INTERVAL_MS), 10_000)
    .option('-s, --signal <signal>', 'signal to send', 'SIGKILL')
    .option('--duration <duration>', 'stop after this long (default: until Ctrl-C)', durationFlag('--duration'))
    .option('--keep <n>', 'never let fewer than this many instances be ready', wholeNumber('--keep'), 1)
    .option('--json', 'one JSON object per action');
  addLocationOptions(command);
  return command.action(async (flags: LocationFlags & { interval: number; signal: string; duration?: number; keep: number; json?: boolean }) => {
    const stop = new AbortController();
    process.once('SIGINT', () => stop.abort());
    if (flags.duration !== undefined) setTimeout(() => stop.abort(), flags.duration).unref();
    const say = (event: ChaosEvent) => {
      const { event: name, ...rest } = event;
      const json = name === 'start' ? { event: name, interval: event.interval, keep: event.keep } : { event: name, ...rest };
      process.stdout.write(
        flags.json ? `${JSON.stringify({ time: new Date().toISOString(), ...json })}\n` : `${new Date().toISOString().slice(11, 19)} ${describe(event)}\n`,
      );
    };
    await withClient(flags, (client) =>
      runChaos(
        { intervalMs: flags.interval, signal: flags.signal, keep: flags.keep },
        {
          instances: async () => (await client.call('status')).instances,
          kill: (instance, signal) => client.call('kill', { instance, signal, by: 'chaos' }),
        },
        stop.signal,
        say,
      ),
    );
  });
}
