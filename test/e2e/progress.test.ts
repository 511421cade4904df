// The progress dashboard in the real workbench: a learner with three weeks of graded attempts opens
// it from the Cases view's title, sees their areas as charts with no CSP violation, in the light, dark
// and high-contrast themes (screenshots in test-results/), and Practise Next from the page opens a case.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { FrameLocator } from 'playwright-core';
import { grade, resolvePolicy } from '../../src/core/grade';
import { historyLine } from '../../src/core/history';
import type { Tag } from '../../src/core/model';
import { loadPack } from '../../src/core/pack';
import { nodeFs } from '../../src/node/nodeFs';
import { type Workbench, runCommand, screenshot, startWorkbench } from './helpers';

const DAY = 86_400_000;

const t = (code: string, extra: Partial<Tag> = {}): Tag => ({
  id: `t-${code}-${Math.random().toString(16).slice(2, 6)}`,
  system: 'ICD-10-CM',
  code,
  modifiers: [],
  units: 1,
  links: [],
  ...extra,
});
const cpt = (code: string, extra: Partial<Tag> = {}): Tag => t(code, { system: 'CPT', ...extra });
const hcpcs = (code: string, extra: Partial<Tag> = {}): Tag => t(code, { system: 'HCPCS', ...extra });

/** Three weeks of practice on the sample pack, graded for real, written as the editor writes it. */
async function writeHistory(root: string): Promise<void> {
  const { pack } = await loadPack(nodeFs, root);
  assert.ok(pack);
  const attempts: Array<[string, Tag[], number]> = [
    ['office-visit-sinusitis', [t('J01.01'), cpt('99214')], 20],
    ['knee-injection', [t('M17.12'), cpt('20610')], 19],
    ['office-visit-sinusitis', [t('J01.00'), cpt('99213', { links: ['J01.00'] })], 13],
    ['dexamethasone-injection', [t('L23.7'), cpt('96372'), hcpcs('J1100')], 12],
    ['knee-injection', [t('M17.11'), cpt('20610', { modifiers: ['RT'] })], 6],
    ['office-visit-sinusitis', [t('J01.00'), t('I10'), cpt('99213', { links: ['J01.00', 'I10'] })], 2],
  ];
  const now = Date.now();
  const lines = attempts.map(([id, tags, daysAgo]) => {
    const note = pack.cases.find((c) => c.id === id)!;
    const result = grade(note, pack.keys.get(id)!, { format: 1, case: id, noteSha256: '', updated: '', tags }, resolvePolicy(pack.manifest.grading));
    return historyLine(result, new Date(now - daysAgo * DAY));
  });
  fs.mkdirSync(path.join(root, '.casebook'), { recursive: true });
  fs.writeFileSync(path.join(root, '.casebook', 'history.jsonl'), lines.join('\n') + '\n');
}

function dashboard(page: Workbench['page']): FrameLocator {
  return page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
}

async function setTheme(workbench: Workbench, theme: string): Promise<void> {
  fs.mkdirSync(path.join(workbench.workspace, '.vscode'), { recursive: true });
  fs.writeFileSync(path.join(workbench.workspace, '.vscode', 'settings.json'), JSON.stringify({ 'workbench.colorTheme': theme }));
  await workbench.page.waitForFunction(
    (name) => document.querySelector('.monaco-workbench')?.classList.contains(name),
    theme.includes('High Contrast') ? 'hc-black' : theme.includes('Dark') ? 'vs-dark' : 'vs',
    { timeout: 30_000 },
  );
  await workbench.page.waitForTimeout(1000);
}

describe('the progress dashboard in the real workbench', function () {
  this.timeout(180_000);
  let workbench: Workbench;

  before(async () => {
    workbench = await startWorkbench();
    await writeHistory(workbench.workspace);
  });

  after(async () => {
    await workbench?.stop();
  });

  it('opens from the Cases view title with charts for the learner’s areas and no CSP violation', async () => {
    const { page, consoleErrors } = workbench;
    await setTheme(workbench, 'Default Light Modern');
    await runCommand(page, 'View: Show Casebook');
    consoleErrors.length = 0;
    // View title actions show while the pointer is over the view.
    await page.locator('.part.sidebar .pane-header', { hasText: 'Cases' }).first().hover();
    await page.locator('.part.sidebar .pane-header', { hasText: 'Cases' }).locator('.action-label[aria-label="Show Progress"]').first().click();
    const frame = dashboard(page);
    await frame.locator('h1', { hasText: 'Progress: Casebook Sample Pack' }).waitFor({ timeout: 30_000 });
    const areas = await frame.locator('.area-name').allTextContents();
    for (const area of ['Evaluation and Management', 'ICD-10-CM', 'Musculoskeletal System']) assert.ok(areas.includes(area), `${area} in ${areas.join(', ')}`);
    assert.ok((await frame.locator('svg.line-chart circle').count()) >= 6, 'a point per attempt');
    // The stylesheet applied (a nonce-less or blocked sheet would leave the SVG line black and unstyled).
    const stroke = await frame
      .locator('svg.line-chart .series')
      .first()
      .evaluate((el) => getComputedStyle(el).stroke);
    assert.notStrictEqual(stroke, 'none');
    await screenshot(page, 'progress-light');
    const violations = consoleErrors.filter((m) => /Content Security Policy|Refused to/i.test(m));
    assert.deepStrictEqual(violations, [], 'no CSP violation in the page');
  });

  it('follows the dark and high-contrast themes', async () => {
    const { page } = workbench;
    const frame = dashboard(page);
    const colour = () => frame.locator('body').evaluate((el) => getComputedStyle(el).backgroundColor);
    const light = await colour();
    await setTheme(workbench, 'Default Dark Modern');
    assert.notStrictEqual(await colour(), light, 'the page background follows the theme');
    await screenshot(page, 'progress-dark');
    await frame.locator('#h-errors').scrollIntoViewIfNeeded();
    await screenshot(page, 'progress-dark-tables');
    await setTheme(workbench, 'Default High Contrast');
    await screenshot(page, 'progress-high-contrast');
    await setTheme(workbench, 'Default Light Modern');
    await frame.locator('#h-exams').scrollIntoViewIfNeeded();
    await screenshot(page, 'progress-light-tables');
  });

  it('brings the dashboard back after the window reloads', async () => {
    const { page } = workbench;
    await runCommand(page, 'Developer: Reload Window');
    await page.waitForEvent('load', { timeout: 60_000 }).catch(() => undefined);
    await page.waitForFunction(() => document.title.startsWith('[Extension Development Host]'), undefined, { timeout: 60_000 });
    await dashboard(page).locator('h1', { hasText: 'Progress: Casebook Sample Pack' }).waitFor({ timeout: 60_000 });
  });

  it('Practise Next on the page opens the case it chose', async () => {
    const { page } = workbench;
    await dashboard(page).locator('button[data-action="practiseNext"]').click();
    // The case opens as the Cases view opens it: the learner's view (NAME.case).
    await page.locator('.tab.active[aria-label*=".case"]').first().waitFor({ timeout: 30_000 });
    await page.locator('.notifications-toasts', { hasText: 'Practise next:' }).waitFor({ timeout: 30_000 });
  });
});
