/**
 * Which instance a browser's sticky cookie points at. Traefik v3 puts a hash of the server's
 * URL in the cookie (adapters/traefik/sticky-value.ts); older versions put the URL itself.
 * Both are matched. Pure: the hash function is passed in.
 */

/** The server whose cookie value this is, or null (an old instance, or not lb-dev's). */
export function serverForCookie<T extends { url: string }>(value: string, servers: readonly T[], hash: (url: string) => string): T | null {
  const plain = value.replace(/\/$/, '');
  return servers.find((s) => s.url === plain || hash(s.url) === value) ?? null;
}

/** The value of cookie `name` in a Cookie header, or null. */
export function cookieValue(header: string | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return part.slice(eq + 1).trim();
      }
    }
  }
  return null;
}
