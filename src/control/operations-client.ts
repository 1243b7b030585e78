/**
 * The operations of a running `up` (src/app/operations/contract.ts) as the CLI calls them: a
 * typed call per operation over the control socket. Only types come from the app layer; the
 * params are checked by the server (the same validator as the dashboard's).
 */
import type { Data, OperationName, Request, Result } from '../app/operations/contract.js';
import { ControlClient, type ControlClientOptions } from './client.js';

/** The operations that answer once; `logs` and `watch` send data first (stream). */
type StreamName = 'logs' | 'watch';
type CallName = Exclude<OperationName, StreamName>;

export class OperationsClient {
  private constructor(private readonly connection: ControlClient) {}

  /** `options.timeoutMs`: the longest silence from `up` while a call is outstanding (CONTROL_TIMEOUT). */
  static async connect(path: string, stateDir: string, options: ControlClientOptions = {}): Promise<OperationsClient> {
    return new OperationsClient(await ControlClient.connect(path, stateDir, options));
  }

  /** True once the server closed the connection (its `up` ended), as opposed to a refused connect. */
  get closedByServer(): boolean {
    return this.connection.closedByServer;
  }

  close(): void {
    this.connection.close();
  }

  call<K extends CallName>(name: K, params: Request<K> = {}): Promise<Result<K>> {
    return this.connection.call<Result<K>>(name, params);
  }

  /** `onData` for each message the operation sends; resolves with its result when it ends. */
  async stream<K extends StreamName>(name: K, params: Request<K>, onData: (data: Data<K>) => void): Promise<Result<K>> {
    let result: unknown = null;
    await this.connection.stream(
      name,
      params,
      (data) => onData(data as Data<K>),
      (r) => {
        result = r;
      },
    );
    return result as Result<K>;
  }
}
