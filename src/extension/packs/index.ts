// The packs feature: the Problems panel for pack authors, and the Refresh command.
import * as vscode from 'vscode';
import type { Services } from '../services';
import { PackDiagnostics } from './diagnostics';

export function register(context: vscode.ExtensionContext, { registry, codeSets }: Services): PackDiagnostics {
  const diagnostics = new PackDiagnostics(registry, (year) => codeSets.checkerFor(year));
  context.subscriptions.push(
    diagnostics,
    vscode.commands.registerCommand('casebook.refresh', () => registry.refresh()),
  );
  return diagnostics;
}
