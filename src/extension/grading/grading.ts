// Grading in the editor: grade a case or a pack with the current work, record the attempt, show the
// report, and answer the report's buttons (Show Evidence, Show My Tag, open a case or a pack file).
import * as path from 'path';
import * as vscode from 'vscode';
import { learnerAgreement } from '../../core/agreement';
import { DISPUTE_MAX, disputeLine, readDisputes } from '../../core/disputes';
import { grade, gradePack, resolvePolicy, unkeyedResult } from '../../core/grade';
import { appendHistory, caseHistory, readHistory } from '../../core/history';
import { findEvidence } from '../../core/evidence';
import { dispatchReportMessage, parseReportMessage, type ReportMessage } from '../../core/reportProtocol';
import { readAllWork } from '../../core/submission';
import type { CodeSystem, Pack, Policy, WorkFile } from '../../core/model';
import { nodeFs } from '../../node/nodeFs';
import { caseDocument, openCaseFile, revealInNote } from '../cases/notes';
import type { CaseSessions, OpenCase } from '../cases/sessions';
import type { CodeSets } from '../codesets/codeSets';
import type { LoadedPack, PackRegistry } from '../packs/registry';
import { prompts } from '../prompts';
import { ReportPanel, type ReportSubject } from './reportPanel';

export class Grading implements vscode.Disposable {
  readonly report: ReportPanel;
  /** The lines (`disputeLine`) of the case report shown last: a dispute from the page must name one of them. */
  private shownLines = new Set<string>();

