/**
 * The part of Traefik's dynamic configuration lb-dev writes, typed after Traefik's own Go structs
 * with the field names its file provider reads (the structs' json/yaml tags). From traefik/traefik
 * at tag v3.6.24:
 * - pkg/config/dynamic/config.go: Configuration, TLSConfiguration;
 * - pkg/config/dynamic/http_config.go: HTTPConfiguration, Router, Service, ServersLoadBalancer,
 *   Server, Sticky, Cookie, ServerHealthCheck, PassiveServerHealthCheck, ResponseForwarding;
 * - pkg/config/dynamic/middlewares.go: Middleware, Retry;
 * - pkg/tls/tls.go and pkg/tls/certificate.go: Store, GeneratedCert, Certificate.
 * Every Go field is `omitempty` there except ServersLoadBalancer.passHostHeader, so each one is
 * optional here. Only the fields lb-dev may use are modelled; Traefik has many more.
 */

/** paerser's types.Duration: a Go duration (`500ms`, `2s`) or a number of seconds. */
export type GoDurationText = string;

/** types.FileOrContent: a path when such a file exists, otherwise the content itself (a PEM). */
export type FileOrContent = string;

/** Configuration: the root of a dynamic config file (tcp and udp are left out). */
export interface DynamicConfiguration {
  http?: HttpConfiguration;
  tls?: TlsConfiguration;
}

/** HTTPConfiguration. Traefik rejects an empty map anywhere, so a map is either filled or absent. */
export interface HttpConfiguration {
  routers?: Record<string, Router>;
  services?: Record<string, Service>;
  middlewares?: Record<string, Middleware>;
}

/** Router. */
export interface Router {
  entryPoints?: string[];
  middlewares?: string[];
  service?: string;
  rule?: string;
  /** Default: the rule's length, so a longer rule wins. */
  priority?: number;
}

/** Service: exactly one kind at a time (weighted, mirroring, failover and highestRandomWeight left out). */
export interface Service {
  loadBalancer?: ServersLoadBalancer;
}

/** BalancerStrategy (v3.6): wrr is the default. */
export type BalancerStrategy = 'wrr' | 'p2c' | 'hrw' | 'leasttime';

/** ServersLoadBalancer. */
export interface ServersLoadBalancer {
  sticky?: Sticky;
  /** May be empty: Traefik then answers 503 "no available server". */
  servers?: Server[];
  strategy?: BalancerStrategy;
  healthCheck?: ServerHealthCheck;
  /** Since v3.6. */
  passiveHealthCheck?: PassiveServerHealthCheck;
  /** Default true. */
  passHostHeader?: boolean;
  responseForwarding?: ResponseForwarding;
  serversTransport?: string;
}

/** Server. */
export interface Server {
  url?: string;
  weight?: number;
  preservePath?: boolean;
}

/** Sticky. */
export interface Sticky {
  cookie?: Cookie;
}

/** Cookie (the sticky cookie; its value is a hash of the server's URL). */
export interface Cookie {
  name?: string;
  secure?: boolean;
  httpOnly?: boolean;
  /** `none`, `lax` or `strict`, any case (anything else leaves the attribute out). */
  sameSite?: string;
  /** Seconds. */
  maxAge?: number;
  /** Default `/`. */
  path?: string;
  domain?: string;
}

/** ServerHealthCheck: the active check of each server. */
export interface ServerHealthCheck {
  scheme?: string;
  /** `http` (default) or `grpc`. */
  mode?: string;
  path?: string;
  method?: string;
  /** The status code expected; unset = any from 200 to 399. */
  status?: number;
  port?: number;
  /** Default 30s. */
  interval?: GoDurationText;
  /** Since v3.5: the interval while the server is DOWN; default: interval. */
  unhealthyInterval?: GoDurationText;
  /** Default 5s. */
  timeout?: GoDurationText;
  hostname?: string;
  /** Default true. */
  followRedirects?: boolean;
  headers?: Record<string, string>;
}

/** PassiveServerHealthCheck: counts failed requests against their server. */
export interface PassiveServerHealthCheck {
  /** Default 10s: the window the failures must fall in, and how long the server then stays out. */
  failureWindow?: GoDurationText;
  /** Default 1. */
  maxFailedAttempts?: number;
}

/** ResponseForwarding. */
export interface ResponseForwarding {
  /** Default 100ms; negative flushes after each write. */
  flushInterval?: GoDurationText;
}

/** Middleware: exactly one kind at a time (only retry is modelled). */
export interface Middleware {
  retry?: Retry;
}

/** Retry: re-sends a request that reached no server (connection errors), never one that got a response. */
export interface Retry {
  attempts?: number;
  /** The first wait of the exponential backoff; unset = retry at once. */
  initialInterval?: GoDurationText;
}

/** TLSConfiguration (certificates and options left out). */
export interface TlsConfiguration {
  /** By store name; `default` is the store every router without its own uses. */
  stores?: Record<string, TlsStore>;
}

/** tls.Store. */
export interface TlsStore {
  defaultCertificate?: TlsCertificate;
  defaultGeneratedCert?: { resolver?: string; domain?: { main?: string; sans?: string[] } };
}

/** tls.Certificate. */
export interface TlsCertificate {
  certFile?: FileOrContent;
  keyFile?: FileOrContent;
}
