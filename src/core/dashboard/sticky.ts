/**
 * Which instance a browser's sticky cookie points at. Traefik v3 does not put the server's
 * URL in the cookie but a hash of it (FNV-1, 64 bit, in hex); older versions put the URL
 * itself. Both are matched. Pure.
 */
const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
const MASK = (1n << 64n) - 1n;

/** What Traefik puts in the sticky cookie for the server at `url` (`http://127.0.0.1:41234`). */
export function stickyCookieValue(url: string): string {
  let hash = FNV_OFFSET;
  for (const byte of new TextEncoder().encode(url)) hash = ((hash * FNV_PRIME) & MASK) ^ BigInt(byte);
  return hash.toString(16);
}

/** The server whose cookie value this is, or null (an old instance, or not lb-dev's). */
export function serverForCookie<T extends { url: string }>(value: string, servers: readonly T[]): T | null {
  const plain = value.replace(/\/$/, '');
  return servers.find((s) => s.url === plain || stickyCookieValue(s.url) === value) ?? null;
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
