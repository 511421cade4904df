#!/usr/bin/env node
// `npm start`: Casebook in development mode on practice/sample.
// With a desktop VS Code (`code` on PATH) it opens that; otherwise (or with --web) it serves a real
// VS Code in the browser (code-server on 127.0.0.1, port $PORT or 8080 or the first free one) and
// stays in the foreground until Ctrl+C. Settings and state persist in .cache/start/.
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');
const { setup, ROOT } = require('./setup');

const SAMPLE = path.join(ROOT, 'practice', 'sample');
const STATE = path.join(ROOT, '.cache', 'start');

function onPath(command) {
  return (process.env.PATH || '').split(path.delimiter).some((dir) => fs.existsSync(path.join(dir, command)));
}

async function main() {
  const desktop = onPath('code') && !process.argv.includes('--web');
  setup({ codeServer: !desktop });
  const build = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'build.js')], { stdio: 'inherit', cwd: ROOT });
  if (build.status !== 0) return 1;

  if (desktop) {
    console.log(`start: opening VS Code with Casebook in development mode on ${path.relative(ROOT, SAMPLE)}`);
    const code = spawnSync('code', [`--extensionDevelopmentPath=${ROOT}`, SAMPLE], { stdio: 'inherit' });
    return code.status ?? 1;
  }

  // Loaded only now: it needs node_modules (playwright-core), which setup() may just have installed.
  const { startCodeServer, workbenchUrl } = require('../test/runner/codeServer');
  fs.mkdirSync(STATE, { recursive: true });
  const server = await startCodeServer({
    folder: SAMPLE,
    stateDir: STATE,
    port: Number(process.env.PORT) || 8080,
    label: 'start',
  });
  const url = workbenchUrl(server, { folder: SAMPLE, extensionDevelopmentPath: ROOT });
  console.log(
    [
      '',
      'Casebook is running in VS Code (code-server) with the extension in development mode. Open:',
      '',
      `  ${url}`,
      '',
      'After changing the code: `npm run build` (or keep `npm run watch` running), then run',
      '"Developer: Reload Window" in the browser. Press Ctrl+C here to stop.',
      '',
    ].join('\n'),
  );

  const stopped = new Promise((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.once(signal, () => resolve(signal));
  });
  const why = await Promise.race([stopped, server.done.then((code) => `code-server exited (${code})`)]);
  console.log(`start: stopping (${why})`);
  await server.stop();
  return typeof why === 'string' && why.startsWith('code-server') ? 1 : 0;
}

main().then(
  (status) => process.exit(status),
  (e) => {
    console.error(`start: ${e.message || e}`);
    process.exit(1);
  },
);
