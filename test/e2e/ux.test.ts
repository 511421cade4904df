// The learner's experience in the real workbench (issue 18), checked by eye through screenshots:
// the walkthrough on first start, the clean read-only note with keys out of sight, word search in
// the tag picker as VS Code draws it, and the report in light, dark and both high-contrast themes.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { FrameLocator, Page } from 'playwright-core';
import { type Workbench, runCommand, screenshot, startWorkbench, openCaseFromView, selectPhrase } from './helpers';

const CASE_TITLE = 'Established patient with sinus pressure';
const PHRASE = 'Acute maxillary sinusitis, left';
const THEMES = ['Light Modern', 'Dark Modern', 'Dark High Contrast', 'Light High Contrast'];

function report(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
}

async function openTagPicker(page: Page): Promise<void> {
  const quickInput = page.locator('.quick-input-widget');
  for (let i = 0; i < 20 && !(await quickInput.isVisible()); i++) {
    await page.keyboard.press('Control+Alt+T');
    await page.waitForTimeout(500);
  }
  await quickInput.waitFor({ state: 'visible' });
}

describe('the learner experience in the real workbench', function () {
  this.timeout(300_000);
  let workbench: Workbench;

  before(async () => {
    workbench = await startWorkbench({ keepWalkthrough: true });
    // A pack glossary, so word search works without importing code sets.
    const codes = path.join(workbench.workspace, 'codes');
    fs.mkdirSync(codes, { recursive: true });
    fs.writeFileSync(
      path.join(codes, 'glossary.csv'),
      'code,system,description\nI10,ICD-10-CM,Essential (primary) hypertension\nJ01.00,ICD-10-CM,"Acute maxillary sinusitis, unspecified"\n',
    );
  });

  after(async () => {
    await workbench?.stop();
  });

  it('opens the Casebook walkthrough on first start, every step readable', async () => {
    const { page } = workbench;
    const walkthrough = page.locator('.gettingStartedContainer');
    await walkthrough.locator('text=Get started with Casebook').first().waitFor({ timeout: 60_000 });
    await walkthrough.locator('text=Import the code sets').first().waitFor();
    await screenshot(page, 'walkthrough');
  });

  it('shows the note clean and read-only under a header, and keeps the keys out of sight', async () => {
    const { page } = workbench;
    await openCaseFromView(page);
    const lines = page.locator('.editor-instance .view-lines').first();
    await lines.locator(`text=${CASE_TITLE}`).first().waitFor();
    await lines.locator('text=Instructions:').first().waitFor();
    assert.strictEqual(await lines.locator('text=/^---$/').count(), 0, 'no front matter');
    assert.strictEqual(await lines.locator('text=areas:').count(), 0, 'no areas');
    await screenshot(page, 'learner-note');
    // Typing changes nothing: the view is read-only.
    await lines.click();
    await page.keyboard.type('zzq');
    assert.strictEqual(await lines.locator('text=zzq').count(), 0, 'typing does not edit the note');
    // Explorer and Quick Open do not list the key.
    await runCommand(page, 'View: Show Explorer');
    await page.locator('.explorer-folders-view .monaco-list-row[aria-label="cases"]').waitFor();
    await page.waitForFunction(() => !document.querySelector('.explorer-folders-view .monaco-list-row[aria-label="keys"]'), undefined, { timeout: 20_000 });
    await page.keyboard.press('Control+P');
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible' });
    await input.fill('office-visit-sinusitis');
    await page.locator('.quick-input-widget .monaco-list-row').first().waitFor();
    await page.waitForTimeout(1000);
    const rows = await page.locator('.quick-input-widget .monaco-list-row').allInnerTexts();
    assert.ok(!rows.some((r) => /keys/.test(r)), `Quick Open lists no key: ${JSON.stringify(rows)}`);
    await screenshot(page, 'quick-open-no-keys');
    await page.keyboard.press('Escape');
  });

  it('shows word matches in the tag picker whatever VS Code filters on', async () => {
    const { page } = workbench;
    await openCaseFromView(page);
    await selectPhrase(page, PHRASE);
    await openTagPicker(page);
    await page.keyboard.type('hypertension essential');
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'I10' }).first().waitFor({ timeout: 20_000 });
    await screenshot(page, 'tag-picker-words');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('colles');
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Nothing matches' }).first().waitFor({ timeout: 20_000 });
    assert.strictEqual(await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'use as' }).count(), 0, 'a word is not offered as a code');
    await screenshot(page, 'tag-picker-nothing');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('J01.00');
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'J01.00' }).first().waitFor();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelectorAll('.view-overlays .cdr').length > 0);
  });

  for (const theme of THEMES) {
    it(`reads the note and the report in ${theme}`, async () => {
      const { page } = workbench;
      await runCommand(page, 'Preferences: Color Theme');
      const input = page.locator('.quick-input-widget .quick-input-box input');
      await input.fill(theme);
      await page.locator(`.quick-input-widget .monaco-list-row[aria-label^="${theme}"]`).first().waitFor();
      await page.keyboard.press('Enter');
      await page.waitForTimeout(1500);
      await openCaseFromView(page);
      await page.locator('.editor-actions .action-label[aria-label*="Grade Case"]').first().click();
      await report(page).locator('h1').first().waitFor({ timeout: 30_000 });
      await page.waitForTimeout(1000);
      await screenshot(page, `theme-${theme.toLowerCase().replace(/\s+/g, '-')}`);
    });
  }
});
