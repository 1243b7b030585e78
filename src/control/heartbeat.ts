/**
 * The heartbeats of one outstanding request that asked for them (protocol.ts): `beat` every
 * `everyMs` until the returned stop is called or a beat finds the client gone. A client's
 * timeout then measures `up`'s silence, not how long a rolling restart or `logs -f` takes.
 */
export function startHeartbeat(everyMs: number | null, beat: () => boolean): () => void {
  if (everyMs === null) return () => {};
  const timer = setInterval(() => {
    if (!beat()) clearInterval(timer);
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
