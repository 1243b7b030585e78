import { Command } from 'commander';
import { loadResolvedConfig, useColor } from '../context.js';
import { type LocationFlags, type TraefikMode, addLocationOptions, overridesFrom, presetOverrides, traefikMode, wholeNumber } from '../options.js';

export function upCommand(): Command {
  const command = new Command('up')
    .description('start N instances of your dev command behind Traefik, and keep them running (foreground; Ctrl-C stops everything)')
    .option('-n, --instances <n>', 'number of instances (default 3)', wholeNumber('--instances'))
    .option('--command <cmd>', 'the dev command to run per instance, e.g. "yarn dev" (default: the built-in demo app)')
    .option('--port <port>', "the balancer's port (default 3000)", wholeNumber('--port'))
    .option('--api-port <port>', "Traefik's API port (traefik.apiPort; default 8080, or a free one when 8080 is taken)", wholeNumber('--api-port'))
    .option('--dashboard-port <port>', "the dashboard's port (dashboard.port; default 8079, or a free one)", wholeNumber('--dashboard-port'))
    .option('--metrics-port <port>', "lb-dev's Prometheus metrics port (metrics.port; default a free one)", wholeNumber('--metrics-port'))
    .option('--host <address>', "the balancer's address (default 127.0.0.1; 0.0.0.0 to expose it to your network)")
    .option(
      '--traefik <mode>',
      'auto (default: Docker if it has the image, else a local traefik, downloaded once if needed), docker, binary (a local traefik) or external (your own Traefik)',
      traefikMode,
    )
    .option('--monitoring', 'also run Prometheus scraping lb-dev and Traefik (monitoring.* in the config)')
    .option('--mode <mode>', 'preset rocketchat: replicas (one Meteor build + copies of its bundle) or independent (N Meteor builds)')
    .option('--mongo-url <url>', "preset rocketchat: your MongoDB replica set (default: MONGO_URL, else meteor-1's built-in one)");
  addLocationOptions(command);
  return command
    .addHelpText(
      'after',
      `
Examples:
  $ lb-dev up                                   3 demo instances behind Traefik (in Docker, or a local binary)
  $ lb-dev up -n 2 --command "yarn dev"         your app; each instance gets PORT in its env
  $ lb-dev up --traefik external                only write routes for a Traefik you run yourself
  $ lb-dev up --monitoring                      also run Prometheus (its URL is printed)`,
    )
    .action(
      async (
        flags: LocationFlags & {
          instances?: number;
          command?: string;
          port?: number;
          apiPort?: number;
          dashboardPort?: number;
          metricsPort?: number;
          traefik?: TraefikMode;
          host?: string;
          monitoring?: boolean;
          mode?: string;
          mongoUrl?: string;
        },
      ) => {
        const config = await loadResolvedConfig(flags, { ...overridesFrom(flags), ...presetOverrides(flags) });
        // The supervisor and everything it drives load here, for `up` only.
        const { runUp } = await import('../../app/up.js');
        process.exitCode = await runUp(config, { out: process.stdout, color: useColor(process.stdout), signals: process, env: process.env });
      },
    );
}
