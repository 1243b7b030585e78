// PortAllocator and the port checks against real sockets on 127.0.0.1.
import assert from 'node:assert/strict';
import { type Server, createServer } from 'node:net';
import { after, test } from 'node:test';
import getPort from 'get-port';
import { PortAllocator, assertPortFree, claimListenPort, ephemeralStart, isPortFree, portCandidates } from '../../../src/adapters/ports.js';
import { isLbDevError } from '../../../src/core/errors.js';

const HOST = '127.0.0.1';
const servers: Server[] = [];
after(() => Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r())))));

async function listen(port: number): Promise<Server> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, HOST, () => resolve());
  });
  servers.push(server);
  return server;
}

test('allocate() hands out distinct ports, never a reserved one, each free to bind', async () => {
  const allocator = new PortAllocator(HOST);
  const reserved = await Promise.all([getPort({ host: HOST }), getPort({ host: HOST }), getPort({ host: HOST })]);
  allocator.reserve(...reserved);
  const got: number[] = [];
  for (let i = 0; i < 40; i++) got.push(...(await allocator.allocate()));
  assert.equal(new Set(got).size, got.length, 'all distinct');
  for (const port of got) assert.ok(!reserved.includes(port), `${port} is reserved`);
  // Each is really free: bind them all at once.
  for (const port of got.slice(0, 10)) await listen(port);
});

test('allocate() in parallel still never hands the same port out twice', async () => {
  const allocator = new PortAllocator(HOST);
  const blocks = await Promise.all(Array.from({ length: 20 }, () => allocator.allocate()));
  const ports = blocks.flat();
  assert.equal(new Set(ports).size, ports.length);
});

test('allocate(extra) gives consecutive free blocks that do not overlap', async () => {
  const allocator = new PortAllocator(HOST);
  const blocks: number[][] = [];
  for (let i = 0; i < 8; i++) blocks.push(await allocator.allocate(2));
  for (const block of blocks) {
    assert.equal(block.length, 3);
    assert.deepEqual(block, [block[0]!, block[0]! + 1, block[0]! + 2], 'consecutive');
    for (const port of block) assert.equal(await isPortFree(port, HOST), true, `${port} free`);
  }
  const all = blocks.flat();
  assert.equal(new Set(all).size, all.length, 'blocks do not overlap');
});

test("allocate(extra) in parallel: blocks never overlap (an instance's extra port is never another's port)", async () => {
  // Instances start together, so their allocate() calls interleave across the awaits.
  let overlapping = 0;
  for (let round = 0; round < 30; round++) {
    const allocator = new PortAllocator(HOST);
    const blocks = await Promise.all(Array.from({ length: 30 }, () => allocator.allocate(8)));
    const all = blocks.flat();
    if (new Set(all).size !== all.length) overlapping++;
  }
  assert.equal(overlapping, 0, `${overlapping} of 30 rounds handed out overlapping blocks`);
});

test('allocate(extra) skips a block whose extra port is taken', async () => {
  // Find a port p with p+1 busy, then make p the only candidate get-port could return is hard;
  // instead check the invariant over many allocations with some neighbours taken.
  const allocator = new PortAllocator(HOST);
  const busy: number[] = [];
  for (let i = 0; i < 5; i++) {
    const [p] = await allocator.allocate(1);
    allocator.release(p!, p! + 1);
    await listen(p! + 1);
    busy.push(p! + 1);
  }
  for (let i = 0; i < 10; i++) {
    const block = await allocator.allocate(1);
    for (const port of block) assert.ok(!busy.includes(port), `${port} is bound by another server`);
  }
});

test('release() makes a port available again', async () => {
  const allocator = new PortAllocator(HOST);
  const [port] = await allocator.allocate();
  allocator.release(port!);
  allocator.reserve(port!);
  const [next] = await allocator.allocate();
  assert.notEqual(next, port);
});

test('isPortFree / assertPortFree: PORT_IN_USE (exit 3) when a server listens there', async () => {
  const port = await getPort({ host: HOST });
  assert.equal(await isPortFree(port, HOST), true);
  await assertPortFree(port, HOST, 'the balancer');
  await listen(port);
  assert.equal(await isPortFree(port, HOST), false);
  await assert.rejects(assertPortFree(port, HOST, 'the balancer'), (error: unknown) => {
    assert.ok(isLbDevError(error));
    assert.equal(error.code, 'PORT_IN_USE');
    assert.equal(error.exitCode, 3);
    assert.match(error.message, new RegExp(`the balancer port ${port} on ${HOST}`));
    assert.match(error.fix, new RegExp(`\`lsof -nP -iTCP:${port} -sTCP:LISTEN\``), 'the fix names the port, with a command Linux and macOS both have');
    assert.doesNotMatch(error.fix, /:PORT\b/);
    return true;
  });
});

