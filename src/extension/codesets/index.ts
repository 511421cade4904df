// The code sets feature: Import Code Set, Find Code and Compare Code-Set Years (the status bar item
// and the look-up live in CodeSets, a shared service).
import * as vscode from 'vscode';
import { pathsArg, queryArg } from '../commandArgs';
import type { Services } from '../services';

export function register(context: vscode.ExtensionContext, { codeSets, registry }: Services): void {
  context.subscriptions.push(
    // Optional paths skip the file dialog (for tests and scripted set-up).
    vscode.commands.registerCommand('casebook.importCodeSet', (paths?: unknown) => codeSets.importInteractive(pathsArg(paths))),
    // An optional { query } starts Find Code with that text (key bindings, tests).
    vscode.commands.registerCommand('casebook.findCode', (arg?: unknown) => codeSets.findInteractive(queryArg(arg))),
    vscode.commands.registerCommand('casebook.diffCodeSets', async () =>
      codeSets.diffInteractive((await registry.all()).flatMap((p) => [...(p.pack?.keys.values() ?? [])])),
    ),
  );
}
