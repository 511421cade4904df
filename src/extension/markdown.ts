// Markdown for tooltips and hovers: escaping pack text, and `command:` links built in one way.
import * as vscode from 'vscode';

export function escapeMd(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!<>|]/g, '\\$&');
}

/** A Markdown link that runs `command` with `args` (the MarkdownString must trust the command). */
export function commandLink(label: string, command: string, args: unknown[], title?: string): string {
  const query = args.length ? `?${encodeURIComponent(JSON.stringify(args))}` : '';
  const hover = title ? ` "${title.replace(/"/g, "'")}"` : '';
  return `[${label}](command:${command}${query}${hover})`;
}

/** A trusted MarkdownString allowing exactly these commands in its links. */
export function commandMarkdown(commands: string[]): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  md.isTrusted = { enabledCommands: commands };
  return md;
}
