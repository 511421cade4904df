#!/usr/bin/env node
// Runs test/integration/**/*.test.ts inside a real VS Code extension host (code-server in headless
// Chromium) on a scratch copy of practice/sample, and exits with the suite's status:
//   0  every test passed (and at least one ran)
//   1  a test failed, the suite failed to load, the extension host died, or no test ran
//   3  no result within the time limit (a hang)
// Environment: CASEBOOK_TEST_GREP runs a subset; CASEBOOK_TEST_TIMEOUT (seconds, default 300).
// The tests see CASEBOOK_TEST_WORKSPACE (the scratch pack folder) and CASEBOOK_REPO in process.env.
const fs = require('fs');
const path = require('path');
const util = require('util');
const { buildIntegrationTests } = require('../../scripts/build-tests');
const { ROOT, tempDir, scratchWorkspace, startCodeServer, workbenchUrl, launchBrowser } = require('./codeServer');

const TIMEOUT_S = Number(process.env.CASEBOOK_TEST_TIMEOUT) || 300;
// The workbench's own progress lines, also sent through codeAutomationLog; kept in the log file only.
const WORKBENCH_CHATTER = new RegExp(
  '^(Resolving connection token|Resolved connection token|Creating a socket' +
    '|Ignoring fetching additional builtin extensions|Updating additional builtin extensions cache' +
    '|\\[Service Worker\\]|ChatSessionStore:)',
);
const EXIT_FAILED = 1;
const EXIT_TIMEOUT = 3;

async function main() {
  const started = Date.now();
  // Logs of an earlier failed run would be mistaken for this run's.
  for (const old of ['integration-code-server.log', 'integration-vscode-logs', 'integration-console.log']) {
    fs.rmSync(path.join(ROOT, 'test-results', old), { recursive: true, force: true });
  }
  const testsModule = await buildIntegrationTests();
  const scratch = tempDir('integration');
  const workspace = scratchWorkspace(scratch);
  const resultFile = path.join(scratch, 'result.json');
  let server;
  let browser;
  let verdict = { status: EXIT_FAILED, reason: 'the run did not finish' };
  const consoleLines = [];
  const stopAll = async () => {
    await browser?.close().catch(() => {});
    if (verdict.status !== 0) {
      fs.mkdirSync(path.join(ROOT, 'test-results'), { recursive: true });
      fs.writeFileSync(path.join(ROOT, 'test-results', 'integration-console.log'), consoleLines.join('\n') + '\n');
    }
    await server?.stop({ keepLogAs: verdict.status === 0 ? undefined : 'integration' });
    fs.rmSync(scratch, { recursive: true, force: true, maxRetries: 3 });
  };
  // Ctrl+C or a CI kill must not leave code-server behind.
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => {
      verdict = { status: 130, reason: `interrupted (${signal})` };
      stopAll().finally(() => process.exit(130));
    });
  }

  try {
    server = await startCodeServer({
      folder: workspace,
      label: 'integration',
      env: {
        CASEBOOK_TEST_RESULT: resultFile,
        CASEBOOK_TEST_WORKSPACE: workspace,
        CASEBOOK_REPO: ROOT,
        CASEBOOK_TEST_GREP: process.env.CASEBOOK_TEST_GREP || '',
      },
    });
    browser = await launchBrowser(server.stateDir);
    const page = await browser.newPage();
    const exitCode = new Promise((resolve) => {
      // The workbench's test contract (as @vscode/test-web uses it): the host's console, then the exit code.
      page.exposeFunction('codeAutomationLog', (type, args) => {
        const line = util.format(...(Array.isArray(args) ? args : [args]));
        consoleLines.push(`[${type}] ${line}`);
        if (!WORKBENCH_CHATTER.test(line)) (type === 'error' ? process.stderr : process.stdout).write(line + '\n');
      });
      page.exposeFunction('codeAutomationExit', (code) => resolve(code));
      page.on('crash', () => resolve('page crashed'));
      browser.on('disconnected', () => resolve('browser disconnected'));
    });
    await page.goto(
      workbenchUrl(server, {
        folder: workspace,
        extensionDevelopmentPath: ROOT,
        extensionTestsPath: testsModule,
      }),
    );
    let timer;
    const timeout = new Promise((resolve) => {
      timer = setTimeout(() => resolve('timeout'), TIMEOUT_S * 1000);
    });
    const outcome = await Promise.race([exitCode, timeout]);
    clearTimeout(timer);
    verdict = judge(outcome, resultFile);
  } catch (e) {
    verdict = { status: EXIT_FAILED, reason: `the runner failed: ${e.message}` };
  } finally {
    await stopAll();
  }

  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (verdict.counts) console.log(`integration: ${verdict.counts}`);
  const where = verdict.status === 0 ? '' : ' (code-server log kept in test-results/)';
  console.log(`integration: ${verdict.status === 0 ? 'PASS' : 'FAIL'}: ${verdict.reason} in ${seconds} s${where}`);
  return verdict.status;
}

/** Turns what the workbench reported plus the result file into an exit status and a reason. */
function judge(outcome, resultFile) {
  if (outcome === 'timeout') {
    return { status: EXIT_TIMEOUT, reason: `no result after ${TIMEOUT_S} s (a test hangs, or the host never started)` };
  }
  if (typeof outcome === 'string') return { status: EXIT_FAILED, reason: outcome };
  if (!fs.existsSync(resultFile)) {
    return {
      status: EXIT_FAILED,
      reason: `the extension host ended (exit ${outcome}) without a result: it crashed, ` + 'a test called process.exit, or the tests module was not found',
    };
  }
  const result = JSON.parse(fs.readFileSync(resultFile, 'utf8'));
  const counts = `${result.passes} passed, ${result.failures} failed, ${result.pending} skipped`;
  if (result.error) return { status: EXIT_FAILED, reason: 'the test suite failed to load' };
  if (result.failures > 0) return { status: EXIT_FAILED, counts, reason: `${result.failures} test(s) failed` };
  if (result.tests === 0) return { status: EXIT_FAILED, counts, reason: 'no test ran' };
  if (outcome !== 0) return { status: EXIT_FAILED, counts, reason: `the workbench reported exit ${outcome}` };
  return { status: 0, counts, reason: `${result.passes} test(s) passed` };
}

main().then(
  (status) => process.exit(status),
  (e) => {
    console.error(`integration: ${e.stack || e}`);
    process.exit(EXIT_FAILED);
  },
);
