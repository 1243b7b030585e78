/**
 * Turns on V8's linear-time RegExp engine for this process when first imported: with it, a
 * RegExp built with the `l` flag runs in time linear in the line, whatever the pattern, and one
 * the engine cannot run that way is refused when built. core/text/user-pattern.ts compiles every
 * user pattern with `l`; setting a V8 flag is process-wide, so it is done here, not in the core.
 *
 * Imported, for this side effect only, by the CLI entry (src/cli/main.ts), the config loader
 * (config-file.ts) and the two runtime users (app/readiness.ts, app/restart-triggers.ts): every
 * path to a compile passes one of them whatever the import order, as patterns are compiled when a
 * config is read or an instance starts, never while modules load. Without it the compile fails
 * loudly (INTERNAL) rather than falling back to the backtracking engine.
 *
 * Why this and not re2-wasm (npm, WebAssembly, installs without a compiler): no dependency, and
 * the normal engine's parser (re2-wasm parses RE2's syntax, where JavaScript's `[^]` and `[\b]`
 * are errors, and needs the `u` flag); its last release is from 2021. Both cost about the same:
 * 6-9 µs for an ordinary line against 25-90 ns backtracking (Node 20 and 22), about 1% of a core
 * at 1,000 lines a second; readiness patterns see only the lines before ready, restartOn's only
 * its group's.
 * Why not `--enable-experimental-regexp-engine-on-excessive-backtracks`: it changes every RegExp
 * of the process, still backtracks 50,000 times per line first, and leaves patterns the linear
 * engine cannot run (backreferences) backtracking without a word.
 */
import v8 from 'node:v8';

v8.setFlagsFromString('--enable-experimental-regexp-engine');
