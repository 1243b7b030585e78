// Everything the bench starts registers how to stop it here, so a failure part-way (or Ctrl-C)
// still stops instances, Traefik processes and the PM2 daemon.
const cleanups = new Map();
let next = 0;

/** Registers `fn`; returns a function that runs it once and unregisters it. */
export function onCleanup(what, fn) {
  const id = ++next;
  cleanups.set(id, { what, fn });
  return async () => {
    if (!cleanups.delete(id)) return;
    await fn();
  };
}

/** Runs every registered cleanup, newest first; reports but survives failures. */
export async function cleanUpAll() {
  for (const [id, { what, fn }] of [...cleanups].reverse()) {
    cleanups.delete(id);
    try {
      await fn();
    } catch (error) {
      console.error(`cleanup of ${what} failed: ${error.message}`);
    }
  }
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping what the bench started ...`);
    void cleanUpAll().then(() => process.exit(130));
  });
}
