/**
 * Copies one file out of a .tar.gz, streaming (a Traefik archive unpacks to ~150 MB): a small
 * ustar reader over zlib's gunzip. Enough for goreleaser archives (regular files, ustar or
 * GNU headers, short names); other entry types are skipped.
 */
import { once } from 'node:events';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { createGunzip } from 'node:zlib';

const BLOCK = 512;

/** A gzip or tar problem: the archive is damaged or truncated. */
export class ArchiveError extends Error {
  override readonly name = 'ArchiveError';
}

interface EntryHeader {
  name: string;
  size: number;
  type: string;
}

/**
 * Writes the first regular file whose path (without a leading ./) is `entryName` to
 * `destination`. Returns false when the archive holds no such file.
 */
export async function extractTarGzEntry(archivePath: string, entryName: string, destination: string): Promise<boolean> {
  const source = createReadStream(archivePath);
  const gunzip = createGunzip();
  source.on('error', (error) => gunzip.destroy(error));
  source.pipe(gunzip);
  let pending: Buffer = Buffer.alloc(0);
  let remaining = 0; // body bytes of the current entry still to come
  let skipPadding = 0;
  let out: WriteStream | null = null;
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      while (pending.length > 0) {
        if (remaining > 0) {
          const part = pending.subarray(0, Math.min(remaining, pending.length));
          pending = pending.subarray(part.length);
          remaining -= part.length;
          if (out && !out.write(part)) await once(out, 'drain');
          if (remaining === 0 && out) {
            out.end();
            await once(out, 'close');
            return true;
          }
          continue;
        }
        if (skipPadding > 0) {
          const skipped = Math.min(skipPadding, pending.length);
          pending = pending.subarray(skipped);
          skipPadding -= skipped;
          continue;
        }
        if (pending.length < BLOCK) break;
        const block = pending.subarray(0, BLOCK);
        pending = pending.subarray(BLOCK);
        if (block.every((byte) => byte === 0)) return false; // end-of-archive marker
        const header = parseHeader(block);
        remaining = header.size;
        skipPadding = (BLOCK - (header.size % BLOCK)) % BLOCK;
        const isFile = header.type === '0' || header.type === '\0' || header.type === '7';
        if (isFile && header.name.replace(/^\.\//, '') === entryName) {
          out = createWriteStream(destination, { mode: 0o755 });
          if (remaining === 0) {
            out.end();
            await once(out, 'close');
            return true;
          }
        }
      }
    }
  } catch (error) {
    if (error instanceof ArchiveError) throw error;
    throw new ArchiveError(`could not unpack ${archivePath}: ${(error as Error).message}`, { cause: error });
  } finally {
    source.destroy();
    gunzip.destroy();
    out?.destroy();
  }
  if (remaining > 0 || pending.length > 0) throw new ArchiveError(`${archivePath} ends inside an entry (truncated archive)`);
  return false;
}

function parseHeader(block: Buffer): EntryHeader {
  const stored = parseOctal(block.subarray(148, 156));
  let sum = 8 * 0x20; // the checksum field itself counts as spaces
  for (let i = 0; i < BLOCK; i++) if (i < 148 || i >= 156) sum += block[i]!;
  if (stored !== sum) throw new ArchiveError(`not a tar header (checksum ${stored} instead of ${sum})`);
  const text = (from: number, to: number) => block.subarray(from, to).toString('utf8').replace(/\0.*$/s, '');
  const name = text(0, 100);
  const prefix = block.subarray(257, 262).toString('latin1') === 'ustar' ? text(345, 500) : '';
  return { name: prefix ? `${prefix}/${name}` : name, size: parseSize(block.subarray(124, 136)), type: String.fromCharCode(block[156]!) };
}

function parseOctal(field: Buffer): number {
  const text = field
    .toString('latin1')
    .replace(/[\0 ]+$/, '')
    .trim();
  return text === '' ? 0 : parseInt(text, 8);
}

/** Octal, or GNU base-256 (high bit set) for sizes of 8 GiB and more. */
function parseSize(field: Buffer): number {
  if ((field[0]! & 0x80) === 0) return parseOctal(field);
  let size = field[0]! & 0x7f;
  for (let i = 1; i < field.length; i++) size = size * 256 + field[i]!;
  return size;
}
