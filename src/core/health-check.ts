/**
 * The header that marks a health check (Traefik's active check, as lb-dev's dynamic config
 * asks it to send, and lb-dev's own readiness probe): not user traffic, so an app (the demo
 * does) can leave it out of its request log and counts.
 */
export const HEALTH_CHECK_HEADER = 'X-LB-Dev-Health';
