/**
 * The route reconciler's former home: src/app/routes/route-reconciler.ts owns the routes now.
 * These names stay for the code that imports them from here (the status report, the Traefik watch).
 */
export { RouteReconciler as RouteSync, type RouteReconcilerOptions as RouteSyncOptions } from './routes/route-reconciler.js';
export type { RouteEvents, RouteSyncEvents, RouteSyncStatus } from './routes/route-events.js';
