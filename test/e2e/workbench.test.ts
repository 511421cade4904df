import * as assert from 'assert';
import { type Workbench, openFile, runCommand, screenshot, startWorkbench } from './helpers';

describe('the workbench with Casebook', () => {
  let workbench: Workbench;

  before(async () => {
    workbench = await startWorkbench();
  });

  after(async () => {
    await workbench?.stop();
  });

  it('opens the sample pack with Casebook in development mode', async () => {
    const { page } = workbench;
    assert.match(await page.title(), /^\[Extension Development Host\]/);
    await page.locator('.explorer-folders-view .monaco-list-row[aria-label="casebook.json"]').waitFor();
  });

  it('shows the Casebook view with its Cases and Coding Sheet sections from the activity bar', async () => {
    const { page } = workbench;
    await page.locator('.activitybar .action-label[aria-label^="Casebook"]').click();
    const sidebar = page.locator('.part.sidebar');
    await sidebar.locator('.composite.title h2', { hasText: /^Casebook$/i }).waitFor();
    await sidebar.locator('.pane-header[aria-label^="Cases"]').waitFor();
    await sidebar.locator('.pane-header[aria-label^="Coding Sheet"]').waitFor();
    await screenshot(page, 'casebook-view');
  });

  it('shows the Casebook view from the command palette', async () => {
    const { page } = workbench;
    await runCommand(page, 'View: Show Explorer');
    await page.locator('.part.sidebar .composite.title h2', { hasText: /^Explorer/i }).waitFor();
    await runCommand(page, 'View: Show Casebook');
    await page.locator('.part.sidebar .composite.title h2', { hasText: /^Casebook$/i }).waitFor();
  });

  it('opens the pack manifest through quick open', async () => {
    const { page } = workbench;
    await openFile(page, 'casebook.json');
    await page.locator('.editor-instance .view-lines', { hasText: '"format"' }).waitFor();
  });
});
