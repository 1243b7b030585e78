/**
 * Byte sizes as people write them in config (`10MB`, `512KB`, `1GiB`). KB/MB/GB are
 * powers of 1000 and KiB/MiB/GiB powers of 1024, as their names say.
 */

const UNIT_BYTES: Record<string, number> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  tib: 1024 ** 4,
};

/** Largest first, so that formatSize picks the shortest exact form. */
const FORMAT_UNITS: ReadonlyArray<[string, number]> = [
  ['TiB', 1024 ** 4],
  ['TB', 1e12],
  ['GiB', 1024 ** 3],
  ['GB', 1e9],
  ['MiB', 1024 ** 2],
  ['MB', 1e6],
  ['KiB', 1024],
  ['KB', 1e3],
];

const SIZE = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i;

export const SIZE_EXPECTED = 'a size like 512KB, 10MB or 1GiB (or a number of bytes)';

/** `10MB`, `512KB`, `1GiB`, `100B` or a plain number of bytes -> whole bytes. */
export function parseSize(text: string | number): number {
  if (typeof text === 'number') {
    if (!Number.isFinite(text) || text < 0) throw new Error(`expected ${SIZE_EXPECTED}, got ${text}`);
    return Math.round(text);
  }
  if (typeof text !== 'string') throw new Error(`expected ${SIZE_EXPECTED}, got ${typeof text}`);
  const match = SIZE.exec(text.trim());
  const factor = match ? (match[2] === '' ? 1 : UNIT_BYTES[match[2]!.toLowerCase()]) : undefined;
  if (!match || factor === undefined) throw new Error(`expected ${SIZE_EXPECTED}, got ${JSON.stringify(text)}`);
  return Math.round(Number(match[1]) * factor);
}

/** Bytes -> the shortest exact form: 10000000 -> `10MB`, 1048576 -> `1MiB`, 1500 -> `1500B`. */
export function formatSize(bytes: number): string {
  if (!Number.isInteger(bytes) || bytes < 0) throw new Error(`expected a whole, non-negative number of bytes, got ${bytes}`);
  if (bytes > 0) {
    for (const [unit, factor] of FORMAT_UNITS) {
      if (bytes % factor === 0) return `${bytes / factor}${unit}`;
    }
  }
  return `${bytes}B`;
}
