// The shape of src's import graph: no circles (type-only and dynamic imports count: a circle
// usually means an interface lives in the wrong file), a pure core (no adapters, app or other
// outer layer, no Node module that does I/O), and dockerode only in the adapters.
// Import lines are read with a few patterns that fit how src writes them (declarations at the
// start of a line, dynamic imports with a literal); the first tests check those patterns.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { ROOT } from '../../helpers/lb-dev/index.js';

const SRC = join(ROOT, 'src');

/** Node modules the core must not import: they touch files, sockets, processes or time. */
const IMPURE_NODE_MODULES = new Set([
  'fs',
  'fs/promises',
  'net',
  'child_process',
  'http',
  'https',
  'http2',
  'dgram',
  'tls',
  'dns',
  'dns/promises',
  'cluster',
  'worker_threads',
  'timers',
  'timers/promises',
  'readline',
  'inspector',
]);
/** The layers around the core (src/<dir>): the core imports none of them. */
const OUTER_LAYERS = ['adapters', 'app', 'cli', 'control', 'dashboard', 'demo'];

/** Every module specifier a TypeScript file imports or re-exports, statically or with import(). */
export function importSpecifiers(text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, (comment) => comment.replace(/[^\n]/g, ' '));
  const found: string[] = [];
  const patterns = [
    // import x from '...'; import { a, b } from '...'; import type ...; export { x } from '...'; export * from '...'
    /^[ \t]*(?:import|export)\b[^;'"`]*?\bfrom\s*['"]([^'"]+)['"]/gm,
    // import '...' (for its effects)
    /^[ \t]*import\s*['"]([^'"]+)['"]/gm,
    // await import('...')
    /(?<![\w$.])import\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const pattern of patterns) {
    for (const match of code.matchAll(pattern)) {
      // After a line comment's `//` (at the line's start or after a space; a URL's `://` is not one).
      const before = code.slice(code.lastIndexOf('\n', match.index) + 1, match.index);
      if (!/(^|\s)\/\//.test(before)) found.push(match[1]!);
    }
  }
  return found;
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return tsFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

interface ImportGraph {
  /** src-relative file -> src-relative files it imports. */
  edges: Map<string, string[]>;
  /** src-relative file -> packages and Node modules it imports. */
  external: Map<string, string[]>;
  unresolved: string[];
}

function readGraph(): ImportGraph {
  const graph: ImportGraph = { edges: new Map(), external: new Map(), unresolved: [] };
  for (const file of tsFiles(SRC)) {
    const from = relative(SRC, file);
    const local: string[] = [];
    const external: string[] = [];
    for (const specifier of importSpecifiers(readFileSync(file, 'utf8'))) {
      if (!specifier.startsWith('.')) {
        external.push(specifier);
        continue;
      }
      const target = resolve(dirname(file), specifier.replace(/\.js$/, '.ts'));
      if (existsSync(target) && target.startsWith(SRC)) local.push(relative(SRC, target));
      else graph.unresolved.push(`${from}: ${specifier}`);
    }
    graph.edges.set(from, [...new Set(local)]);
    graph.external.set(from, [...new Set(external)]);
  }
  return graph;
}

/**
 * Circles as the files along them (the first repeated at the end), each once, sorted. One per
 * back edge of a depth-first walk: not every circle of a tangle, but never none when there is one.
 */
export function findCircles(edges: ReadonlyMap<string, readonly string[]>): string[][] {
  const circles = new Map<string, string[]>();
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (node: string): void => {
    state.set(node, 'open');
    path.push(node);
    for (const next of edges.get(node) ?? []) {
      if (state.get(next) === 'open') {
        const circle = path.slice(path.indexOf(next));
        // The same circle found from another file: keyed by its rotation that starts smallest.
        const start = circle.indexOf([...circle].sort()[0]!);
        const rotated = [...circle.slice(start), ...circle.slice(0, start)];
        circles.set(rotated.join(' > '), [...rotated, rotated[0]!]);
      } else if (!state.has(next)) {
        visit(next);
      }
    }
    path.pop();
    state.set(node, 'done');
  };
  for (const node of [...edges.keys()].sort()) if (!state.has(node)) visit(node);
  return [...circles.keys()].sort().map((key) => circles.get(key)!);
}

describe('reading import lines', () => {
  it('finds static, type-only, multi-line, re-exported, side-effect and dynamic imports', () => {
    const text = [
      "import { a } from './a.js';",
      "import type { B } from '../b.js';",
      'import {',
      '  c,',
      '  type D,',
      "} from './c.js';",
      "export type { E } from './e.js';",
      "export * from './f.js';",
      "import './g.js';",
      "import Docker from 'dockerode';",
      'async function load() {',
      "  const { H } = await import('./h.js');",
      '}',
    ].join('\n');
    assert.deepEqual(importSpecifiers(text).sort(), ['../b.js', './a.js', './c.js', './e.js', './f.js', './g.js', './h.js', 'dockerode']);
  });

  it('skips comments and code that only looks like an import', () => {
    const text = [
      "// import { x } from './line-comment.js';",
      "/* import { y } from './block-comment.js'; */",
      "const text = 'taken from the config';",
      "export const name = 'x';",
      "lazy.import('./method-call.js');",
    ].join('\n');
    assert.deepEqual(importSpecifiers(text), []);
  });
});

describe('finding circles', () => {
  it('finds each circle once, whatever file the walk starts from', () => {
    const edges = new Map([
      ['a', ['b']],
      ['b', ['c', 'a']],
      ['c', ['b']],
      ['d', ['a']],
      ['e', ['e']],
    ]);
    assert.deepEqual(findCircles(edges), [
      ['a', 'b', 'a'],
      ['b', 'c', 'b'],
      ['e', 'e'],
    ]);
  });
  it('finds none in a graph without one', () => {
    assert.deepEqual(
      findCircles(
        new Map([
          ['a', ['b', 'c']],
          ['b', ['c']],
          ['c', []],
        ]),
      ),
      [],
    );
  });
});

describe('the import graph of src', () => {
  const graph = readGraph();

  it('resolves every relative import to a file in src', () => {
    assert.ok(graph.edges.size > 100, `read ${graph.edges.size} files`);
    // Known edges: a dynamic import, a multi-line one.
    assert.ok(graph.edges.get('app/traefik/create-runtime.ts')?.includes('app/traefik/docker-runtime.ts'), 'create-runtime > docker-runtime');
    assert.ok(graph.edges.get('app/traefik/docker-runtime.ts')?.includes('core/traefik/container-spec.ts'), 'docker-runtime > container-spec');
    assert.deepEqual(graph.unresolved, []);
  });

  it('has no circles', () => {
    const circles = findCircles(graph.edges).map((circle) => circle.join(' > '));
    assert.deepEqual(circles, [], `move the shared type into a file of its own:\n${circles.join('\n')}`);
  });

  it('keeps the core pure: no outer layer, no Node module that does I/O', () => {
    const problems: string[] = [];
    for (const [file, targets] of graph.edges) {
      if (!file.startsWith('core/')) continue;
      for (const target of targets) {
        if (OUTER_LAYERS.some((layer) => target.startsWith(`${layer}/`))) problems.push(`${file} imports ${target}`);
      }
      for (const module of graph.external.get(file) ?? []) {
        if (IMPURE_NODE_MODULES.has(module.replace(/^node:/, ''))) problems.push(`${file} imports ${module}`);
      }
    }
    assert.deepEqual(problems, []);
  });

  it('imports dockerode in src/adapters only', () => {
    const dockerode = (module: string) => module === 'dockerode' || module.startsWith('dockerode/');
    const outside = [...graph.external].filter(([file, modules]) => !file.startsWith('adapters/') && modules.some(dockerode));
    assert.deepEqual(
      outside.map(([file]) => file),
      [],
    );
  });
});
