// The grading feature: Grade Case and Grade Pack, and the report webview they show.
import * as vscode from 'vscode';
import { packRootArg } from '../commandArgs';
import { choosePack } from '../packs/pickPack';
import type { Services } from '../services';
import { Grading } from './grading';

export function register(context: vscode.ExtensionContext, services: Services): { reportHtml(): string; reportMessage(value: unknown): Promise<void> } {
  const grading = new Grading(context.extensionUri, services.registry, services.sessions, services.codeSets);
  context.subscriptions.push(
    grading,
    vscode.commands.registerCommand('casebook.gradeCase', async () => {
      const c = await services.active.require();
      if (c) await grading.gradeCase(c.loaded.root, c.note.id);
    }),
    vscode.commands.registerCommand('casebook.gradePack', async (arg?: unknown) => {
      const loaded = await choosePack(services, packRootArg(arg));
      if (loaded) await grading.gradePack(loaded.root);
    }),
  );
  return { reportHtml: () => grading.report.html, reportMessage: (value) => grading.reportMessage(value) };
}
