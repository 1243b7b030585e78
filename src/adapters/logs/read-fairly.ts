/**
 * Reads a child's output one chunk per event-loop turn. Left alone, libuv reads up to 32
 * chunks from a busy pipe in one go, so a flooding child can hold lb-dev's loop for
 * ~100 ms at a time and starve timers, probes and the log files' own writes. Pausing
 * after each chunk and resuming on setImmediate lets everything else run in between;
 * the child is slowed by the pipe instead (process-compose #57 froze children instead).
 */

/**
 * Calls `onChunk` for each chunk of `readable` and `onEnd` once it ends (or closes). Returns a
 * detach function: it stops the calls and leaves the stream flowing, so the writer
 * never blocks on a full pipe.
 */
export function readFairly(readable: NodeJS.ReadableStream, onChunk: (chunk: Buffer | string) => void, onEnd?: () => void): () => void {
  let detached = false;
  const resume = (): void => {
    if (!detached) readable.resume();
  };
  const onData = (chunk: Buffer | string): void => {
    onChunk(chunk);
    readable.pause();
    setImmediate(resume);
  };
  let ended = false;
  // 'end' after the last chunk; 'close' alone when the stream was destroyed (an error) first.
  const onStreamEnd = (): void => {
    if (detached || ended) return;
    ended = true;
    onEnd?.();
  };
  readable.on('data', onData);
  readable.once('end', onStreamEnd);
  readable.once('close', onStreamEnd);
  return () => {
    if (detached) return;
    detached = true;
    readable.removeListener('data', onData);
    readable.removeListener('end', onStreamEnd);
    readable.removeListener('close', onStreamEnd);
    readable.resume();
  };
}
