// Grading in the editor: grade a case or a pack with the current work, record the attempt, show the
// report, and answer the report's buttons (Show Evidence, Show My Tag, open a case or a pack file).
import * as path from 'path';
import * as vscode from 'vscode';
import { grade, gradePack, resolvePolicy } from '../core/grade';
import { appendHistory, caseHistory, readHistory } from '../core/history';
import { findEvidence } from '../core/evidence';
import { readAllWork } from '../core/submission';
import type { CodeSystem, Policy } from '../core/model';
import { nodeFs } from '../node/nodeFs';
import type { CaseSessions, OpenCase } from './cases';
import type { CodeSets } from './codesetService';
import type { LoadedPack, PackRegistry } from './packs';
import { ReportMessage, ReportPanel, ReportSubject } from './report';

export class Grading implements vscode.Disposable {
  readonly report: ReportPanel;

  constructor(
    extensionUri: vscode.Uri,
    private readonly registry: PackRegistry,
    private readonly sessions: CaseSessions,
    private readonly codeSets: CodeSets,
  ) {
    this.report = new ReportPanel(extensionUri, {
      restore: (subject) => (subject.kind === 'pack' ? this.gradePack(subject.packRoot) : this.gradeCase(subject.packRoot, subject.caseId, false)),
      onMessage: (subject, message) => void this.onMessage(subject, message),
    });
  }

  private policyFor(loaded: LoadedPack): Policy {
    const passMark = vscode.workspace.getConfiguration('casebook').get<number | null>('passMark');
    return resolvePolicy(loaded.pack?.manifest.grading, typeof passMark === 'number' ? { passMark } : undefined);
  }

  private loadedPack(packRoot: string): Promise<LoadedPack | undefined> {
    return this.registry.packFor(path.join(packRoot, 'casebook.json'));
  }

  /** Grades a case and shows the report; `attempt` false re-shows it (after a reload) without adding to the history. */
  async gradeCase(packRoot: string, caseId: string, attempt = true): Promise<void> {
    this.registry.refresh(); // the key or the note may have just been edited
    const loaded = await this.loadedPack(packRoot);
    const note = loaded?.pack?.cases.find((n) => n.id === caseId);
    if (!loaded?.pack || !note) {
      void vscode.window.showErrorMessage(`Casebook cannot find case "${caseId}" in ${packRoot}. Was it renamed or removed?`);
      return;
    }
    const key = loaded.pack.keys.get(caseId);
    const open = await this.openCase(packRoot, note.file, false);
    const work = open?.session.work ?? (await readAllWork(nodeFs, loaded.pack)).works.get(caseId);
    const subject: ReportSubject = { kind: 'case', packRoot, caseId };
    if (!key) {
      const unkeyed = { case: caseId, attempted: !!work, keyed: false, earned: 0, possible: 0, percent: 0, passed: false, lines: [] };
      this.report.showCase(subject, unkeyed, undefined, note, {});
      return;
    }
    const result = grade(open?.note ?? note, key, work, this.policyFor(loaded));
    if (attempt) await appendHistory(nodeFs, packRoot, result, new Date());
    const history = caseHistory(await readHistory(nodeFs, packRoot), caseId);
    const year = loaded.pack.manifest.codeSetYear;
    const descriptions = (system: CodeSystem, code: string) => this.codeSets.describe(system, code, year, loaded.pack?.glossary);
    this.report.showCase(subject, result, key, open?.note ?? note, { descriptions, history: history.slice(0, -1) });
    this.registry.scheduleProgress();
  }

