/**
 * Why an instance was not ready within its start timeout, when the process table can tell:
 * most often an app that ignores $PORT and listens somewhere else, or not at all.
 */
import { processTable } from '../adapters/process/process-table/choose.js';
import { portsOfTree } from '../adapters/process/process-table/process-table.js';

/** A sentence for the log, or null when something does listen on the port (or the table cannot tell). */
export async function explainNotListening(pid: number, port: number): Promise<string | null> {
  const table = processTable();
  const listening = await table.listeningPorts();
  if (listening === null || listening.includes(port)) return null;
  const ports = await portsOfTree(table, pid);
  const nothing = `nothing listens on its port ${port} ($PORT)`;
  if (ports === null) return nothing;
  if (ports.length === 0) return `${nothing}, and its processes listen on no TCP port yet`;
  return `${nothing}; its processes listen on ${ports.join(', ')} instead: does the app read $PORT (or {port} in the command)?`;
}
