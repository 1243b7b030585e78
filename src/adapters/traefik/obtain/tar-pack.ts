/**
 * Writes a ustar stream of a few entries, files streamed from disk: the root filesystem of the
 * Traefik image (see import-image.ts). Names must fit ustar's 100 bytes.
 */
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';

const BLOCK = 512;

export type TarEntry = { type: 'file'; name: string; mode: number; size: number; source: string } | { type: 'directory'; name: string; mode: number };

export function tarStream(entries: readonly TarEntry[]): Readable {
  return Readable.from(generate(entries));
}

async function* generate(entries: readonly TarEntry[]): AsyncGenerator<Buffer> {
  const mtime = Math.floor(Date.now() / 1000);
  for (const entry of entries) {
    const size = entry.type === 'file' ? entry.size : 0;
    yield header(entry.type === 'directory' ? entry.name.replace(/\/?$/, '/') : entry.name, entry.mode, size, entry.type === 'file' ? '0' : '5', mtime);
    if (entry.type !== 'file') continue;
    let written = 0;
    for await (const chunk of createReadStream(entry.source) as AsyncIterable<Buffer>) {
      // A file that grew after its size was taken must not overrun its header's size.
      const part = chunk.subarray(0, Math.max(0, size - written));
      written += part.length;
      if (part.length) yield part;
    }
    if (written !== size) throw new Error(`${entry.source}: expected ${size} bytes, read ${written} (changed while packing)`);
    const padding = (BLOCK - (size % BLOCK)) % BLOCK;
    if (padding) yield Buffer.alloc(padding);
  }
  yield Buffer.alloc(2 * BLOCK); // end-of-archive marker
}

function header(name: string, mode: number, size: number, type: string, mtime: number): Buffer {
  if (Buffer.byteLength(name) > 100) throw new Error(`tar entry name longer than 100 bytes: ${name}`);
  const block = Buffer.alloc(BLOCK);
  block.write(name, 0, 100, 'utf8');
  writeOctal(block, 100, 8, mode);
  writeOctal(block, 108, 8, 0); // uid
  writeOctal(block, 116, 8, 0); // gid
  writeOctal(block, 124, 12, size);
  writeOctal(block, 136, 12, mtime);
  block.fill(0x20, 148, 156); // checksum placeholder: spaces
  block.write(type, 156, 1, 'latin1');
  block.write('ustar\x0000', 257, 8, 'latin1');
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'latin1');
  return block;
}

function writeOctal(block: Buffer, offset: number, length: number, value: number): void {
  block.write(`${value.toString(8).padStart(length - 1, '0')}\0`, offset, length, 'latin1');
}
