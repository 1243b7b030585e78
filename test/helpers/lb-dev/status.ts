/** Reading `up`'s status answer in tests: one instance by name, a short form for failure messages. */
import type { InstanceStatus } from '../../../src/app/instance.js';
import type { StatusReport } from '../../../src/app/status-report.js';

export function instanceOf(report: StatusReport, name: string): InstanceStatus {
  const found = report.instances.find((i) => i.name === name);
  if (!found) throw new Error(`no ${name} in status: ${report.instances.map((i) => i.name).join(', ')}`);
  return found;
}

/** The fields a failure message needs, instance by instance, and the routes. */
export function briefStatus(report: StatusReport | null): string {
  if (report === null) return 'none yet';
  const instances = report.instances.map((i) => ({
    name: i.name,
    state: i.state,
    pid: i.pid,
    port: i.port,
    inBalancer: i.inBalancer,
    restarts: i.restarts,
    crashes: i.crashesInARow,
  }));
  return `${JSON.stringify(instances)} routes ${JSON.stringify(report.routes)}`;
}

/** The URL Traefik lists for an instance's port (its host depends on the network mode). */
export function serverFor(servers: readonly string[] | null, port: number): string | undefined {
  return servers?.find((url) => url.endsWith(`:${port}`));
}
