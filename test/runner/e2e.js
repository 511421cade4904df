#!/usr/bin/env node
// Runs the end-to-end tests (test/e2e/**/*.test.ts): mocha in Node drives a real workbench
// (code-server + headless Chromium, see test/e2e/helpers.ts). Screenshots and, on failure,
// code-server's logs go to test-results/. Exits 0 when every test passed and at least one ran,
// 1 otherwise, 3 on a hang (CASEBOOK_E2E_TIMEOUT seconds, default 600). CASEBOOK_TEST_GREP runs a subset.
//
// The tests run in a child process (`--child`), so a hang can be ended from here, together with the
// code-servers it started (their process groups are registered in CASEBOOK_PID_DIR).
const fs = require('fs');
const path = require('path');
const { spawn } = require('child_process');
const { ROOT, RESULTS_DIR, tempDir, killRegistered, sleep } = require('./codeServer');

const TIMEOUT_S = Number(process.env.CASEBOOK_E2E_TIMEOUT) || 600;
const TESTS_DIR = path.join(ROOT, 'test', 'e2e');

function testFiles(dir) {
  const found = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...testFiles(file));
    else if (entry.name.endsWith('.test.ts')) found.push(file);
  }
  return found.sort();
}

/** In the child: mocha over the TypeScript tests (through tsx), stats written to the result file. */
function child(resultFile) {
  require('tsx/cjs');
  const Mocha = require('mocha');
  const { mochaHooks } = require(path.join(TESTS_DIR, 'helpers.ts'));
  const mocha = new Mocha({
    ui: 'bdd',
    timeout: 60_000,
    reporter: 'spec',
    grep: process.env.CASEBOOK_TEST_GREP || undefined,
    rootHooks: mochaHooks,
  });
  for (const file of testFiles(TESTS_DIR)) mocha.addFile(file);
  const runner = mocha.run((failures) => {
    const { passes = 0, tests = 0, pending = 0 } = runner.stats || {};
    fs.writeFileSync(resultFile, JSON.stringify({ passes, failures, tests, pending }));
    process.exit(failures > 0 ? 1 : 0); // like mocha --exit: a stray handle must not hold the run
  });
}

async function parent() {
  const started = Date.now();
  for (const old of fs.existsSync(RESULTS_DIR) ? fs.readdirSync(RESULTS_DIR) : []) {
    if (old.startsWith('e2e-')) fs.rmSync(path.join(RESULTS_DIR, old), { recursive: true, force: true });
  }
  const scratch = tempDir('e2e-run');
  const resultFile = path.join(scratch, 'result.json');
  const pidDir = path.join(scratch, 'pids');
  fs.mkdirSync(pidDir);

  const tests = spawn(process.execPath, [__filename, '--child', resultFile], {
    cwd: ROOT,
    stdio: 'inherit',
    detached: true, // its own process group, so a hang can be ended as a whole
    env: { ...process.env, CASEBOOK_PID_DIR: pidDir },
  });
  const ended = new Promise((resolve) => tests.on('exit', (code, signal) => resolve(signal || code)));
  const stopTests = async () => {
    try {
      process.kill(-tests.pid, 'SIGTERM');
    } catch {
      /* gone */
    }
    await Promise.race([ended, sleep(10_000)]);
    try {
      process.kill(-tests.pid, 'SIGKILL');
    } catch {
      /* gone */
    }
    killRegistered(pidDir);
  };
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => stopTests().finally(() => process.exit(130)));
  }

  let timer;
  const outcome = await Promise.race([
    ended,
    new Promise((resolve) => {
      timer = setTimeout(() => resolve('timeout'), TIMEOUT_S * 1000);
    }),
  ]);
  clearTimeout(timer);
  if (outcome === 'timeout') await stopTests();
  killRegistered(pidDir); // a child that died abruptly leaves its code-servers behind

  const verdict = judge(outcome, resultFile);
  fs.rmSync(scratch, { recursive: true, force: true });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (verdict.counts) console.log(`e2e: ${verdict.counts}`);
  console.log(
    `e2e: ${verdict.status === 0 ? 'PASS' : 'FAIL'}: ${verdict.reason} in ${seconds} s` +
      (verdict.status === 0 ? '' : ' (screenshots and logs in test-results/)'),
  );
  return verdict.status;
}

function judge(outcome, resultFile) {
  if (outcome === 'timeout') return { status: 3, reason: `no result after ${TIMEOUT_S} s (a test hangs)` };
  if (!fs.existsSync(resultFile)) {
    return { status: 1, reason: `the tests ended (${outcome}) without a result: a test file failed to load or crashed` };
  }
  const result = JSON.parse(fs.readFileSync(resultFile, 'utf8'));
  const counts = `${result.passes} passed, ${result.failures} failed, ${result.pending} skipped`;
  if (result.failures > 0) return { status: 1, counts, reason: `${result.failures} test(s) failed` };
  if (result.tests === 0) return { status: 1, counts, reason: 'no test ran' };
  return { status: 0, counts, reason: `${result.passes} test(s) passed` };
}

if (process.argv[2] === '--child') {
  child(process.argv[3]);
} else {
  parent().then(
    (status) => process.exit(status),
    (e) => {
      console.error(`e2e: ${e.stack || e}`);
      process.exit(1);
    },
  );
}
