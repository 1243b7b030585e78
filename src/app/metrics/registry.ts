/**
 * The prom-client objects for the metric table (src/core/metrics/catalog.ts), in a Registry
 * of lb-dev's own (never prom-client's global one: tests and embedders may run several).
 *
 * No default process metrics: prom-client's event-loop-lag monitor samples every 10 ms for
 * the life of the process, and `up` is meant to idle at ~0% CPU; the supervisor's own
 * memory and CPU are not what people watch here.
 *
 * prom-client through its package index, its only public entry (it has no "exports" map).
 * The index also loads what lb-dev never calls (Summary and tdigest, the push gateway with
 * node:https and zlib, the cluster aggregator, the default metrics and OpenTelemetry's API):
 * measured in a process serving one exposition, 88 files instead of 8 (51 of them OpenTelemetry's)
 * and ~3.7 MB more VmRSS than loading the four classes' own files: the price of the public API.
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { METRICS, type MetricSpec } from '../../core/metrics/catalog.js';

export interface LbDevRegistry {
  registry: Registry;
  instanceState: Gauge;
  instanceInBalancer: Gauge;
  restarts: Counter;
  crashExits: Counter;
  readySeconds: Histogram;
  requests: Counter;
  requestErrors: Counter;
  requestsWithoutBackend: Counter;
  routeWrites: Counter;
  routeProblems: Counter;
  exitToWrittenSeconds: Histogram;
  writtenToConfirmedSeconds: Histogram;
  controlRequests: Counter;
}

/** Fills a metric from a snapshot when a scrape asks for it (so nothing runs between scrapes). */
export type Collector<M> = (metric: M) => void;

export interface SnapshotCollectors {
  instanceState: Collector<Gauge>;
  instanceInBalancer: Collector<Gauge>;
  requests: Collector<Counter>;
  requestErrors: Collector<Counter>;
  requestsWithoutBackend: Collector<Counter>;
}

export function createLbDevRegistry(collectors: SnapshotCollectors): LbDevRegistry {
  const registry = new Registry();
  const base = (spec: MetricSpec) => ({ name: spec.name, help: spec.help, labelNames: [...spec.labels], registers: [registry] });
  const counter = (spec: MetricSpec, collect?: Collector<Counter>) =>
    new Counter({
      ...base(spec),
      ...(collect
        ? {
            collect(this: Counter) {
              collect(this);
            },
          }
        : {}),
    });
  const gauge = (spec: MetricSpec, collect: Collector<Gauge>) =>
    new Gauge({
      ...base(spec),
      collect(this: Gauge) {
        collect(this);
      },
    });
  const histogram = (spec: MetricSpec) => new Histogram({ ...base(spec), buckets: [...spec.buckets!] });
  return {
    registry,
    instanceState: gauge(METRICS.instanceState, collectors.instanceState),
    instanceInBalancer: gauge(METRICS.instanceInBalancer, collectors.instanceInBalancer),
    restarts: counter(METRICS.restarts),
    crashExits: counter(METRICS.crashExits),
    readySeconds: histogram(METRICS.readySeconds),
    requests: counter(METRICS.requests, collectors.requests),
    requestErrors: counter(METRICS.requestErrors, collectors.requestErrors),
    requestsWithoutBackend: counter(METRICS.requestsWithoutBackend, collectors.requestsWithoutBackend),
    routeWrites: counter(METRICS.routeWrites),
    routeProblems: counter(METRICS.routeProblems),
    exitToWrittenSeconds: histogram(METRICS.exitToWrittenSeconds),
    writtenToConfirmedSeconds: histogram(METRICS.writtenToConfirmedSeconds),
    controlRequests: counter(METRICS.controlRequests),
  };
}