  async gradePack(packRoot: string): Promise<void> {
    const loaded = await this.loadedPack(packRoot);
    if (!loaded?.pack) return;
    if (loaded.pack.keys.size === 0) {
      void vscode.window.showInformationMessage(
        `"${loaded.pack.manifest.title}" has no answer keys (a released pack), so it cannot be graded here. Export your work (Casebook: Export Submission…) and send it to your instructor.`,
      );
      return;
    }
    const { works } = await readAllWork(nodeFs, loaded.pack);
    // Open cases may have changes newer than what a watcher has reloaded: use the sessions' work.
    for (const d of vscode.workspace.textDocuments) {
      const c = d.uri.fsPath.startsWith(packRoot + path.sep) ? await this.sessions.peek(d.uri) : undefined;
      if (c) works.set(c.note.id, c.session.work);
    }
    this.report.showPack({ kind: 'pack', packRoot }, gradePack(loaded.pack, works, this.policyFor(loaded)), loaded.pack.manifest.title);
  }

  /** The case of a note file, optionally opening its document (without showing it). */
  private async openCase(packRoot: string, file: string, load: boolean): Promise<OpenCase | undefined> {
    const uri = vscode.Uri.file(path.join(packRoot, file));
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === uri.fsPath) ?? (load ? await vscode.workspace.openTextDocument(uri) : undefined);
    return doc ? this.sessions.caseFor(doc) : undefined;
  }

  private async onMessage(subject: ReportSubject, message: ReportMessage): Promise<void> {
    if (message.type === 'openLink') return openPackLink(subject.packRoot, String(message.href));
    const loaded = await this.loadedPack(subject.packRoot);
    if (!loaded?.pack) return;
    if (message.type === 'openCase') {
      const note = loaded.pack.cases.find((n) => n.id === message.case);
      if (note) await vscode.commands.executeCommand('casebook.openCase', vscode.Uri.file(path.join(subject.packRoot, note.file)));
      return;
    }
    if (subject.kind !== 'case') return;
    const note = loaded.pack.cases.find((n) => n.id === subject.caseId);
    const c = note && (await this.openCase(subject.packRoot, note.file, true));
    if (!c) return;
    if (message.type === 'showEvidence') {
      const key = loaded.pack.keys.get(subject.caseId);
      const line = (message.kind === 'diagnosis' ? key?.diagnoses : key?.procedures)?.[Number(message.keyIndex)];
      for (const phrase of line?.evidence ?? []) {
        const [place] = findEvidence(c.note.body, phrase);
        if (place) return revealInNote(c, place.start, place.end);
      }
      void vscode.window.showInformationMessage('The key gives no evidence phrase for this line.');
    } else if (message.type === 'showTag') {
      const tag = c.session.work.tags.find((t) => t.id === message.tagId);
      if (tag?.anchor && !tag.detached) await revealInNote(c, tag.anchor.start, tag.anchor.end);
      else void vscode.window.showInformationMessage('That tag has no text in the note (added without a selection, or detached).');
    }
  }

  dispose(): void {
    this.report.dispose();
  }
}

/** Selects body offsets [start, end) of a case note in its editor (opening it if needed) and scrolls to them. */
export async function revealInNote(c: OpenCase, start: number, end: number): Promise<void> {
  const visible = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === c.uri.toString());
  const editor = await vscode.window.showTextDocument(c.uri, { viewColumn: visible?.viewColumn ?? vscode.ViewColumn.One, preserveFocus: false });
  const range = new vscode.Range(editor.document.positionAt(c.note.bodyOffset + start), editor.document.positionAt(c.note.bodyOffset + end));
  editor.selection = new vscode.Selection(range.start, range.end);
  editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}

/** A relative link in a rationale: opened only when it resolves to a file inside the pack. */
async function openPackLink(packRoot: string, href: string): Promise<void> {
  let relative = href.split(/[?#]/)[0];
  try {
    relative = decodeURIComponent(relative);
  } catch {
    // not percent-encoded after all: use it as written
  }
  const real = await nodeFs.realpath(path.resolve(packRoot, relative)).catch(() => undefined);
  const root = await nodeFs.realpath(packRoot);
  if (real && real.startsWith(root + path.sep)) await vscode.window.showTextDocument(vscode.Uri.file(real), { viewColumn: vscode.ViewColumn.One });
  else void vscode.window.showWarningMessage(`Casebook opens only files inside the pack; "${relative}" is not one.`);
}
