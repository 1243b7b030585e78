/**
 * The control socket, first of all: it claims the state dir (ALREADY_RUNNING when another `up`
 * answers there) before any log file is opened, and answers `status` from the start.
 */
import { operationRoutes } from '../../control/dispatch.js';
import { ControlServer } from '../../control/server.js';
import type { Operations } from '../operations.js';
import type { Part, PartStatus } from '../stack/part.js';
import type { UpContext } from './context.js';

export interface ControlPartDeps {
  /** Every operation the socket answers, each request's params checked first (operationRoutes). */
  operations: Operations;
  onRequest(method: string, outcome: string): void;
}

export class ControlPart implements Part {
  readonly name = 'control';
  private readonly server: ControlServer;
  private readonly socket: string;
  private listening = false;

  constructor(ctx: UpContext, deps: ControlPartDeps) {
    this.server = new ControlServer(ctx.layout.socket, operationRoutes(deps.operations));
    this.server.observeRequests(deps.onRequest);
    this.socket = ctx.layout.socket;
  }

  async start(): Promise<void> {
    await this.server.listen();
    this.listening = true;
  }

  /** Only a socket this run listens on is closed (and removed): a refused one belongs to the `up` that runs. */
  async stop(): Promise<void> {
    if (!this.listening) return;
    this.listening = false;
    await this.server.close();
  }

  /** False until the state dir is this run's: before that nothing may be written into it. */
  get claimed(): boolean {
    return this.listening;
  }

  status(): PartStatus {
    return { name: this.name, health: this.listening ? 'healthy' : 'stopped', detail: this.socket, restarts: 0 };
  }
}
