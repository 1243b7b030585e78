/**
 * While an instance starts, looks at the TCP ports its process tree listens on (the process
 * table: /proc, or lsof) every 1-2 s, and reports once when it listens elsewhere only: a dev
 * server that ignores PORT is named within seconds, not at the start timeout. Stopped once the
 * run is ready or gone, so an idle supervisor scans nothing.
 */
import { pollUntil } from '../adapters/poll.js';
import { processTable } from '../adapters/process/process-table/choose.js';
import { type ProcessTable, portsOfTree } from '../adapters/process/process-table/process-table.js';
import { portsElsewhere } from '../core/instance/wrong-port.js';

/** The pace: 1 s, then up to 2 s (a scan of the table costs a few ms with /proc, more with ps + lsof). */
const FIRST_LOOK_MS = 1000;
const MAX_INTERVAL_MS = 2000;

export class PortWatch {
  private readonly abort = new AbortController();

  constructor(
    private readonly pid: number,
    private readonly given: readonly number[],
    private readonly wrongPort: (listening: number[]) => void,
    private readonly table: ProcessTable = processTable(),
  ) {}

  /** Looks until the tree listens on its port, until it was told elsewhere, until stop(), or for `forMs` at most. */
  start(forMs: number): void {
    // Twice in a row: a dev server may bind a helper port a moment before its own.
    let before: string | null = null;
    const look = async () => {
      const listening = await portsOfTree(this.table, this.pid);
      if (this.abort.signal.aborted || listening === null) return true;
      if (listening.some((port) => this.given.includes(port))) return true;
      const elsewhere = portsElsewhere(listening, this.given);
      const seen = elsewhere === null ? null : elsewhere.join(',');
      if (elsewhere === null || seen !== before) {
        before = seen;
        return false;
      }
      this.wrongPort(elsewhere);
      return true;
    };
    void pollUntil(look, { timeoutMs: forMs, intervalMs: FIRST_LOOK_MS, maxIntervalMs: MAX_INTERVAL_MS, signal: this.abort.signal });
  }

  stop(): void {
    this.abort.abort();
  }
}
