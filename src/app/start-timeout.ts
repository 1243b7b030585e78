/**
 * Why an instance was not ready within its start timeout, when /proc can tell: most often an
 * app that ignores $PORT and listens somewhere else, or not at all.
 */
import { portsListenedByTree, somethingListensOn } from '../adapters/process/proc.js';

/** A sentence for the log, or null when something does listen on the port (or /proc cannot tell). */
export async function explainNotListening(pid: number, port: number): Promise<string | null> {
  if ((await somethingListensOn(port)) !== false) return null;
  const ports = await portsListenedByTree(pid);
  const nothing = `nothing listens on its port ${port} ($PORT)`;
  if (ports === null) return nothing;
  if (ports.length === 0) return `${nothing}, and its processes listen on no TCP port yet`;
  return `${nothing}; its processes listen on ${ports.join(', ')} instead: does the app read $PORT (or {port} in the command)?`;
}
