// One request to a running `lb-dev up`'s control socket (JSON lines, src/control/protocol.ts).
import { createConnection } from 'node:net';

export function callSocket(socketPath, method, params = {}) {
  return new Promise((resolve, reject) => {
    const s = createConnection(socketPath);
    let buffer = '';
    s.once('error', reject);
    s.on('data', (c) => {
      buffer += c.toString();
      const nl = buffer.indexOf('\n');
      if (nl < 0) return;
      s.destroy();
      try {
        const message = JSON.parse(buffer.slice(0, nl));
        if (message.error) reject(new Error(`${message.error.code}: ${message.error.message}`));
        else resolve(message.result);
      } catch (error) {
        reject(error);
      }
    });
    s.write(`${JSON.stringify({ id: 1, method, params })}\n`);
  });
}
