import * as vscode from 'vscode';

export function activate(context: vscode.ExtensionContext) {
  void context;
}

export function deactivate() {}
