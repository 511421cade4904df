// The exam in the editor: Start Exam…, the Exams view, the question view (runner.ts) and the score
// report. register() wires it all and returns what tests read; nothing is loaded until it is used.
import * as path from 'path';
import * as vscode from 'vscode';
import { AttemptSession, readAttempts, saveAttempt, startAttempt } from '../../core/exam/attempt';
import type { Attempt, Exam, ExamScore } from '../../core/exam/model';
import { renderExamReport } from '../../core/exam/report';
import { scoreAttempt } from '../../core/exam/score';
import { resolvePolicy } from '../../core/grade';
import { readAllWork } from '../../core/submission';
import { nodeFs } from '../../node/nodeFs';
import type { LoadedPack, PackRegistry } from '../packs/registry';
import type { ExamSubject, ToHost } from './protocol';
import { EXAM_VIEW_TYPE, ExamRunner } from './runner';
import { casebookPanel, pageSources, withSubject } from '../webview';

export const EXAM_REPORT_VIEW_TYPE = 'casebook.examReport';

export interface ExamServices {
  registry: PackRegistry;
}

/** What integration tests read and do (the page's messages go through the same handler as keys). */
export interface ExamTestApi {
  attempt(): Attempt | undefined;
  post(message: ToHost): Promise<void>;
  questionHtml(): string;
  reportHtml(): string;
  statusText(): string;
  /** Whether the question view is open. */
  viewOpen(): boolean;
  /**
   * What a crash or Reload Window leaves: the exam view and its memory are gone without a last save;
   * the attempt is then opened again from its file, as the panel serializer does after a reload.
   */
  crashAndResume(): Promise<void>;
  /** The id of the last confirmation the page was asked to show (to answer it as the page would). */
  lastConfirmId(): string | undefined;
}

interface StartArgs {
  packRoot?: string;
  exam?: string;
  mode?: 'timed' | 'practice';
  /** Start a new attempt even if one is in progress. */
  fresh?: boolean;
}

type Node = { type: 'exam'; loaded: LoadedPack; exam: Exam } | { type: 'attempt'; loaded: LoadedPack; exam: Exam; attempt: Attempt; score?: ExamScore };

export function register(context: vscode.ExtensionContext, services: ExamServices): ExamTestApi {
  const exams = new Exams(context, services);
  context.subscriptions.push(exams);
  return {
    attempt: () => exams.runner?.session.attempt ?? exams.lastSubmitted,
    post: async (m) => {
      const runner = exams.runner;
      await runner?.handle(m);
      await runner?.flush();
    },
    crashAndResume: async () => {
      const runner = exams.runner;
      if (!runner) return;
      await runner.flush();
      const subject = runner.subject;
      exams.runner = undefined;
      runner.abandon();
      await exams.resumeSubject(subject);
    },
    questionHtml: () => exams.runner?.html ?? '',
    reportHtml: () => exams.reportHtml,
    statusText: () => exams.runner?.status.text ?? '',
    viewOpen: () => !!exams.runner?.panel,
    lastConfirmId: () => exams.runner?.lastConfirm,
  };
}

class Exams implements vscode.Disposable, vscode.TreeDataProvider<Node> {
  runner: ExamRunner | undefined;
  lastSubmitted: Attempt | undefined;
  reportHtml = '';
  private reportPanel: vscode.WebviewPanel | undefined;
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private readonly registry: PackRegistry;

