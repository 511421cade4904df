// What every Casebook webview panel shares (report, exam, exam report, progress dashboard): scripts
// only under the page's nonce CSP, no command links, resources from media/ only, Casebook's icon.
import * as vscode from 'vscode';

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
