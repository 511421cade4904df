#!/usr/bin/env node
// Bundles the integration tests for the extension host: test/integration/index.ts and every
// test/integration/**/*.test.ts -> dist/test/integration/ (same relative paths, .js).
// Each test file is its own bundle (it may import src/ freely); `vscode` comes from the host and
// `mocha` from node_modules (the bundles stay inside the repo, so require() finds it).
const esbuild = require('esbuild');
const fs = require('fs');
const path = require('path');

const ROOT = path.join(__dirname, '..');
const SOURCE = path.join('test', 'integration');
const OUT = path.join(ROOT, 'dist', 'test', 'integration');

function testFiles(dir) {
  const found = [];
  for (const entry of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    const relative = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...testFiles(relative));
    else if (entry.name.endsWith('.test.ts')) found.push(relative);
  }
  return found.sort();
}

/** Builds the bundles; returns the path of the tests module (index.js) to give VS Code. */
async function buildIntegrationTests() {
  const tests = testFiles(SOURCE);
  // Bundles of deleted tests would still run. (Only those go: a run in parallel may be reading the rest.)
  const wanted = new Set(tests.map((file) => path.relative(SOURCE, file).replace(/\.ts$/, '.js')));
  for (const old of fs.existsSync(OUT) ? fs.readdirSync(OUT, { recursive: true }) : []) {
    if (String(old).endsWith('.test.js') && !wanted.has(String(old))) fs.rmSync(path.join(OUT, String(old)));
  }
  await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: [path.join(SOURCE, 'index.ts'), ...tests],
    outbase: SOURCE,
    outdir: OUT,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'inline',
    external: ['vscode', 'mocha'],
    logLevel: 'warning',
  });
  return path.join(OUT, 'index.js');
}

module.exports = { buildIntegrationTests };

if (require.main === module) {
  buildIntegrationTests().then(
    (index) => console.log(`built ${path.relative(ROOT, index)}`),
    (e) => {
      console.error(e.message || e);
      process.exit(1);
    },
  );
}