test('claimListenPort: auto = a free one; a default port that is taken gives way; a set one is PORT_IN_USE; reserved either way', async () => {
  const port = await getPort({ host: HOST });
  const opts = { host: HOST, what: "Traefik's API", setting: 'traefik.apiPort' };
  const kept = new PortAllocator(HOST);
  assert.deepEqual(await claimListenPort(port, kept, { ...opts, explicit: true }), { port, movedFrom: null }, 'free: kept, set or not');
  assert.deepEqual(await claimListenPort(port, new PortAllocator(HOST), { ...opts, explicit: false }), { port, movedFrom: null });
  const auto = await claimListenPort('auto', kept, { ...opts, explicit: false });
  assert.equal(auto.movedFrom, null);
  assert.notEqual(auto.port, port, 'a reserved port is never handed out again');

  await listen(port);
  const balancer = await getPort({ host: HOST });
  const ports = new PortAllocator(HOST);
  ports.reserve(balancer);
  const moved = await claimListenPort(port, ports, { ...opts, explicit: false });
  assert.equal(moved.movedFrom, port);
  assert.notEqual(moved.port, port);
  assert.notEqual(moved.port, balancer, "never a reserved port (the balancer's)");
  assert.equal(await isPortFree(moved.port, HOST), true);

  await assert.rejects(claimListenPort(port, ports, { ...opts, explicit: true }), (error: unknown) => {
    assert.ok(isLbDevError(error));
    assert.equal(error.code, 'PORT_IN_USE');
    assert.match(error.message, new RegExp(`Traefik's API port ${port}`));
    assert.match(error.fix, /traefik\.apiPort/);
    return true;
  });
});

test('a server on 0.0.0.0 also makes the loopback port busy', async () => {
  const port = await getPort({ host: HOST });
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(port, '0.0.0.0', () => resolve()));
  servers.push(server);
  assert.equal(await isPortFree(port, HOST), false);
});

test("portCandidates: random ports from 10000 up to the ephemeral range, never MongoDB's", () => {
  // A "random" that first lands on MongoDB's three ports, which must be skipped, then spreads out.
  const at = (port: number) => (port - 10_000 + 0.5) / (32_768 - 10_000);
  const draws = [at(27017), at(27018), at(27019), at(10_000), at(32_767)];
  let i = 0;
  const random = () => draws[i++] ?? (i * 0.618_033) % 1;
  const candidates = portCandidates(32_768, 200, random);
  assert.equal(candidates.length, 200);
  assert.deepEqual(candidates.slice(0, 2), [10_000, 32_767], 'the MongoDB draws were skipped');
  for (const port of candidates) assert.ok(port >= 10_000 && port < 32_768, `${port} in [10000, 32768)`);
  for (const mongo of [27017, 27018, 27019]) assert.ok(!candidates.includes(mongo), `${mongo} skipped`);
});

test('portCandidates: none without a known ephemeral range, or with one that leaves no room below it', () => {
  assert.deepEqual(portCandidates(null), []);
  assert.deepEqual(portCandidates(10_500), []);
});

test("allocate() picks below the kernel's ephemeral range, where outgoing connections cannot take the port", async () => {
  const start = await ephemeralStart();
  assert.ok(start !== null, 'the ephemeral range is known here (Linux: /proc/sys/net/ipv4/ip_local_port_range; macOS: sysctl)');
  const allocator = new PortAllocator(HOST);
  for (let n = 0; n < 20; n++) {
    const [port] = await allocator.allocate();
    assert.ok(port! >= 10_000 && port! < start, `${port} below ${start}`);
  }
});

test('instancePorts: every instance port (and its extra ports) inside the range; a taken one is skipped; claimListenPort is not bound to it', async () => {
  const range = { first: 20_000, last: 20_019 };
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(20_000, '127.0.0.1', resolve));
  try {
    const ports = new PortAllocator('127.0.0.1', range);
    const handed: number[] = [];
    for (let i = 0; i < 6; i++) handed.push(...(await ports.allocate(1)));
    assert.equal(new Set(handed).size, handed.length, `distinct: ${handed}`);
    for (const port of handed) assert.ok(port > range.first && port <= range.last, `${port} in 20001-20019 (20000 is taken)`);
    const api = await claimListenPort('auto', ports, { host: '127.0.0.1', explicit: false, what: "Traefik's API", setting: '--api-port' });
    assert.ok(api.port < range.first || api.port > range.last, `a listen port of lb-dev's own is not taken from the range: ${api.port}`);
    // 20 ports, 1 taken, 12 handed out: 7 left, so no room for 4 blocks of 2... or for 8 single ports.
    await assert.rejects(
      async () => {
        for (let i = 0; i < 8; i++) await ports.allocate();
      },
      (error: unknown) => isLbDevError(error) && error.code === 'PORT_IN_USE' && /in instancePorts 20000-20019/.test(error.message),
    );
  } finally {
    blocker.close();
  }
});
