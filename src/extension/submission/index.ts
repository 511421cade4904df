// The submission feature: Export Submission writes the learner's work on a pack as one file for an
// instructor. What gets exported (and when nothing is) is core's policy, shared with `casebook export`.
import * as path from 'path';
import * as vscode from 'vscode';
import { exportSubmission, serializeSubmission } from '../../core/export';
import { safeFileName } from '../../core/fileNames';
import { atomicWriteText } from '../../core/work';
import { nodeFs } from '../../node/nodeFs';
import { choosePack } from '../packs/pickPack';
import type { Services } from '../services';

const LEARNER_NAME = 'learnerName';

export function register(context: vscode.ExtensionContext, services: Services): void {
  context.subscriptions.push(vscode.commands.registerCommand('casebook.exportSubmission', () => exportCommand(context, services)));
}

async function exportCommand(context: vscode.ExtensionContext, services: Services): Promise<void> {
  const loaded = await choosePack(services);
  if (!loaded?.pack) return;
  const learner = (
    await vscode.window.showInputBox({
      title: 'Casebook: export submission',
      prompt: 'Your name as your instructor knows it',
      value: context.globalState.get<string>(LEARNER_NAME) ?? '',
      validateInput: (v) => (v.trim() ? undefined : 'Enter a name.'),
    })
  )?.trim();
  if (!learner) return;
  await context.globalState.update(LEARNER_NAME, learner);
  const exported = await exportSubmission(nodeFs, loaded.pack, learner, new Date());
  if (!exported.submission) {
    const files = [...new Set(exported.problems.filter((p) => p.severity === 'error').map((p) => p.file))];
    void vscode.window.showErrorMessage(
      `Casebook did not export: ${files.length} work file(s) cannot be read (${files.join(', ')}), and a submission without them would look complete. Open those cases (Casebook keeps the unreadable file aside and starts fresh) or fix the files, then export again.`,
    );
    return;
  }
  const safe = `${safeFileName(loaded.pack.manifest.id)}-${safeFileName(learner)}.json`;
  const target = await vscode.window.showSaveDialog({
    defaultUri: vscode.Uri.file(path.join(path.dirname(loaded.root), safe)),
    filters: { 'Casebook submission': ['json'] },
  });
  if (!target) return;
  await atomicWriteText(nodeFs, target.fsPath, serializeSubmission(exported.submission));
  const exams = exported.attempts ? ` and ${exported.attempts} exam attempt(s)` : '';
  void vscode.window.showInformationMessage(`Exported ${exported.cases} case(s)${exams} to ${target.fsPath}.`);
}
