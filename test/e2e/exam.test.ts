// A learner takes an exam in the real workbench with the keyboard: Start Exam… from the palette, a key
// answers, F flags, N and P move; Reload Window brings the exam back on the same question with the
// answer; Submit… shows the score report with the percent. No CSP violation along the way.
import * as assert from 'assert';
import * as path from 'path';
import type { FrameLocator, Page } from 'playwright-core';
import { ROOT } from '../runner/codeServer';
import { type Workbench, runCommand, screenshot, startWorkbench } from './helpers';

const EXAM_PACK = path.join(ROOT, 'test', 'fixtures', 'packs', 'exam');

function webview(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
}

/** Picks a quick-pick row by typing part of its label, then Enter. */
async function pick(page: Page, text: string): Promise<void> {
  const widget = page.locator('.quick-input-widget');
  await widget.waitFor({ state: 'visible' });
  await page.keyboard.type(text);
  await widget.locator('.monaco-list-row', { hasText: text }).first().waitFor();
  await page.keyboard.press('Enter');
}

/** Milliseconds from a key press in the exam view until the question it leads to is on screen. */
async function timedKey(page: Page, frame: FrameLocator, key: string, item: string): Promise<number> {
  const t0 = Date.now();
  await page.keyboard.press(key);
  await frame.locator(`.question[data-item="${item}"]`).waitFor();
  return Date.now() - t0;
}

describe('a learner takes an exam with the keyboard in the real workbench', function () {
  this.timeout(180_000);
  let workbench: Workbench;

  before(async () => {
    workbench = await startWorkbench({ workspace: EXAM_PACK });
  });

  after(async () => {
    await workbench?.stop();
  });

  it('answers with a key, flags with F, moves with N and P', async () => {
    const { page, consoleErrors } = workbench;
    consoleErrors.length = 0;
    await runCommand(page, 'Casebook: Start Exam…');
    await pick(page, 'Fixture practice exam');
    await pick(page, 'Timed');
    const frame = webview(page);
    await frame.locator('.question[data-item="Q001"] .choice').first().waitFor({ timeout: 30_000 });
    await frame.locator('.question-title').click();
    await page.keyboard.press('2');
    await frame.locator('.choice[data-letter="B"][aria-pressed="true"]').waitFor();
    await page.keyboard.press('f');
    await frame.locator('.nav-grid .cell.flagged.answered', { hasText: '1' }).waitFor();
    const next = await timedKey(page, frame, 'n', 'Q002');
    const previous = await timedKey(page, frame, 'p', 'Q001');
    console.log(`      webview: a move (key to the next question on screen) took ${next} ms and ${previous} ms`);
    await frame.locator('.choice[data-letter="B"][aria-pressed="true"]').waitFor();
    assert.match((await frame.locator('.exam-clock').textContent()) ?? '', /^Part 1: 0:(29|30):\d\d left$/);
    await screenshot(page, 'exam-question');
    const violations = consoleErrors.filter((m) => /Content Security Policy|Refused to/i.test(m));
    assert.deepStrictEqual(violations, [], 'no CSP violation in the exam view');
  });

  it('brings the exam back after Reload Window on the same question, with the answer and the flag', async () => {
    const { page } = workbench;
    await runCommand(page, 'Developer: Reload Window');
    await page.waitForEvent('load', { timeout: 60_000 }).catch(() => undefined);
    await page.waitForFunction(() => document.title.startsWith('[Extension Development Host]'), undefined, { timeout: 60_000 });
    const frame = webview(page);
    await frame.locator('.question[data-item="Q001"] .choice[data-letter="B"][aria-pressed="true"]').waitFor({ timeout: 60_000 });
    await frame.locator('.nav-grid .cell.flagged', { hasText: '1' }).waitFor();
  });

  it('submits and shows the score report with the percent', async () => {
    const { page, consoleErrors } = workbench;
    consoleErrors.length = 0;
    const frame = webview(page);
    await frame.locator('button[data-action="submit"]').click();
    await frame.locator('.confirm:not([hidden]) button[data-action="confirmYes"]').click();
    const report = webview(page);
    // One of five items right (the coding case was not coded).
    await report.locator('.percent.overall', { hasText: '20%' }).waitFor({ timeout: 30_000 });
    await report.locator('.area-table th[scope="row"]', { hasText: 'Evaluation and Management' }).waitFor();
    await screenshot(page, 'exam-report');
    const violations = consoleErrors.filter((m) => /Content Security Policy|Refused to/i.test(m));
    assert.deepStrictEqual(violations, [], 'no CSP violation in the report');
  });
});
