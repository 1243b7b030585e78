// A seeded, reproducible mini-fuzz of the control socket: a few hundred random and mutated
// request lines, each of which must get exactly one answer that is a success or a coded
// error, with the server alive at the end. Set LB_DEV_FUZZ_SEED to replay another seed.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ControlServer } from '../../../src/control/server.js';
import { ERROR_CODES } from '../../../src/core/errors.js';
import { prng } from '../../helpers/fuzz.js';
import { rawClient } from './raw-client.js';

const SEED = Number(process.env['LB_DEV_FUZZ_SEED'] ?? 20251125);

const KEYS = ['id', 'method', 'params', '__proto__', 'constructor', 'prototype', 'toString', 'x'];
const METHODS = ['echo', 'fail', 'nope', '__proto__', 'constructor', 'hasOwnProperty', 'valueOf', ''];

function generator(random: () => number) {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const int = (n: number) => Math.floor(random() * n);
  const value = (depth: number): unknown => {
    switch (int(depth > 2 ? 6 : 8)) {
      case 0:
        return null;
      case 1:
        return random() < 0.5;
      case 2:
        return pick([0, -1, 1.5, -0, 1e308, Number.MAX_SAFE_INTEGER + 2, int(1000)]);
      case 3:
        return pick(['', 'hello', '\u0000', '\u2028', 'é', '"', '\\', '{']);
      case 4:
        return pick(METHODS);
      case 5:
        return int(100);
      case 6:
        return Array.from({ length: int(4) }, () => value(depth + 1));
      default: {
        // Null prototype: a `__proto__` key becomes an own property that JSON.stringify writes.
        const object: Record<string, unknown> = Object.create(null);
        for (let i = int(4); i > 0; i--) object[pick(KEYS)] = value(depth + 1);
        return object;
      }
    }
  };
  const request = (): Record<string, unknown> => {
    const r: Record<string, unknown> = Object.create(null);
    r['id'] = int(1000);
    r['method'] = pick(METHODS);
    if (random() < 0.7) r['params'] = random() < 0.8 ? { a: value(1) } : value(1);
    return r;
  };
  /** One line without a newline: a valid-looking request, mutated in one of several ways. */
  return (): string => {
    const base = request();
    switch (int(7)) {
      case 0:
        return JSON.stringify(base);
      case 1:
        return JSON.stringify(value(0)) ?? 'undefined';
      case 2:
        base[pick(KEYS)] = value(0);
        return JSON.stringify(base);
      case 3:
        delete base[pick(['id', 'method', 'params'])];
        return JSON.stringify(base);
      case 4: {
        const text = JSON.stringify(base);
        return text.slice(0, int(text.length)) || '{';
      }
      case 5: {
        const text = JSON.stringify(base);
        const at = int(text.length);
        return text.slice(0, at) + pick(['"', '}', '{', ',', ':', '\\', 'ÿ', ']', '0']) + text.slice(at);
      }
      default:
        return Array.from({ length: 1 + int(30) }, () => String.fromCharCode(32 + int(95))).join('');
    }
  };
}

const cleanups: Array<() => unknown> = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

test(`fuzz (seed ${SEED}): 400 random lines, each answered with a success or a coded error; the server lives`, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'lbdf-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const path = join(dir, 'lb-dev.sock');
  const server = new ControlServer(path, {
    echo: async ({ params }) => ({ got: params }),
    fail: async ({ params }) => {
      throw params['a'] ?? null;
    },
  });
  await server.listen();
  cleanups.push(() => server.close());
  const client = await rawClient(path);
  cleanups.push(() => {
    client.socket.destroy();
  });
  const next = generator(prng(SEED));
  const seen = new Map<string, number>();
  for (let i = 0; i < 400; i++) {
    const line = next();
    if (!line.trim()) continue; // blank lines are skipped by design, with no answer
    const reply = (await client.ask(line)) as Record<string, unknown>;
    const context = `line ${i} ${JSON.stringify(line)} -> ${JSON.stringify(reply)}`;
    assert.equal(typeof reply, 'object', context);
    assert.equal(typeof reply['id'], 'number', context);
    if (Object.hasOwn(reply, 'result')) {
      seen.set('result', (seen.get('result') ?? 0) + 1);
    } else {
      const error = reply['error'] as { code: string; message: string };
      assert.ok(Object.hasOwn(ERROR_CODES, error.code), context);
      assert.equal(typeof error.message, 'string', context);
      seen.set(error.code, (seen.get(error.code) ?? 0) + 1);
    }
  }
  // The mix covers every kind of answer (else the generator has drifted into one corner).
  for (const kind of ['result', 'BAD_REQUEST', 'CONTROL_PROTOCOL', 'INTERNAL']) assert.ok(seen.get(kind), `${kind} in ${JSON.stringify([...seen])}`);
  assert.deepEqual(await client.ask('{"id":1,"method":"echo","params":{"ok":true}}'), { id: 1, result: { got: { ok: true } } });
});
