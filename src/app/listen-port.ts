/** A port for something `up` listens on: `auto` = a free one from the PortAllocator, else that port if it is free. */
import { type PortAllocator, assertPortFree } from '../adapters/ports.js';

export async function claimPort(wanted: number | 'auto', ports: PortAllocator, host: string, what: string): Promise<number> {
  if (wanted === 'auto') return (await ports.allocate())[0]!;
  await assertPortFree(wanted, host, what);
  ports.reserve(wanted);
  return wanted;
}
