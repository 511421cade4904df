// The progress dashboard webview: one panel showing one pack; HTML built by core/dashboard with a nonce
// CSP (media/ only), messages typed by core/dashboardProtocol; redrawn when the history changes and
// restored after a window reload from the pack root the page keeps as its state.
import * as path from 'path';
import * as vscode from 'vscode';
import { dashboardData, examAttemptSummaries, renderDashboard, type ExamAttemptSummary } from '../../core/dashboard';
import { resolvePolicy } from '../../core/grade';
import { nodeFs } from '../../node/nodeFs';
import { parseDashboardMessage, type DashboardMessage } from '../../core/dashboardProtocol';
import type { LoadedPack, PackRegistry } from '../packs/registry';
import type { LearnerProgress } from './learner';
import { casebookPanel, pageSources } from '../webview';

export const DASHBOARD_VIEW_TYPE = 'casebook.progress';

/** The pack's exam attempts for the dashboard's "Exam attempts" section, scored with the pack's policy. */
async function examAttempts(loaded: LoadedPack): Promise<ExamAttemptSummary[] | undefined> {
  return loaded.pack ? examAttemptSummaries(nodeFs, loaded.pack, resolvePolicy(loaded.pack.manifest.grading)) : undefined;
}

export class DashboardPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private packRoot: string | undefined;
  /** The last HTML set, for tests. */
  html = '';
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly registry: PackRegistry,
    private readonly learner: LearnerProgress,
    private readonly onMessage: (packRoot: string, message: DashboardMessage) => Promise<void>,
  ) {
    this.disposables.push(
      vscode.window.registerWebviewPanelSerializer(DASHBOARD_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel, state: { packRoot?: unknown } | undefined) => {
          this.adopt(casebookPanel(this.extensionUri, DASHBOARD_VIEW_TYPE, panel.title, vscode.ViewColumn.Active, panel));
          if (typeof state?.packRoot === 'string') await this.show(state.packRoot);
          else panel.dispose();
        },
      }),
      learner.onDidChange(() => {
        if (this.panel && this.packRoot) void this.render(this.packRoot);
      }),
    );
  }

  async show(packRoot: string): Promise<void> {
    if (!this.panel) this.adopt(casebookPanel(this.extensionUri, DASHBOARD_VIEW_TYPE, 'Progress', vscode.ViewColumn.Active));
    else this.panel.reveal();
    await this.render(packRoot);
  }

  private async render(packRoot: string): Promise<void> {
    const panel = this.panel;
    const loaded = await this.registry.packFor(path.join(packRoot, 'casebook.json'));
    if (!panel) return;
    this.packRoot = packRoot;
    if (!loaded?.pack) {
      panel.dispose();
      void vscode.window.showWarningMessage(`Casebook: the pack at ${packRoot} is gone or cannot be read, so its progress cannot be shown.`);
      return;
    }
    const data = dashboardData(loaded.pack, await this.learner.history(loaded), new Date(), this.learner.passMark(loaded), await examAttempts(loaded));
    const { nonce, cspSource, media } = pageSources(panel, this.extensionUri);
    this.html = renderDashboard(data, {
      nonce,
      cspSource,
      styleHref: media('progress.css'),
      scriptSrc: media('progress.js'),
      packRoot,
    });
    panel.title = `Progress: ${loaded.pack.manifest.title}`;
    panel.webview.html = this.html;
  }

  /** Listens to a panel with Casebook's options (new, or restored after a reload). */
  private adopt(panel: vscode.WebviewPanel): void {
    this.panel = panel;
    panel.onDidDispose(() => {
      if (this.panel === panel) this.panel = undefined;
    });
    panel.webview.onDidReceiveMessage((value: unknown) => {
      const message = parseDashboardMessage(value);
      if (message && this.packRoot) {
        this.onMessage(this.packRoot, message).catch((e: unknown) => {
          void vscode.window.showErrorMessage(`Casebook could not do that from the dashboard: ${(e as Error).message}`);
        });
      }
    });
  }

  dispose(): void {
    this.panel?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
