/**
 * The harness for tests that run the real `lb-dev` CLI: a Workspace (temp dir, config, state
 * dir), LbDevRun (one `up` process and its status over the control socket), client commands,
 * and cleanup by the LB_DEV_STATE_DIR marker and the state-dir Docker label.
 */
export { type CliResult, CLI, FIXTURES, ROOT, type RunningCli, TSX, fixture, nodeFixture, runCli } from './cli.js';
export { cleanupAll } from './cleanup.js';
export { checkKillAndReturn, checkReachesAll, checkSticky, checkWebSockets, type KillFigures, STICKY_COOKIE, startAndWaitReady } from './demo-checks.js';
export { type InfoAnswer, type WsEcho, info, wsEcho } from './demo-client.js';
export { killHard, markedProcesses, pidAlive } from './processes.js';
export { LbDevRun, READY_TIMEOUT_MS, type RunOptions } from './run.js';
export { briefStatus, instanceOf, serverFor } from './status.js';
export { FAST_GROUP, type GroupSpec, SERVICE, Workspace, type WorkspaceOptions, demoGroups } from './workspace.js';
export { waitUntil } from '../wait.js';
