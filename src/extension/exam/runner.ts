// One exam being taken: the question view (webview), the clock in the status bar, and the attempt file
// saved after every change. Core's AttemptSession holds the rules; this is the VS Code side of them.
import * as crypto from 'crypto';
import * as path from 'path';
import * as vscode from 'vscode';
import { type AttemptSession, saveAttempt } from '../../core/exam/attempt';
import type { Exam, Question } from '../../core/exam/model';
import { examView, renderExamPage, type ExamView } from '../../core/exam/view';
import type { CaseNote, Pack } from '../../core/model';
import { nodeFs } from '../../node/nodeFs';
import { toHost, type ExamSubject, type ToHost, type ToPage } from './protocol';
import { casebookPanel, pageSources, withSubject } from '../webview';

export const EXAM_VIEW_TYPE = 'casebook.exam';
/** Minutes left at which the learner is warned, once each. */
const WARNINGS = [30, 15, 5];
/** Time per question is written at least this often (answers and flags are written at once). */
const SAVE_EVERY_MS = 15_000;

export interface RunnerEvents {
  /** The attempt was submitted (by the learner or the clock). */
  submitted(runner: ExamRunner, timedOut: boolean): void;
  /** The attempt file changed on disk. */
  saved(): void;
}

function clock(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const m = Math.floor(s / 60);
  return `${Math.floor(m / 60)}:${String(m % 60).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

export class ExamRunner implements vscode.Disposable {
  panel: vscode.WebviewPanel | undefined;
  /** The last HTML set and view posted, for tests. */
  html = '';
  lastView: ExamView | undefined;
  lastConfirm: string | undefined;
  readonly status = vscode.window.createStatusBarItem('casebook.examClock', vscode.StatusBarAlignment.Left, 100);
  private readonly questions: Map<string, Question>;
  private readonly cases: Map<string, CaseNote>;
  private readonly timer: NodeJS.Timeout;
  private saving: Promise<void> = Promise.resolve();
  private lastSave = 0;
  private readonly warned = new Set<number>();
  private readonly confirms = new Map<string, () => void>();
  private readonly panelDisposables: vscode.Disposable[] = [];
  private ended = false;
  private warnedPart = 0;

  constructor(
    private readonly extensionUri: vscode.Uri,
    readonly root: string,
    readonly pack: Pack,
    readonly exam: Exam,
    readonly session: AttemptSession,
    private readonly events: RunnerEvents,
    private readonly caseAnswered: (caseId: string) => boolean,
  ) {
    this.questions = new Map((pack.exam?.questions ?? []).map((q) => [q.id, q]));
    this.cases = new Map(pack.cases.map((c) => [c.id, c]));
    this.status.name = 'Casebook exam clock';
    this.status.command = 'casebook.resumeExam';
    this.resetWarnings();
    this.timer = setInterval(() => this.tick(), 1000);
    this.tick();
  }

  /** Warnings already past (when resuming, or when a part with less time begins) are not given. */
  private resetWarnings(): void {
    this.warned.clear();
    this.warnedPart = this.session.attempt.part;
    const left = this.session.remaining(new Date());
    if (left !== undefined) for (const m of WARNINGS) if (left <= m * 60_000) this.warned.add(m);
  }

  get subject(): ExamSubject {
    return { packRoot: this.root, exam: this.exam.id, attempt: this.session.attempt.id };
  }

  view(): ExamView {
    return examView(this.session, { questions: this.questions, cases: this.cases, caseAnswered: this.caseAnswered });
  }

  /** Shows the question view, in a new panel or one VS Code restored after a reload. */
  show(restored?: vscode.WebviewPanel): void {
    if (this.panel && !restored) {
      this.panel.reveal();
      return;
    }
    const panel = casebookPanel(this.extensionUri, EXAM_VIEW_TYPE, this.exam.title, vscode.ViewColumn.Active, restored);
    this.panel = panel;
    this.panelDisposables.push(
      panel.webview.onDidReceiveMessage((m) => {
        const message = toHost(m);
        if (message) void this.handle(message);
      }),
      panel.onDidChangeViewState((e) => (e.webviewPanel.visible ? this.session.resume(new Date()) : this.pauseAndSave())),
      panel.onDidDispose(() => {
        if (this.panel !== panel) return;
        this.panel = undefined;
        for (const d of this.panelDisposables.splice(0)) d.dispose();
        this.pauseAndSave();
      }),
    );
    this.render(panel);
    this.session.resume(new Date());
  }

  private render(panel: vscode.WebviewPanel): void {
    const { nonce, cspSource, media } = pageSources(panel, this.extensionUri);
    this.lastView = this.view();
    this.html = renderExamPage(this.lastView, {
      nonce,
      cspSource,
      styleHref: [media('report.css'), media('exam.css')],
      scriptSrc: media('exam.js'),
    });
    panel.webview.html = withSubject(this.html, this.subject);
  }

  private post(message: ToPage): void {
    if (message.type === 'view') this.lastView = message.view;
    void this.panel?.webview.postMessage(message);
  }

  private refresh(focus = false): void {
    this.post({ type: 'view', view: this.view(), focus });
    this.tick();
  }

  private confirm(text: string, then: () => void): void {
    const id = crypto.randomBytes(6).toString('hex');
    this.confirms.set(id, then);
    this.lastConfirm = id;
    this.post({ type: 'confirm', id, text });
  }

  /** Every message of the page; also what tests call instead of pressing keys. */
  async handle(message: ToHost): Promise<void> {
    const now = new Date();
    this.settle(now);
    if (this.ended && message.type !== 'ready') return;
    switch (message.type) {
      case 'ready':
        this.refresh();
        return;
      case 'answer':
        this.session.answer(message.item, message.letter);
        break;
      case 'flag':
        this.session.toggleFlag(message.item);
        break;
      case 'next': {
        const change = this.session.next(now);
        if ('refused' in change && change.refused === 'leavePart') {
          this.confirm(`Leave part ${change.part + 1}? You cannot come back to its questions.`, () => {
            this.session.next(new Date(), { leavePart: true });
            this.changed(true);
          });
          return;
        }
        break;
      }
      case 'previous':
        this.session.previous(now);
        break;
      case 'go': {
        const change = this.session.moveTo(message.item, now);
        if ('refused' in change && change.refused === 'leavePart') {
          this.confirm(`Leave part ${change.part + 1}? You cannot come back to its questions.`, () => {
            this.session.moveTo(message.item, new Date(), { leavePart: true });
            this.changed(true);
          });
          return;
        }
        break;
      }
      case 'submit': {
        const blank = this.session.items.filter((i) => this.questions.has(i) && this.session.attempt.answers[i] === undefined).length;
        const flagged = this.session.attempt.flagged.length;
        this.confirm(`Submit your exam? ${blank} unanswered, ${flagged} flagged. You cannot change your answers after submitting.`, () => void this.submit());
        return;
      }
      case 'findCode':
        void vscode.commands.executeCommand('casebook.findCode');
        return;
      case 'openCase': {
        const note = this.cases.get(message.item);
        if (note) await vscode.commands.executeCommand('casebook.openCase', vscode.Uri.file(path.join(this.root, note.file)));
        return;
      }
      case 'confirmed': {
        const then = this.confirms.get(message.id);
        this.confirms.delete(message.id);
        if (then && message.yes) then();
        return;
      }
      default: {
        const unknown: never = message;
        return unknown;
      }
    }
    this.changed(message.type !== 'answer' && message.type !== 'flag');
  }

  private changed(focus: boolean): void {
    void this.save();
    this.refresh(focus);
  }

  async submit(): Promise<void> {
    this.session.submit(new Date());
    if (this.session.submitted) await this.end(false);
  }

  private async end(timedOut: boolean): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    await this.save();
    this.events.submitted(this, timedOut);
  }

  /** Applies the clock; true when the attempt just ended. */
  private settle(now: Date): boolean {
    if (this.ended) return false;
    const events = this.session.settle(now);
    for (const e of events) {
      if (e.type === 'partTimedOut') {
        void vscode.window.showWarningMessage(`Time is up for part ${e.part + 1} of "${this.exam.title}": part ${e.part + 2} has begun.`);
        this.changed(true);
      }
    }
    if (events.some((e) => e.type === 'timedOut')) {
      void vscode.window.showWarningMessage(`Time is up: "${this.exam.title}" was submitted as it stood.`);
      void this.end(true);
      return true;
    }
    return false;
  }

  private tick(): void {
    const now = new Date();
    if (this.settle(now) || this.ended) return;
    if (this.session.attempt.part !== this.warnedPart) this.resetWarnings();
    const left = this.session.remaining(now);
    const answered = Object.keys(this.session.attempt.answers).length;
    if (left === undefined) {
      this.status.text = `$(mortar-board) Practice · ${answered}/${this.session.items.length}`;
      this.status.tooltip = `${this.exam.title}: untimed practice. Click to show the exam.`;
    } else {
      this.status.text = `$(watch) ${clock(left)} left · ${answered}/${this.session.items.length}`;
      this.status.tooltip = `${this.exam.title}: time left${this.exam.parts.length > 1 ? ` in part ${this.session.attempt.part + 1}` : ''}. Click to show the exam.`;
      this.status.backgroundColor =
        left <= 5 * 60_000
          ? new vscode.ThemeColor('statusBarItem.errorBackground')
          : left <= 30 * 60_000
            ? new vscode.ThemeColor('statusBarItem.warningBackground')
            : undefined;
      for (const m of WARNINGS) {
        if (left <= m * 60_000 && !this.warned.has(m)) {
          for (const w of WARNINGS) if (w >= m) this.warned.add(w);
          void vscode.window.showWarningMessage(
            `${m} minutes left in "${this.exam.title}"${this.exam.parts.length > 1 ? ` (part ${this.session.attempt.part + 1})` : ''}.`,
          );
        }
      }
    }
    this.status.show();
    if (this.panel?.visible && now.getTime() - this.lastSave >= SAVE_EVERY_MS) {
      this.session.count(now.getTime());
      void this.save();
    }
  }

  private pauseAndSave(): void {
    this.session.pause(new Date());
    void this.save();
  }

  /** Saves the attempt as it is now; saves run one after another, so the file ends as the newest state. */
  save(): Promise<void> {
    this.lastSave = Date.now();
    this.session.count(Date.now());
    const attempt = this.session.attempt;
    this.saving = this.saving
      .catch(() => undefined)
      .then(() => saveAttempt(nodeFs, this.root, attempt))
      .then((refused) => {
        // Refused (a linked .casebook): the answers stay in the session; the next answer tries again.
        if (refused) throw new Error(`${refused.message}; ${refused.hint ?? ''}`);
        this.events.saved();
      })
      .catch((e) => {
        void vscode.window.showErrorMessage(
          `Casebook could not save your exam answers: ${(e as Error).message}. They are still in memory; free disk space or fix permissions, then answer again to save.`,
        );
      });
    return this.saving;
  }

  /** Resolves when every save asked for so far is on disk. */
  flush(): Promise<void> {
    return this.saving;
  }

  /** Stops without saving, as a crash would (tests use it to prove what is already on disk). */
  abandon(): void {
    this.ended = true;
    this.dispose();
  }

  dispose(): void {
    clearInterval(this.timer);
    this.status.dispose();
    if (!this.ended) this.pauseAndSave();
    this.panel?.dispose();
    for (const d of this.panelDisposables.splice(0)) d.dispose();
  }
}
