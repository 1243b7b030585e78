/** The one door from outside to an operation: check the params as sent, then call the typed method. */
import type { Data, OperationName, Operations, Result, Stream } from './contract.js';
import { parseParams } from './params.js';

/** For the operations that send nothing before their result. */
export const NO_STREAM: Stream<never> = { send: () => false, closed: new Promise(() => {}), buffered: () => 0 };

export async function invoke<K extends OperationName>(
  operations: Pick<Operations, K>,
  name: K,
  raw: unknown,
  out: Stream<Data<K>> = NO_STREAM,
): Promise<Result<K>> {
  const params = parseParams(name, raw);
  // Each method takes its own Params<K>; TypeScript cannot follow K through the lookup.
  const method = operations[name] as unknown as (params: unknown, out: Stream<Data<K>>) => Promise<Result<K>>;
  return method.call(operations, params, out);
}
