// The tests module VS Code loads in the extension host (the payload's extensionTestsPath). VS Code calls
// run(testsRoot, callback) and uses the returned promise, so run() takes no parameters of its own.
// Mocha's output goes to the host's console, which the runner prints. The result file is the runner's
// proof that the suite finished: a crashed extension host reports success to the workbench.
import * as fs from 'fs';
import * as path from 'path';
import Mocha from 'mocha';

export interface SuiteResult {
  passes: number;
  failures: number;
  tests: number;
  pending: number;
  /** Set when the suite could not run at all (a test file threw while loading). */
  error?: string;
}

export function run(): Promise<void> {
  const mocha = new Mocha({
    ui: 'bdd',
    timeout: 30_000,
    color: false,
    reporter: 'spec',
    grep: process.env.CASEBOOK_TEST_GREP || undefined,
  });
  for (const file of testFiles(__dirname)) mocha.addFile(file);

  return new Promise((resolve, reject) => {
    try {
      const runner = mocha.run((failures) => {
        const { passes = 0, tests = 0, pending = 0 } = runner.stats ?? {};
        writeResult({ passes, failures, tests, pending });
        if (failures > 0) reject(new Error(`${failures} integration test(s) failed`));
        else resolve();
      });
    } catch (e) {
      // A test module that throws on load lands here, before any test runs.
      const message = e instanceof Error ? e.stack || e.message : String(e);
      console.error(`The integration tests failed to load:\n${message}`);
      writeResult({ passes: 0, failures: 0, tests: 0, pending: 0, error: message });
      reject(e instanceof Error ? e : new Error(String(e)));
    }
  });
}

/** The bundled test files next to this module (dist/test/integration/**\/*.test.js). */
function testFiles(dir: string): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...testFiles(file));
    else if (entry.name.endsWith('.test.js')) found.push(file);
  }
  return found.sort();
}

function writeResult(result: SuiteResult): void {
  const file = process.env.CASEBOOK_TEST_RESULT;
  if (file) fs.writeFileSync(file, JSON.stringify(result, null, 2) + '\n');
}
