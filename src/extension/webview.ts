// What every Casebook webview panel shares (report, exam, exam report, progress dashboard): scripts
// only under the page's nonce CSP, no command links, resources from media/ only, Casebook's icon.
import * as crypto from 'crypto';
import * as vscode from 'vscode';
import { escapeHtml } from '../core/report';

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return {
    enableScripts: true,
    enableCommandUris: false,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'media')],
    retainContextWhenHidden: false,
  };
}

/** A new panel with those options, or one VS Code restored after a reload (its options set again). */
export function casebookPanel(
  extensionUri: vscode.Uri,
  viewType: string,
  title: string,
  column: vscode.ViewColumn | { viewColumn: vscode.ViewColumn; preserveFocus?: boolean },
  restored?: vscode.WebviewPanel,
): vscode.WebviewPanel {
  const panel = restored ?? vscode.window.createWebviewPanel(viewType, title, column, webviewOptions(extensionUri));
  panel.webview.options = webviewOptions(extensionUri);
  panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'casebook.svg');
  panel.title = title;
  return panel;
}

/** What a page builder needs from its panel: a fresh nonce for the CSP, the CSP source, media/ files as webview URIs. */
export function pageSources(panel: vscode.WebviewPanel, extensionUri: vscode.Uri): { nonce: string; cspSource: string; media: (file: string) => string } {
  return {
    nonce: crypto.randomBytes(16).toString('base64'),
    cspSource: panel.webview.cspSource,
    media: (file) => panel.webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', file)).toString(),
  };
}

/** The page with what it shows in its body's data-subject, so its script keeps it as state for Reload Window. */
export function withSubject(html: string, subject: unknown): string {
  return html.replace('<body', `<body data-subject="${escapeHtml(JSON.stringify(subject))}"`);
}
