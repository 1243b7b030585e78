/**
 * Steady HTTP load on a loopback URL from a few keep-alive clients, counting failed
 * responses (a connection error or status >= 500). Bounded: it runs until stop() and never
 * targets anything but 127.0.0.1.
 */
import http from 'node:http';

export interface LoadResult {
  sent: number;
  failed: number;
  byStatus: Record<string, number>;
  /** Why requests failed: status line or error message -> count. */
  errors: Record<string, number>;
  /** Which instance answered (from the demo's /api/info JSON) -> count. */
  byInstance: Record<string, number>;
}

export interface Load {
  stop(): Promise<LoadResult>;
  /** The counts so far. */
  peek(): LoadResult;
}

export function startLoad(url: string, concurrency = 4): Load {
  const target = new URL(url);
  if (target.hostname !== '127.0.0.1' && target.hostname !== 'localhost') throw new Error(`load tests only target loopback, got ${url}`);
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const result: LoadResult = { sent: 0, failed: 0, byStatus: {}, errors: {}, byInstance: {} };
  let stopped = false;
  const count = (map: Record<string, number>, key: string) => {
    map[key] = (map[key] ?? 0) + 1;
  };
  const once = () =>
    new Promise<void>((resolve) => {
      const req = http.get(url, { agent, timeout: 5_000 }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => {
          body += d;
        });
        res.on('end', () => {
          result.sent++;
          const status = res.statusCode ?? 0;
          count(result.byStatus, String(status));
          if (status >= 500) {
            result.failed++;
            count(result.errors, `${status} ${body.slice(0, 40)}`);
          } else {
            try {
              count(result.byInstance, (JSON.parse(body) as { instance: string }).instance);
            } catch {
              /* not the demo */
            }
          }
          resolve();
        });
      });
      req.on('timeout', () => req.destroy(new Error('timeout after 5s')));
      req.on('error', (error) => {
        result.sent++;
        result.failed++;
        count(result.byStatus, '0');
        count(result.errors, error.message);
        resolve();
      });
    });
  const loops = Array.from({ length: concurrency }, async () => {
    while (!stopped) await once();
  });
  return {
    peek: () => ({ ...result }),
    async stop() {
      stopped = true;
      await Promise.all(loops);
      agent.destroy();
      return result;
    },
  };
}
