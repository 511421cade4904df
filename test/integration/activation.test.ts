import * as assert from 'assert';
import * as vscode from 'vscode';
import manifest from '../../package.json';

const EXTENSION_ID = `${manifest.publisher}.${manifest.name}`;

describe('Casebook activation', () => {
  it('is installed as casebook.casebook and activates', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `extension ${EXTENSION_ID} not found`);
    await extension.activate();
    assert.strictEqual(extension.isActive, true);
  });

  it('registers every command that package.json contributes', async () => {
    await vscode.extensions.getExtension(EXTENSION_ID)?.activate();
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = manifest.contributes.commands.map((c) => c.command).filter((id) => !registered.has(id));
    if (missing.length > 0) assert.fail(`commands in package.json but not registered: ${missing.join(', ')}`);
  });

  it('shows the Casebook view container with its Cases and Coding Sheet views', async () => {
    await vscode.commands.executeCommand('workbench.view.extension.casebook');
    // VS Code derives a `<view id>.focus` command for every contributed view; it fails for unknown views.
    for (const view of manifest.contributes.views.casebook) {
      await vscode.commands.executeCommand(`${view.id}.focus`);
    }
  });
});
