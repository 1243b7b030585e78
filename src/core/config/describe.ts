/**
 * The resolved config printed back in the file's shape (durations as `5s`, sizes as `10MB`)
 * for `lb-dev config`. Loading the output again gives the same config.
 */
import { Document, isScalar } from 'yaml';
import { formatDuration } from '../text/duration.js';
import { formatSize } from '../text/size.js';
import type { GroupConfig, LbDevConfig, ReadinessConfig } from './types.js';

/** The resolved config as a plain object in the user-facing (YAML) shape. */
export function configToUserShape(config: LbDevConfig): Record<string, unknown> {
  const { balancer: b, traefik: t, logs } = config;
  return {
    stateDir: config.stateDir,
    balancer: {
      host: b.host,
      port: b.port,
      stickyCookie: b.stickyCookie ?? false,
      websocketPaths: [...b.websocketPaths],
      healthCheck: b.healthCheck === null ? false : {
        path: b.healthCheck.path,
        interval: formatDuration(b.healthCheck.intervalMs),
        timeout: formatDuration(b.healthCheck.timeoutMs),
      },
      passiveHealthCheck: b.passiveHealthCheck === null ? false : {
        failureWindow: formatDuration(b.passiveHealthCheck.failureWindowMs),
        maxFailedAttempts: b.passiveHealthCheck.maxFailedAttempts,
      },
      retry: b.retry === null ? false : {
        attempts: b.retry.attempts,
        initialInterval: formatDuration(b.retry.initialIntervalMs),
      },
    },
    traefik: {
      mode: t.mode,
      image: t.image,
      binary: t.binary,
      apiPort: t.apiPort,
      apiUrl: t.apiUrl,
      network: t.network,
      throttle: formatDuration(t.throttleMs),
      confirmTimeout: formatDuration(t.confirmTimeoutMs),
      accessLog: t.accessLog,
    },
    logs: {
      maxFileSize: formatSize(logs.maxFileBytes),
      maxFiles: logs.maxFiles,
      ringBufferLines: logs.ringBufferLines,
    },
    groups: Object.fromEntries(config.groups.map((group) => [group.name, groupToUserShape(group)])),
  };
}

function groupToUserShape(group: GroupConfig): Record<string, unknown> {
  const r = group.restart;
  return {
    command: group.command,
    instances: group.instances,
    cwd: group.cwd,
    env: { ...group.env },
    reservePorts: group.reservePorts,
    readiness: readinessToUserShape(group.readiness),
    restart: {
      enabled: r.enabled,
      initialDelay: formatDuration(r.initialDelayMs),
      maxDelay: formatDuration(r.maxDelayMs),
      multiplier: r.multiplier,
      jitter: r.jitter,
      resetAfter: formatDuration(r.resetAfterMs),
    },
    stopGracePeriod: formatDuration(group.stopGraceMs),
  };
}

function readinessToUserShape(readiness: ReadinessConfig): Record<string, unknown> {
  const http = readiness.http;
  return {
    http: http === null ? false : {
      path: http.path,
      interval: formatDuration(http.intervalMs),
      timeout: formatDuration(http.timeoutMs),
      expectStatus: http.expectStatus.min === http.expectStatus.max ? http.expectStatus.min : `${http.expectStatus.min}-${http.expectStatus.max}`,
    },
    logPattern: readiness.logPattern,
    startTimeout: formatDuration(readiness.startTimeoutMs),
    failureThreshold: readiness.failureThreshold,
    successThreshold: readiness.successThreshold,
  };
}

/** YAML text of the resolved config, headed by where it came from. */
export function configToYaml(config: LbDevConfig): string {
  const doc = new Document(configToUserShape(config));
  doc.commentBefore = config.source === null
    ? ' lb-dev configuration: defaults and flags (no config file)'
    : ` lb-dev configuration: ${config.source} with defaults and flags applied`;
  if (config.usingDemoApp) {
    const command = doc.getIn(['groups', config.groups[0]?.name ?? 'app', 'command'], true);
    if (isScalar(command)) command.comment = ' the built-in demo app: no command is configured';
  }
  return doc.toString({ lineWidth: 0 });
}
