import { Command } from 'commander';
import type { StatusReport } from '../../app/status-report.js';
import { pickChaosVictim } from '../../core/chaos.js';
import { abortableSleep as sleep } from '../abortable-sleep.js';
import { withClient } from '../context.js';
import { type LocationFlags, addLocationOptions, durationFlag, wholeNumber } from '../options.js';

export function chaosCommand(): Command {
  const command = new Command('chaos')
    .description('kill a random instance every interval while keeping at least --keep ready; Ctrl-C stops it')
    .option('--interval <duration>', 'time between kills', durationFlag('--interval'), 10_000)
    .option('-s, --signal <signal>', 'signal to send', 'SIGKILL')
    .option('--duration <duration>', 'stop after this long (default: until Ctrl-C)', durationFlag('--duration'))
    .option('--keep <n>', 'never let fewer than this many instances be ready', wholeNumber('--keep'), 1)
    .option('--json', 'one JSON object per action');
  addLocationOptions(command);
  return command.action(async (flags: LocationFlags & { interval: number; signal: string; duration?: number; keep: number; json?: boolean }) => {
    const stop = new AbortController();
    process.once('SIGINT', () => stop.abort());
    if (flags.duration !== undefined) setTimeout(() => stop.abort(), flags.duration).unref();
    const say = (event: Record<string, unknown>, text: string) =>
      process.stdout.write(flags.json ? `${JSON.stringify({ time: new Date().toISOString(), ...event })}\n` : `${new Date().toISOString().slice(11, 19)} ${text}\n`);
    let kills = 0;
    await withClient(flags, async (client) => {
      say({ event: 'start', interval: flags.interval, keep: flags.keep }, `chaos: killing one instance every ${flags.interval / 1000}s with ${flags.signal}, keeping at least ${flags.keep} ready`);
      while (!stop.signal.aborted) {
        const report = await client.call<StatusReport>('status');
        const choice = pickChaosVictim(report.instances, flags.keep, Math.random());
        if (choice.victim) {
          const result = await client.call<{ instance: string; pid: number }>('kill', { instance: choice.victim, signal: flags.signal });
          kills++;
          say({ event: 'kill', instance: result.instance, pid: result.pid, ready: choice.ready }, `killed ${result.instance} (pid ${result.pid}); ${choice.ready - 1} of ${report.instances.length} still ready`);
        } else {
          say({ event: 'skip', reason: choice.reason }, `skipped: ${choice.reason}`);
        }
        await sleep(flags.interval, stop.signal);
      }
    });
    say({ event: 'stop', kills }, `chaos: stopped after ${kills} kill(s)`);
  });
}