  constructor(
    private readonly context: vscode.ExtensionContext,
    services: ExamServices,
  ) {
    this.registry = services.registry;
    // Command arguments come from VS Code untyped; each command checks its own.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const command = (id: string, run: (...args: any[]) => unknown) => vscode.commands.registerCommand(id, run);
    this.disposables.push(
      vscode.window.createTreeView('casebook.exams', { treeDataProvider: this }),
      this.registry.onDidChange(() => this.refreshView()),
      this.registry.onDidChangeProgress(() => this.changed.fire(undefined)),
      command('casebook.startExam', (arg?: StartArgs) => this.start(arg ?? {})),
      command('casebook.resumeExam', () => (this.runner ? this.runner.show() : this.start({}))),
      command('casebook.showExamReport', (arg?: ExamSubject) => arg && this.showReport(arg)),
      vscode.window.registerWebviewPanelSerializer(EXAM_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel, state: { subject?: ExamSubject } | undefined) => {
          if (!state?.subject || !(await this.resume(state.subject, panel))) panel.dispose();
        },
      }),
      vscode.window.registerWebviewPanelSerializer(EXAM_REPORT_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel, state: { subject?: ExamSubject } | undefined) => {
          if (state?.subject) await this.showReport(state.subject, panel);
          else panel.dispose();
        },
      }),
    );
  }

  private refreshView(): void {
    this.changed.fire(undefined);
  }

  private async loadedPack(root: string): Promise<LoadedPack | undefined> {
    return this.registry.packFor(path.join(root, 'casebook.json'));
  }

  /** Attempts at an exam, oldest first; damaged files are moved aside and the learner told. */
  private async attempts(root: string, examId: string): Promise<Attempt[]> {
    const read = await readAttempts(nodeFs, root, examId, { moveAside: true });
    for (const p of read.refused) void vscode.window.showErrorMessage(`Casebook did not read your exam attempts: ${p.message}. To fix: ${p.hint ?? ''}.`);
    for (const u of read.unreadable) {
      void vscode.window.showWarningMessage(
        `Casebook could not read an exam attempt (${u.problems[0]?.message ?? 'damaged'}), so it was kept as ${path.basename(u.movedTo ?? u.path)}. Nothing was deleted.`,
      );
    }
    return read.attempts;
  }

  async start(arg: StartArgs): Promise<void> {
    const packs = (await this.registry.all()).filter((p) => p.pack?.exam?.exams.length);
    let loaded = arg.packRoot ? packs.find((p) => p.root === arg.packRoot) : undefined;
    let exam = loaded && arg.exam ? loaded.pack!.exam!.exams.find((e) => e.id === arg.exam) : undefined;
    if (!exam) {
      const items = packs.flatMap((p) =>
        p.pack!.exam!.exams.map((e) => ({
          label: e.title,
          description: `${e.parts.reduce((n, part) => n + part.items.length, 0)} questions · ${e.minutes} min${e.parts.length > 1 ? ` · ${e.parts.length} parts` : ''}`,
          detail: p.pack!.manifest.title,
          loaded: p,
          exam: e,
        })),
      );
      if (!items.length) {
        void vscode.window.showInformationMessage(
          'No exam in this workspace: a pack with exams/ID.yaml and questions/ is needed (see the CPC practice exam pack).',
        );
        return;
      }
      const picked = items.length === 1 ? items[0] : await vscode.window.showQuickPick(items, { title: 'Casebook: start exam' });
      if (!picked) return;
      ({ loaded, exam } = picked);
    }
    const pack = loaded!.pack!;
    if (this.runner && !(this.runner.root === loaded!.root && this.runner.exam.id === exam.id)) {
      void vscode.window.showInformationMessage(`Finish or submit "${this.runner.exam.title}" first.`);
      this.runner.show();
      return;
    }
    const open = (await this.attempts(loaded!.root, exam.id)).filter((a) => a.submitted === null);
    if (open.length && !arg.fresh) {
      await this.resume({ packRoot: loaded!.root, exam: exam.id, attempt: open[open.length - 1].id });
      return;
    }
    let mode = arg.mode;
    if (!mode) {
      const picked = await vscode.window.showQuickPick(
        [
          { label: `Timed: ${exam.minutes} minutes`, description: 'as in the real exam; time out submits', mode: 'timed' as const },
          { label: 'Practice: untimed', description: 'no clock; parts still lock once left', mode: 'practice' as const },
        ],
        { title: `Casebook: ${exam.title}` },
      );
      if (!picked) return;
      mode = picked.mode;
    }
    const questions = new Map((pack.exam?.questions ?? []).map((q) => [q.id, q]));
    let attempt = startAttempt(exam, questions, { now: new Date(), mode });
    // Two starts within a second get distinct ids.
    const taken = new Set((await this.attempts(loaded!.root, exam.id)).map((a) => a.id));
    for (let n = 2; taken.has(attempt.id); n++) attempt = { ...attempt, id: `${attempt.id.replace(/-\d+$/, '')}-${n}` };
    const refused = await saveAttempt(nodeFs, loaded!.root, attempt);
    if (refused) {
      void vscode.window.showErrorMessage(
        `Casebook cannot start the exam: ${refused.message}. To fix: ${refused.hint ?? 'make .casebook a plain folder of the pack'}.`,
      );
      return;
    }
    this.run(loaded!, exam, attempt);
    this.runner!.show();
    this.changed.fire(undefined);
  }

  resumeSubject(subject: ExamSubject): Promise<boolean> {
    return this.resume(subject);
  }

  /** Opens an attempt again (after closing the view, a reload or a crash), on the same question and clock. */
  private async resume(subject: ExamSubject, panel?: vscode.WebviewPanel): Promise<boolean> {
    if (this.runner?.subject.attempt === subject.attempt && this.runner.root === subject.packRoot) {
      if (panel) this.runner.show(panel);
      else this.runner.show();
      return true;
    }
    const loaded = await this.loadedPack(subject.packRoot);
    const exam = loaded?.pack?.exam?.exams.find((e) => e.id === subject.exam);
    if (!loaded?.pack || !exam) return false;
    const attempt = (await this.attempts(subject.packRoot, subject.exam)).find((a) => a.id === subject.attempt);
    if (!attempt) return false;
    if (attempt.submitted) {
      panel?.dispose();
      await this.showReport(subject);
      return true;
    }
    this.runner?.dispose();
    this.run(loaded, exam, attempt);
    if (this.runner!.session.submitted) return true; // the time ran out while the window was closed
    this.runner!.show(panel);
    return true;
  }

  private run(loaded: LoadedPack, exam: Exam, attempt: Attempt): void {
    const pack = loaded.pack!;
    const questions = new Map((pack.exam?.questions ?? []).map((q) => [q.id, q]));
    const session = new AttemptSession(exam, attempt, questions);
    const registry = this.registry;
    this.runner = new ExamRunner(
      this.context.extensionUri,
      loaded.root,
      pack,
      exam,
      session,
      {
        submitted: (runner) => void this.finished(runner),
        saved: () => registry.scheduleProgress(),
      },
      // A case item counts as answered once the learner has saved work on it.
      (caseId) => loaded.inProgress.has(caseId),
    );
  }

  private async finished(runner: ExamRunner): Promise<void> {
    if (this.runner !== runner) return;
    this.runner = undefined;
    this.lastSubmitted = runner.session.attempt;
    runner.dispose();
    this.changed.fire(undefined);
    await this.showReport(runner.subject);
  }

  private async score(loaded: LoadedPack, exam: Exam, attempt: Attempt): Promise<ExamScore | undefined> {
    const pack = loaded.pack!;
    if (!pack.exam?.questionKeys.size) return undefined;
    const { works } = await readAllWork(nodeFs, pack);
    return scoreAttempt(pack, exam, attempt, works, resolvePolicy(pack.manifest.grading));
  }

  async showReport(subject: ExamSubject, restored?: vscode.WebviewPanel): Promise<void> {
    const loaded = await this.loadedPack(subject.packRoot);
    const exam = loaded?.pack?.exam?.exams.find((e) => e.id === subject.exam);
    const attempts = exam ? await this.attempts(subject.packRoot, exam.id) : [];
    const attempt = attempts.find((a) => a.id === subject.attempt);
    if (!loaded?.pack || !exam || !attempt) {
      restored?.dispose();
      void vscode.window.showErrorMessage(`Casebook cannot find that exam attempt in ${subject.packRoot}.`);
      return;
    }
    const score = await this.score(loaded, exam, attempt);
    if (!score) {
      restored?.dispose();
      void vscode.window.showInformationMessage(
        `"${exam.title}" is submitted. This pack has no answer keys (a released pack): export your submission (Casebook: Export Submission…) for your instructor to score.`,
      );
      return;
    }
    const history = [];
    for (const a of attempts) history.push({ attempt: a, ...(a.submitted ? { score: await this.score(loaded, exam, a) } : {}) });
    const extensionUri = this.context.extensionUri;
    const existing = restored ?? this.reportPanel;
    existing?.reveal();
    const panel = casebookPanel(extensionUri, EXAM_REPORT_VIEW_TYPE, `Score: ${exam.title}`, vscode.ViewColumn.Active, existing);
    if (panel !== this.reportPanel) {
      const p = panel;
      p.onDidDispose(() => {
        if (this.reportPanel === p) this.reportPanel = undefined;
      });
      this.reportPanel = p;
    }
    const { nonce, cspSource, media } = pageSources(panel, extensionUri);
    this.reportHtml = renderExamReport(loaded.pack, exam, attempt, score, {
      nonce,
      cspSource,
      styleHref: [media('report.css'), media('exam.css')],
      // report.js keeps the subject as state (for Reload Window) and routes pack links; there are no other buttons.
      scriptSrc: media('report.js'),
      attempts: history,
    });
    panel.webview.html = withSubject(this.reportHtml, subject);
  }

  // ---- the Exams view ----

  async getChildren(node?: Node): Promise<Node[]> {
    if (!node) {
      const packs = await this.registry.all();
      return packs.flatMap((loaded) => (loaded.pack?.exam?.exams ?? []).map((exam) => ({ type: 'exam' as const, loaded, exam })));
    }
    if (node.type === 'exam') {
      const attempts = await this.attempts(node.loaded.root, node.exam.id);
      const nodes: Node[] = [];
      for (const attempt of [...attempts].reverse()) {
        const score = attempt.submitted ? await this.score(node.loaded, node.exam, attempt) : undefined;
        nodes.push({ type: 'attempt', loaded: node.loaded, exam: node.exam, attempt, score });
      }
      return nodes;
    }
    return [];
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.type === 'exam') {
      const item = new vscode.TreeItem(node.exam.title, vscode.TreeItemCollapsibleState.Collapsed);
      const count = node.exam.parts.reduce((n, p) => n + p.items.length, 0);
      item.description = `${count} questions · ${node.exam.minutes} min`;
      item.tooltip = `${node.loaded.pack?.manifest.title ?? node.loaded.root}: click to start or resume`;
      item.iconPath = new vscode.ThemeIcon('mortar-board');
      item.contextValue = 'exam';
      item.id = `${node.loaded.root}#exam:${node.exam.id}`;
      item.command = { command: 'casebook.startExam', title: 'Start Exam', arguments: [{ packRoot: node.loaded.root, exam: node.exam.id }] };
      return item;
    }
    const { attempt, score } = node;
    const started = attempt.started.replace('T', ' ').slice(0, 16);
    const item = new vscode.TreeItem(started, vscode.TreeItemCollapsibleState.None);
    const subject: ExamSubject = { packRoot: node.loaded.root, exam: node.exam.id, attempt: attempt.id };
    if (attempt.submitted === null) {
      item.description = `in progress · ${Object.keys(attempt.answers).length} answered${attempt.mode === 'practice' ? ' · practice' : ''}`;
      item.iconPath = new vscode.ThemeIcon('watch');
      item.command = { command: 'casebook.startExam', title: 'Resume', arguments: [{ packRoot: node.loaded.root, exam: node.exam.id }] };
    } else {
      item.description = score
        ? `${Math.round(score.percent * 1000) / 10}% ${score.passed ? 'passed' : 'not passed'}${attempt.mode === 'practice' ? ' · practice' : ''}`
        : 'submitted';
      item.iconPath = score
        ? new vscode.ThemeIcon(score.passed ? 'pass' : 'error', new vscode.ThemeColor(score.passed ? 'testing.iconPassed' : 'testing.iconFailed'))
        : new vscode.ThemeIcon('check');
      item.command = { command: 'casebook.showExamReport', title: 'Show Score Report', arguments: [subject] };
    }
    item.id = `${node.loaded.root}#attempt:${node.exam.id}/${attempt.id}`;
    item.contextValue = 'examAttempt';
    return item;
  }

  dispose(): void {
    this.runner?.dispose();
    this.reportPanel?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
