#!/usr/bin/env node
// The dashboard's page is plain files (src/dashboard/assets/*), served as they are: tsc does
// not copy them, so the build does (`npm run build` = tsc + this). No bundler, no build at run time.
import { cpSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
cpSync(join(root, 'src', 'dashboard', 'assets'), join(root, 'dist', 'dashboard', 'assets'), { recursive: true });
