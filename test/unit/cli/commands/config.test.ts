// `lb-dev config` (src/cli/commands/config.ts) run as users run it, from src/cli/main.ts: a log
// pattern's adjacent repetitions are warned about on stderr, naming the part and its line, with
// the config still printed on stdout; what the linear engine cannot run is refused (CONFIG_INVALID).
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { parse } from 'yaml';
import { runCli } from '../../../helpers/lb-dev/index.js';

let dir = '';
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lbdt-config-cmd-'));
});
after(() => rm(dir, { recursive: true, force: true }));

async function configFile(name: string, text: string): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, text);
  return file;
}

test('lb-dev config warns about `a*a*a*a*` in readiness.logPattern, with its line, and prints the config', async () => {
  const file = await configFile('adjacent.yaml', ['command: node app.js', 'readiness:', '  http: false', '  logPattern: "a*a*a*a*b"', ''].join('\n'));
  const run = await runCli(['config', '--config', file]);
  assert.equal(run.code, 0, run.stderr);
  assert.match(
    run.stderr,
    /^lb-dev: warning line 4: readiness\.logPattern: `a\*a\*a\*a\*`: adjacent repetitions that match the same characters; harmless here \(lb-dev's engine is linear\)/,
  );
  assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
  const printed = parse(run.stdout) as { groups: { app: { readiness: { logPattern: string } } } };
  assert.equal(printed.groups.app.readiness.logPattern, 'a*a*a*a*b');
});

test('lb-dev config refuses a lookahead in restartOn.logPattern with CONFIG_INVALID, naming it and what to do', async () => {
  const file = await configFile(
    'lookahead.yaml',
    [
      'groups:',
      '  dev: { command: node dev.js }',
      '  web:',
      '    command: node web.js',
      '    restartOn: { logFrom: dev, logPattern: "restarted(?= ok)" }',
      '',
    ].join('\n'),
  );
  const run = await runCli(['config', '--config', file]);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /\[CONFIG_INVALID\]/);
  assert.match(run.stderr, /line 5: groups\.web\.restartOn\.logPattern: expected a regular expression lb-dev can match in linear time/);
  assert.match(run.stderr, /`\(\?= ok\)` is a lookahead: match the text itself/);
});
