// The services every feature shares, built once by activate(): the packs, the open cases, the case
// being worked on and the imported code sets. Features get them in register(context, services).
import type * as vscode from 'vscode';
import { ActiveCase } from './cases/activeCase';
import { NoteViewProvider } from './cases/noteView';
import { CaseSessions } from './cases/sessions';
import { CodeSets } from './codesets/codeSets';
import { PackRegistry } from './packs/registry';

export interface Services {
  registry: PackRegistry;
  sessions: CaseSessions;
  active: ActiveCase;
  codeSets: CodeSets;
  /** The learner's read-only view of case notes (registered by the cases feature). */
  noteViews: NoteViewProvider;
}

export function createServices(context: vscode.ExtensionContext): Services {
  const codeSets = new CodeSets(context.globalStorageUri.fsPath);
  const registry = new PackRegistry((year) => codeSets.checkerFor(year));
  const noteViews = new NoteViewProvider(registry);
  const sessions = new CaseSessions(registry, async (uri) => (await noteViews.render(uri)).bodyOffset);
  const active = new ActiveCase(sessions);
  context.subscriptions.push(codeSets, registry, noteViews, sessions, active);
  return { registry, sessions, active, codeSets, noteViews };
}