  constructor(
    extensionUri: vscode.Uri,
    private readonly registry: PackRegistry,
    private readonly sessions: CaseSessions,
    private readonly codeSets: CodeSets,
  ) {
    this.report = new ReportPanel(extensionUri, {
      restore: (subject) => (subject.kind === 'pack' ? this.gradePack(subject.packRoot) : this.gradeCase(subject.packRoot, subject.caseId, false)),
      onMessage: (subject, message) =>
        void this.onMessage(subject, message).catch((e: unknown) => {
          void vscode.window.showErrorMessage(`Casebook could not do that from the report: ${(e as Error).message}`);
        }),
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
    // The key or the note may have just been saved: reload the pack if (and only if) they changed.
    const known = (await this.loadedPack(packRoot))?.pack;
    const files = [known?.cases.find((n) => n.id === caseId)?.file, known?.keys.get(caseId)?.file].filter((f): f is string => !!f);
    const loaded = await this.registry.current(packRoot, files);
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
      this.shownLines = new Set();
      this.report.showCase(subject, unkeyedResult(note, work), undefined, note, {});
      return;
    }
    const result = grade(open?.note ?? note, key, work, this.policyFor(loaded));
    const refused = attempt ? await appendHistory(nodeFs, packRoot, result, new Date()) : undefined;
    if (refused)
      void vscode.window.showErrorMessage(`Casebook did not record this attempt in ${refused.file}: ${refused.message}. To fix: ${refused.hint ?? ''}.`);
    const history = caseHistory((await readHistory(nodeFs, packRoot)).entries, caseId);
    const year = loaded.pack.manifest.codeSetYear;
    const descriptions = (system: CodeSystem, code: string) => this.codeSets.describe(system, code, year, loaded.pack?.glossary);
    const works = await this.packWorks(packRoot, loaded.pack);
    if (work) works.set(caseId, work);
    const agreement = learnerAgreement(loaded.pack.keys.values(), works.values());
    this.shownLines = new Set(result.lines.map(disputeLine));
    this.report.showCase(subject, result, key, open?.note ?? note, {
      descriptions,
      history: attempt && !refused ? history.slice(0, -1) : history,
      work,
      agreement,
    });
    void vscode.commands.executeCommand('setContext', 'casebook.gradeSeen', true); // the walkthrough's last step
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
    const works = await this.packWorks(packRoot, loaded.pack);
    const agreement = learnerAgreement(loaded.pack.keys.values(), works.values());
    this.report.showPack({ kind: 'pack', packRoot }, gradePack(loaded.pack, works, this.policyFor(loaded)), loaded.pack.manifest.title, agreement);
  }

  /** The learner's work on every case of the pack: saved files, and open cases' sessions (newer than what a watcher has reloaded). */
  private async packWorks(packRoot: string, pack: Pack): Promise<Map<string, WorkFile>> {
    const { works } = await readAllWork(nodeFs, pack);
    for (const d of vscode.workspace.textDocuments) {
      const c = d.uri.fsPath.startsWith(packRoot + path.sep) ? await this.sessions.peek(d.uri) : undefined;
      if (c) works.set(c.note.id, c.session.work);
    }
    return works;
  }

  /** A message as the page would post it (tests): checked by the protocol, then answered like the page's, awaited. */
  async reportMessage(value: unknown): Promise<void> {
    const message = parseReportMessage(value);
    const subject = this.report.visibleSubject;
    if (message && subject) await this.onMessage(subject, message);
  }

  /** The case of a note file, optionally opening its document (without showing it). */
  private async openCase(packRoot: string, file: string, load: boolean): Promise<OpenCase | undefined> {
    const uri = vscode.Uri.file(path.join(packRoot, file));
    const doc = caseDocument(uri) ?? (load ? (await openCaseFile(uri, { viewColumn: vscode.ViewColumn.One })).document : undefined);
    return doc ? this.sessions.caseFor(doc) : undefined;
  }

  /** Answers the report's buttons. `ready` only says the page loaded: nothing to do (and no note to open). */
  private onMessage(subject: ReportSubject, message: ReportMessage): Promise<void> {
    return dispatchReportMessage(message, {
      ready: async () => undefined,
      openLink: ({ href }) => openPackLink(subject.packRoot, href),
      openCase: async ({ case: caseId }) => {
        const note = (await this.loadedPack(subject.packRoot))?.pack?.cases.find((n) => n.id === caseId);
        if (note) await vscode.commands.executeCommand('casebook.openCase', vscode.Uri.file(path.join(subject.packRoot, note.file)));
      },
      showEvidence: async ({ kind, keyIndex }) => {
        const target = await this.reportCase(subject);
        if (!target) return;
        const key = target.loaded.pack?.keys.get(target.c.note.id);
        const line = (kind === 'diagnosis' ? key?.diagnoses : key?.procedures)?.[keyIndex];
        for (const phrase of line?.evidence ?? []) {
          const [place] = findEvidence(target.c.note.body, phrase);
          if (place) return revealInNote(target.c, place.start, place.end);
        }
        void vscode.window.showInformationMessage('The key gives no evidence phrase for this line.');
      },
      showTag: async ({ tagId }) => {
        const target = await this.reportCase(subject);
        if (!target) return;
        const tag = target.c.session.work.tags.find((t) => t.id === tagId);
        if (tag?.anchor && !tag.detached) await revealInNote(target.c, tag.anchor.start, tag.anchor.end);
        else void vscode.window.showInformationMessage('That tag has no text in the note (added without a selection, or detached).');
      },
      dispute: async ({ line }) => {
        // The page is not trusted: the line must be one of the report it was sent from.
        if (!this.shownLines.has(line)) return;
        const target = await this.reportCase(subject);
        if (!target) return;
        const existing = readDisputes(target.c.session.work).find((d) => d.line === line);
        const note = await prompts.input({
          prompt: `Your note on ${line}: why do you disagree with the key? (Empty removes your note.)`,
          placeHolder: 'I disagree because …',
          value: existing?.note,
          ignoreFocusOut: true,
          validateInput: (v) => (v.length > DISPUTE_MAX ? `Keep it under ${DISPUTE_MAX} characters (now ${v.length}).` : undefined),
        });
        if (note === undefined) return;
        // The same save path as tagging: the session's work (tags untouched) saved atomically, in order.
        await this.sessions.change(target.c, (session) => session.setDispute(line, note));
        await this.gradeCase(subject.packRoot, target.c.note.id, false);
      },
    });
  }

  /** The case a case report is about, its note opened (a pack report has none). */
  private async reportCase(subject: ReportSubject): Promise<{ loaded: LoadedPack; c: OpenCase } | undefined> {
    if (subject.kind !== 'case') return undefined;
    const loaded = await this.loadedPack(subject.packRoot);
    const note = loaded?.pack?.cases.find((n) => n.id === subject.caseId);
    const c = note && (await this.openCase(subject.packRoot, note.file, true));
    return loaded && c ? { loaded, c } : undefined;
  }

  dispose(): void {
    this.report.dispose();
  }
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
