#!/usr/bin/env node
// Refreshes docs/screenshots/*.png from the dashboard's browser tests: runs test/web (which save a
// screenshot of every page into test-results/screenshots) and copies the pages the README shows.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
// The pages the README shows.
const PAGES = ['overview', 'attribution', 'journeys', 'funnels', 'retention'];

const run = spawnSync(process.execPath, [path.join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', 'test/web'], { cwd: root, stdio: 'inherit' });
if (run.status !== 0) {
  console.error('the dashboard tests failed: screenshots were not refreshed');
  process.exit(run.status ?? 1);
}
const from = path.join(root, 'test-results', 'screenshots');
const to = path.join(root, 'docs', 'screenshots');
fs.mkdirSync(to, { recursive: true });
for (const page of PAGES) {
  const file = path.join(from, `${page}.png`);
  if (!fs.existsSync(file)) {
    console.error(`missing ${path.relative(root, file)}: the ${page} test saves no screenshot`);
    process.exitCode = 1;
    continue;
  }
  fs.copyFileSync(file, path.join(to, `${page}.png`));
  console.log(`docs/screenshots/${page}.png`);
}
