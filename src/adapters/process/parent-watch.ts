/**
 * Notices that the process which started lb-dev has exited. A package manager that is sent
 * SIGTERM or SIGINT does not always pass it on: yarn 1 exits and leaves its script running,
 * re-parented. Nothing tells the orphan, so it asks: once a second, whether its parent is still
 * the one it started under (getppid; a timer that does not keep the process alive).
 */
export interface ParentWatch {
  stop(): void;
}

export function watchParent(onGone: (parentPid: number) => void, everyMs = 1000): ParentWatch {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    onGone(parent);
  }, everyMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

/**
 * True when a package manager's script started this process: npm, yarn (1 and berry), pnpm and
 * bun all set npm_lifecycle_event for the script they run.
 */
export function startedByPackageManager(env: NodeJS.ProcessEnv): boolean {
  return typeof env.npm_lifecycle_event === 'string' && env.npm_lifecycle_event !== '';
}
