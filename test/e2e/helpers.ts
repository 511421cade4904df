// Shared by the end-to-end tests: a real workbench (code-server + headless Chromium) with Casebook
// loaded in development mode on a scratch copy of a pack, and the few gestures every test needs.
// Loaded by test/runner/e2e.js, which also installs `mochaHooks` below as root hooks.
import * as fs from 'fs';
import * as path from 'path';
import type { Browser, Page } from 'playwright-core';
import { RESULTS_DIR, ROOT, SAMPLE_PACK, type CodeServer, launchBrowser, scratchWorkspace, startCodeServer, tempDir, workbenchUrl } from '../runner/codeServer';

export interface Workbench {
  page: Page;
  /** The scratch copy of the pack that the workbench has open (tests may write to it). */
  workspace: string;
  /** Messages the page logged as errors (CSP violations show up here). */
  consoleErrors: string[];
  stop(): Promise<void>;
}

// Stoppers of every workbench started or starting, so a hang (SIGTERM from the runner) still cleans up.
const live = new Set<() => Promise<void>>();
let failed = false;
let started = 0;
let lastPage: Page | undefined;

process.once('SIGTERM', () => {
  failed = true;
  void Promise.all([...live].map((stop) => stop())).finally(() => process.exit(143));
});

/**
 * Starts code-server on a scratch copy of `workspace` (default practice/sample) with Casebook in
 * development mode, opens it in Chromium and waits until the explorer shows the pack.
 */
export async function startWorkbench(opts: { workspace?: string; keepWalkthrough?: boolean } = {}): Promise<Workbench> {
  const label = `e2e-${++started}`;
  const scratch = tempDir(label);
  const workspace = scratchWorkspace(scratch, opts.workspace ?? SAMPLE_PACK);
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  const stop = async () => {
    live.delete(stop);
    await browser?.close().catch(() => undefined);
    await server?.stop({ keepLogAs: failed ? label : undefined });
    fs.rmSync(scratch, { recursive: true, force: true, maxRetries: 3 });
  };
  live.add(stop);
  try {
    server = await startCodeServer({ folder: workspace, label, env: { CASEBOOK_TEST_WORKSPACE: workspace } });
    browser = await launchBrowser(server.stateDir);
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    lastPage = page;
    const consoleErrors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    await page.goto(workbenchUrl(server, { folder: workspace, extensionDevelopmentPath: ROOT }));
    await waitUntilReady(page, workspace);
    if (!opts.keepWalkthrough) await closeWalkthrough(page);
    return { page, workspace, consoleErrors, stop };
  } catch (e) {
    failed = true;
    const page = browser?.contexts()[0]?.pages()[0];
    if (page) await screenshot(page, `${label}-startup-failure`).catch(() => undefined);
    await stop();
    throw e;
  }
}

/** The page is a development host and the explorer lists the pack's manifest (about 2 s). */
async function waitUntilReady(page: Page, workspace: string): Promise<void> {
  await page.waitForFunction(() => document.title.startsWith('[Extension Development Host]'), undefined, {
    timeout: 60_000,
  });
  const firstFile = fs.existsSync(path.join(workspace, 'casebook.json')) ? 'casebook.json' : undefined;
  const row = firstFile
    ? page.locator(`.explorer-folders-view .monaco-list-row[aria-label="${firstFile}"]`)
    : page.locator('.explorer-folders-view .monaco-list-row').first();
  await row.waitFor({ timeout: 60_000 });
}

/**
 * Casebook opens its walkthrough on the first run after install (every fresh workbench here): wait
 * for it and close it, so it cannot take focus from a test's first gesture.
 */
async function closeWalkthrough(page: Page): Promise<void> {
  const tab = page.locator('.tab[aria-label^="Walkthrough: Casebook"]');
  const shown = await tab
    .first()
    .waitFor({ timeout: 30_000 })
    .then(
      () => true,
      () => false,
    );
  if (!shown) return;
  await tab.first().hover();
  await tab.first().locator('.tab-actions .action-label').first().click();
  await tab.first().waitFor({ state: 'detached', timeout: 10_000 });
}

