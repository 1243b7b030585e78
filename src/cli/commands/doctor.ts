import { Command } from 'commander';
import type { CheckResult } from '../../app/check-result.js';
import { LbDevError } from '../../core/errors.js';
import { paint, SGR } from '../../core/text/colors.js';
import { loadResolvedConfig, useColor, withClient } from '../context.js';
import { type LocationFlags, type TraefikMode, addLocationOptions, overridesFrom, presetOverrides, traefikMode } from '../options.js';

const MARK: Record<CheckResult['status'], [string, string]> = {
  ok: ['ok  ', SGR.green],
  warn: ['warn', SGR.yellow],
  fail: ['FAIL', SGR.red],
  skip: ['skip', SGR.dim],
};

export function doctorCommand(): Command {
  const command = new Command('doctor')
    .description('check Docker, the Traefik image or binary, the ports and the inotify limits, and say what to fix')
    .option('--traefik <mode>', 'check for this Traefik mode instead of the configured one', traefikMode)
    .option('--json', 'print the results as JSON');
  addLocationOptions(command);
  return command.action(async (flags: LocationFlags & { traefik?: TraefikMode; json?: boolean }) => {
    const config = await loadResolvedConfig(flags, { ...overridesFrom(flags), ...presetOverrides({}) });
    const report = await withClient(flags, (c) => c.call('status')).catch(() => null);
    // Docker's client (and gRPC under it) loads here, for doctor only.
    const { runDoctor } = await import('../../app/doctor.js');
    const results = await runDoctor(config, report?.pid ?? null, report ? report.traefik : undefined);
    const color = useColor(process.stdout);
    if (flags.json) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
    else {
      for (const r of results) {
        const [label, code] = MARK[r.status];
        process.stdout.write(`${paint(label, code, color)}  ${r.name}: ${r.detail}\n`);
        if (r.fix) process.stdout.write(`      fix: ${r.fix}\n`);
      }
    }
    const failed = results.filter((r) => r.status === 'fail');
    if (failed.length) throw new LbDevError('DOCTOR_FOUND_PROBLEMS', `${failed.length} check(s) failed: ${failed.map((r) => r.name).join(', ')}`);
  });
}
