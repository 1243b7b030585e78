/**
 * A host and port as they stand in a URL or a listen address: an IPv6 literal goes in
 * brackets (`[::1]:3000`), or its colons would read as the port separator. Pure.
 */
import { LbDevError } from '../errors.js';

/** `host` ready to be followed by `:port`: `::1` -> `[::1]`; bracketed or non-IPv6 hosts unchanged. */
export function hostForUrl(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

/** `host:port` (`127.0.0.1:3000`, `[::1]:3000`); `what` names the caller's value in the error. */
export function hostPort(host: string, port: number, what: string): string {
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new LbDevError('INTERNAL', `${what}: expected a port 1..65535, got ${String(port)}`);
  }
  return `${hostForUrl(host)}:${port}`;
}
