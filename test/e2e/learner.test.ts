// A learner's session in the real workbench: open a case from the Cases view, select words, press
// the tag key, type a code, see the highlight, reload and see it again, grade, and read a report
// whose hostile rationale stays inert text; Show Evidence selects the phrase in the note.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { FrameLocator, Page } from 'playwright-core';
import { type Workbench, runCommand, screenshot, startWorkbench, openCaseFromView, selectPhrase } from './helpers';

const CASE_TITLE = 'Established patient with sinus pressure';
const PHRASE = 'Acute maxillary sinusitis, left';
const HOSTILE = [
  '<script>window.top.__pwned = 1</script>',
  '<img src="x" onerror="window.top.__pwned = 2">',
  '[click me](javascript:window.top.__pwned=3)',
].join('\n\n');

/** The text after each tag: the decoration's `::after` content in the editor. */
async function tagLabels(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const labels: string[] = [];
    for (const el of Array.from(document.querySelectorAll('.editor-instance .view-lines span[class*="ced-"]'))) {
      const content = getComputedStyle(el, '::after').content;
      if (content && content !== 'none' && content !== 'normal') labels.push(content.replace(/^"|"$/g, '').trim());
    }
    return labels;
  });
}

function report(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
}

describe('a learner tags, reloads and grades in the real workbench', function () {
  this.timeout(180_000);
  let workbench: Workbench;

  before(async () => {
    workbench = await startWorkbench();
    // A stranger's pack: the rationale tries to run script three ways.
    const key = path.join(workbench.workspace, 'keys', 'office-visit-sinusitis.md');
    fs.writeFileSync(key, fs.readFileSync(key, 'utf8').replace('## Rationale', `## Rationale\n\n${HOSTILE}\n`));
  });

  after(async () => {
    await workbench?.stop();
  });

  it('tags selected words with the keybinding and shows the highlight with its code', async () => {
    const { page } = workbench;
    await openCaseFromView(page);
    await selectPhrase(page, PHRASE);
    const quickInput = page.locator('.quick-input-widget');
    // The extension may still be activating: retry the key until the quick pick appears.
    for (let i = 0; i < 20 && !(await quickInput.isVisible()); i++) {
      await page.keyboard.press('Control+Alt+T');
      await page.waitForTimeout(500);
    }
    await quickInput.waitFor({ state: 'visible' });
    await page.keyboard.type('J01.00');
    await quickInput.locator('.monaco-list-row', { hasText: 'J01.00' }).first().waitFor();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelectorAll('.view-overlays .cdr').length > 0);
    await expectLabel(page, 'J01.00');
    await screenshot(page, 'tagged-note');
  });

  it('brings the tag back after the window reloads', async () => {
    const { page } = workbench;
    await reloadWindow(page);
    await page
      .locator('.explorer-folders-view .monaco-list-row[aria-label="casebook.json"], .part.sidebar .monaco-list-row')
      .first()
      .waitFor({ timeout: 60_000 });
    // A fresh extension host: the tags can only come from the saved work file.
    await openCaseFromView(page);
    await expectLabel(page, 'J01.00');
    // Still the read-only learner view: typing changes nothing.
    const lines = page.locator('.editor-instance .view-lines').first();
    await lines.click();
    await page.keyboard.type('zzq');
    assert.strictEqual(await lines.locator('text=zzq').count(), 0, 'the note stays read-only after a reload');
  });

  it('grades into a report where hostile markup is inert text, and Show Evidence selects the phrase', async () => {
    const { page, consoleErrors } = workbench;
    consoleErrors.length = 0;
    // The Grade Case button in the note's editor title bar.
    await page.locator('.editor-actions .action-label[aria-label*="Grade Case"]').first().click();
    const frame = report(page);
    await frame.locator('h1').first().waitFor({ timeout: 30_000 });
    const body = frame.locator('body');
    await body.locator('text=window.top.__pwned = 1').first().waitFor();
    // Shown as text, never as elements.
    assert.strictEqual(await frame.locator('script:has-text("__pwned")').count(), 0, 'no script element carries the rationale');
    assert.strictEqual(await frame.locator('img[onerror]').count(), 0, 'no img with an onerror handler');
    assert.strictEqual(await frame.locator('a[href^="javascript:"]').count(), 0, 'no javascript: link');
    assert.ok(await body.locator('text=click me').count(), 'the link text is still shown');
    assert.strictEqual(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
    await screenshot(page, 'report');
    await frame.locator('button[data-action="showEvidence"]').first().click();
    await page.locator('[id="status.editor.selection"]', { hasText: /\(\d+ selected\)/ }).waitFor();
    const violations = consoleErrors.filter((m) => /Content Security Policy|Refused to/i.test(m));
    assert.deepStrictEqual(violations, [], 'no CSP violation in the page');
  });

  it('brings the report panel back after the window reloads', async () => {
    const { page } = workbench;
    await reloadWindow(page);
    const frame = report(page);
    await frame.locator('h1', { hasText: CASE_TITLE }).first().waitFor({ timeout: 60_000 });
    await screenshot(page, 'report-after-reload');
  });
});

/** Developer: Reload Window — VS Code shuts down in order (saving its state) and loads again. */
async function reloadWindow(page: Page): Promise<void> {
  await runCommand(page, 'Developer: Reload Window');
  await page.waitForEvent('load', { timeout: 60_000 }).catch(() => undefined);
  await page.waitForFunction(() => document.title.startsWith('[Extension Development Host]'), undefined, { timeout: 60_000 });
}

async function expectLabel(page: Page, code: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  let labels: string[] = [];
  while (Date.now() < deadline) {
    labels = await tagLabels(page);
    if (labels.some((l) => l.includes(code))) return;
    await page.waitForTimeout(250);
  }
  assert.fail(`no tag label ${code} after the text; saw ${JSON.stringify(labels)}`);
}
