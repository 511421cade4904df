#!/usr/bin/env node
// Runs the integration tests in a desktop VS Code 1.100.3 with @vscode/test-electron, for machines that
// can download VS Code from Microsoft (a developer's laptop). CI uses test/runner/integration.js instead
// (code-server, installed from npm). Same tests module, same result-file check, same exit statuses.
const fs = require('fs');
const path = require('path');
const { downloadAndUnzipVSCode, runTests } = require('@vscode/test-electron');
const { buildIntegrationTests } = require('../../scripts/build-tests');
const { ROOT, tempDir, scratchWorkspace } = require('./codeServer');

const VSCODE_VERSION = '1.100.3';
const TIMEOUT_S = Number(process.env.CASEBOOK_TEST_TIMEOUT) || 900; // includes the first download

async function main() {
  const testsModule = await buildIntegrationTests();
  let vscodeExecutablePath;
  try {
    vscodeExecutablePath = await downloadAndUnzipVSCode({
      version: VSCODE_VERSION,
      cachePath: path.join(ROOT, '.vscode-test'),
      timeout: 30_000, // idle timeout: a blocked network fails in 30 s instead of hanging
    });
  } catch (e) {
    console.error(
      `desktop: could not download VS Code ${VSCODE_VERSION} (${e.message}).\n` +
        "This runner needs Microsoft's download servers; offline, use `npm run test:integration`, " +
        'which runs the same tests in code-server.',
    );
    return 1;
  }
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    console.error('desktop: VS Code needs a display; run it under Xvfb: `xvfb-run -a npm run test:desktop`');
    return 1;
  }

  const scratch = tempDir('desktop');
  const workspace = scratchWorkspace(scratch);
  const resultFile = path.join(scratch, 'result.json');
  try {
    const run = runTests({
      vscodeExecutablePath,
      extensionDevelopmentPath: ROOT,
      extensionTestsPath: testsModule,
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--user-data-dir', path.join(scratch, 'user-data')],
      extensionTestsEnv: {
        CASEBOOK_TEST_RESULT: resultFile,
        CASEBOOK_TEST_WORKSPACE: workspace,
        CASEBOOK_REPO: ROOT,
        CASEBOOK_TEST_GREP: process.env.CASEBOOK_TEST_GREP || '',
      },
    }).then(
      (code) => code,
      (e) => (e && typeof e.code === 'number' ? e.code : String(e.message || e)),
    );
    let timer;
    const outcome = await Promise.race([
      run,
      new Promise((resolve) => {
        timer = setTimeout(() => resolve('timeout'), TIMEOUT_S * 1000);
      }),
    ]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      console.error(`desktop: FAIL: no result after ${TIMEOUT_S} s (a hang)`);
      return 3;
    }
    if (!fs.existsSync(resultFile)) {
      console.error(`desktop: FAIL: VS Code ended (${outcome}) without a result: it crashed or the tests did not load`);
      return 1;
    }
    const result = JSON.parse(fs.readFileSync(resultFile, 'utf8'));
    console.log(`desktop: ${result.passes} passed, ${result.failures} failed, ${result.pending} skipped`);
    if (result.error || result.failures > 0 || result.tests === 0 || outcome !== 0) {
      console.error(`desktop: FAIL${result.tests === 0 ? ': no test ran' : ''}`);
      return 1;
    }
    return 0;
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true, maxRetries: 3 });
  }
}

main().then(
  (status) => process.exit(status),
  (e) => {
    console.error(`desktop: ${e.stack || e}`);
    process.exit(1);
  },
);
