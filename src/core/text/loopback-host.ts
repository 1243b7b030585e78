/**
 * The one Host check of lb-dev's loopback HTTP servers (the dashboard, the metrics endpoint):
 * a loopback name or address with the server's own port - `127.0.0.1:PORT`, `localhost:PORT`,
 * `[::1]:PORT` - or the host it is bound to, or a name given for a known client (a Prometheus in
 * a Docker bridge network asks for `host.docker.internal:PORT`). A page on some other host name
 * that resolves to 127.0.0.1 (DNS rebinding) sends that name, and gets nothing. Pure.
 */
import { hostForUrl } from './host-port.js';

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

/** The accepted Host values, `host:port`, lower case. */
export function allowedHosts(port: number, extra: readonly string[] = []): ReadonlySet<string> {
  return new Set([...LOOPBACK_NAMES, ...extra.map(hostForUrl)].map((host) => `${host.toLowerCase()}:${port}`));
}

/** Null when `host` (a request's Host header) is accepted; else what was expected and what was given. */
export function hostRefusal(host: string | undefined, hosts: ReadonlySet<string>): string | null {
  if (host !== undefined && hosts.has(host.toLowerCase())) return null;
  const given = host === undefined ? 'none' : JSON.stringify(host.length > 80 ? `${host.slice(0, 80)}…` : host);
  return `expected the Host header to be one of ${[...hosts].join(', ')}, got ${given}`;
}