/** Runs a command by its palette title, e.g. "View: Show Casebook" or "Casebook: Open Case…". */
export async function runCommand(page: Page, title: string): Promise<void> {
  const input = page.locator('.quick-input-widget .quick-input-box input');
  // F1 can land while focus is inside a webview or a closing quick input: retry until the palette takes text.
  for (let attempt = 1; ; attempt++) {
    try {
      await page.keyboard.press(attempt % 2 ? 'F1' : 'Control+Shift+P');
      await input.waitFor({ state: 'visible', timeout: 5_000 });
      await input.fill(`>${title}`, { timeout: 5_000 });
      break;
    } catch (e) {
      if (attempt >= 4) throw e;
      await page.keyboard.press('Escape');
      await page
        .locator('.part.editor')
        .first()
        .click({ position: { x: 5, y: 5 } })
        .catch(() => undefined);
    }
  }
  // The row's label is the title, or the title then ", recently used" and the like.
  const row = page
    .locator(
      `.quick-input-widget .monaco-list-row[aria-label="${cssString(title)}"], ` + `.quick-input-widget .monaco-list-row[aria-label^="${cssString(title)}, "]`,
    )
    .first();
  await row.click();
}

/** Opens the sample's sinusitis case from the Cases view, as a learner does, and waits for its note. */
export async function openCaseFromView(page: Page, title = 'Established patient with sinus pressure'): Promise<void> {
  await runCommand(page, 'View: Show Casebook');
  const row = page.locator(`.part.sidebar .monaco-list-row[aria-label*="${cssString(title)}"]`).first();
  const tab = page.locator('.tab.active[aria-label^="office-visit-sinusitis.case"]');
  // While the packs load, the view may redraw under the click (the click is then lost): click again.
  for (let attempt = 1; ; attempt++) {
    await row.click();
    try {
      await tab.waitFor({ timeout: 5_000 });
      break;
    } catch (e) {
      if (attempt >= 4) throw e;
    }
  }
  await page.locator('.editor-instance .view-lines', { hasText: 'CHIEF COMPLAINT' }).waitFor();
}

/** Selects a phrase of the active editor with Find: Ctrl+F, type, Enter, Escape leaves the match selected. */
export async function selectPhrase(page: Page, phrase: string): Promise<void> {
  await page.locator('.editor-instance .view-lines').first().click();
  await page.keyboard.press('Control+F');
  const find = page.locator('.find-widget textarea, .find-widget input').first();
  await find.waitFor({ state: 'visible' });
  await find.fill(phrase);
  await page.keyboard.press('Enter');
  await page.locator('[id="status.editor.selection"]', { hasText: `(${phrase.length} selected)` }).waitFor();
  // Close Find so the note has the focus again (key bindings need it); a busy machine can drop an Escape.
  const widget = page.locator('.find-widget.visible');
  for (let attempt = 0; attempt < 5 && (await widget.count()) > 0; attempt++) {
    await page.keyboard.press('Escape');
    await widget.waitFor({ state: 'detached', timeout: 2_000 }).catch(() => undefined);
  }
  await page.locator('[id="status.editor.selection"]', { hasText: `(${phrase.length} selected)` }).waitFor();
}

/** Opens a file of the workspace by its relative path (Ctrl+P) and waits for its editor tab. */
export async function openFile(page: Page, relPath: string): Promise<void> {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible' });
  await input.fill(relPath);
  await page.locator('.quick-input-widget .monaco-list-row').first().waitFor();
  await page.keyboard.press('Enter');
  await page.locator(`.tab.active[aria-label^="${cssString(path.basename(relPath))}"]`).waitFor();
}

/** Saves a screenshot as test-results/e2e-NAME.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `e2e-${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

function cssString(text: string): string {
  return text.replace(/["\\]/g, '\\$&');
}

/** Root hooks: keep logs when any test failed, and never leave a workbench running. */
export const mochaHooks = {
  async afterEach(this: Mocha.Context) {
    if (this.currentTest?.state !== 'failed') return;
    failed = true;
    // What the workbench looked like when the test failed, for the log.
    if (lastPage && !lastPage.isClosed()) {
      const name = `failed-${this.currentTest.title.replace(/[^A-Za-z0-9]+/g, '-').slice(0, 60)}`;
      await screenshot(lastPage, name).catch(() => undefined);
    }
  },
  async afterAll() {
    for (const stop of [...live]) await stop();
  },
};
