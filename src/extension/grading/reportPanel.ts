// The report webview: one panel, HTML built by core/report with a nonce CSP; messages typed by core/reportProtocol;
// restored after a window reload by re-grading what it showed.
import * as vscode from 'vscode';
import type { AgreementReport } from '../../core/agreement';
import { renderCaseReport, renderPackReport, type ReportOptions } from '../../core/report';
import { parseReportMessage, type ReportMessage } from '../../core/reportProtocol';
import type { AnswerKey, CaseNote, CaseResult, PackResult } from '../../core/model';
import { casebookPanel, pageSources, withSubject } from '../webview';

/** What the panel shows; kept as webview state so a reload can rebuild it. */
export type ReportSubject = { kind: 'case'; packRoot: string; caseId: string } | { kind: 'pack'; packRoot: string };

export interface ReportHandlers {
  /** Re-grades a subject (after a reload) and shows it. */
  restore(subject: ReportSubject): Promise<void>;
  /** A checked message from the page (core/reportProtocol.ts); malformed ones never get here. */
  onMessage(subject: ReportSubject, message: ReportMessage): void;
}

export const REPORT_VIEW_TYPE = 'casebook.report';
/** The report opens beside the note, which keeps the focus. */
const BESIDE = { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true };

export class ReportPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private subject: ReportSubject | undefined;
  /** The last HTML set, for tests. */
  html = '';
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly handlers: ReportHandlers,
  ) {
    this.disposables.push(
      vscode.window.registerWebviewPanelSerializer(REPORT_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel, state: { subject?: ReportSubject } | undefined) => {
          this.adopt(casebookPanel(this.extensionUri, REPORT_VIEW_TYPE, panel.title, BESIDE, panel));
          if (state?.subject) await this.handlers.restore(state.subject);
          else panel.dispose();
        },
      }),
    );
  }

  showCase(
    subject: ReportSubject,
    result: CaseResult,
    key: AnswerKey | undefined,
    note: CaseNote | undefined,
    extra: Pick<ReportOptions, 'descriptions' | 'history' | 'work' | 'agreement'>,
  ): void {
    const panel = this.ensurePanel(`Report: ${note?.title ?? result.case}`);
    this.subject = subject;
    this.setHtml(panel, (o) => renderCaseReport(result, key, note, { ...o, ...extra }), subject);
  }

  showPack(subject: ReportSubject, result: PackResult, title: string, agreement?: AgreementReport): void {
    const panel = this.ensurePanel(`Report: ${title}`);
    this.subject = subject;
    this.setHtml(panel, (o) => renderPackReport(result, { ...o, agreement }), subject);
  }

  private ensurePanel(title: string): vscode.WebviewPanel {
    if (this.panel) {
      this.panel.reveal(undefined, true);
      this.panel.title = title;
      return this.panel;
    }
    return this.adopt(casebookPanel(this.extensionUri, REPORT_VIEW_TYPE, title, BESIDE));
  }

  /** Listens to a panel with Casebook's options (new, or restored after a reload). */
  private adopt(panel: vscode.WebviewPanel): vscode.WebviewPanel {
    this.panel = panel;
    panel.onDidDispose(() => {
      if (this.panel === panel) this.panel = undefined;
    });
    panel.webview.onDidReceiveMessage((value: unknown) => {
      const message = parseReportMessage(value);
      if (this.subject && message) this.handlers.onMessage(this.subject, message);
    });
    return panel;
  }

  private setHtml(panel: vscode.WebviewPanel, build: (o: ReportOptions) => string, subject: ReportSubject): void {
    const { nonce, cspSource, media } = pageSources(panel, this.extensionUri);
    this.html = build({ nonce, cspSource, styleHref: media('report.css'), scriptSrc: media('report.js') });
    panel.webview.html = withSubject(this.html, subject);
  }

  get visibleSubject(): ReportSubject | undefined {
    return this.panel ? this.subject : undefined;
  }

  dispose(): void {
    this.panel?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
