/**
 * Runs obtainTraefik in its own process for the lock test: options as JSON in argv[2],
 * progress lines on stderr, the result as JSON on stdout.
 */
import { obtainTraefik, describeObtainProgress } from '../../../../../src/adapters/traefik/obtain/obtain-traefik.js';

const options = JSON.parse(process.argv[2] ?? '{}') as { cacheDir: string; baseUrl: string; path: string };
const result = await obtainTraefik({
  allowDownload: true,
  allowBuild: false,
  version: 'v3.6.25',
  cacheDir: options.cacheDir,
  downloadBaseUrl: options.baseUrl,
  env: { PATH: options.path },
  platform: 'linux',
  arch: 'x64',
  onProgress: (event) => process.stderr.write(`progress: ${describeObtainProgress(event)}\n`),
});
process.stdout.write(JSON.stringify(result));
