// activate(): builds the shared services and registers each feature. Registers and returns; no work up front.
// One folder a feature (docs/architecture.md): cases, tagging, sheet, grading, codesets, submission, packs.
import * as vscode from 'vscode';
import type { DecorationSpan } from '../core/sheet';
import type { WorkFile } from '../core/model';
import { register as registerCases } from './cases';
import { register as registerCodeSets } from './codesets';
import { register as registerGrading } from './grading';
import { register as registerPacks } from './packs';
import type { LoadedPack } from './packs/registry';
import { createServices } from './services';
import { register as registerSheet } from './sheet';
import { register as registerSubmission } from './submission';
import { register as registerTagging, shownCodeItems } from './tagging';

/** What tests can read (returned by activate). */
export interface CasebookTestApi {
  decorations(uri: vscode.Uri): DecorationSpan[];
  work(uri: vscode.Uri): Promise<WorkFile | undefined>;
  reportHtml(): string;
  /** The rows the tag quick pick (or the modifier, pointer or invalid-code pick) showed last. */
  codePickRows(): string[];
  /** The title of that quick pick. */
  codePickTitle(): string;
  /** The text the tag quick pick's rows are the full answer for ('' for other picks). */
  codePickValue(): string;
  /** Where the note body starts in an open case document (the learner view's header length). */
  bodyOffset(uri: vscode.Uri): Promise<number | undefined>;
  packs(): Promise<LoadedPack[]>;
  /** How many times a pack was loaded since activation. */
  packLoads(): number;
  diagnostics: vscode.DiagnosticCollection;
}

export function activate(context: vscode.ExtensionContext): CasebookTestApi {
  const services = createServices(context);
  const packs = registerPacks(context, services);
  registerCases(context, services);
  const tagging = registerTagging(context, services);
  registerSheet(context, services);
  const grading = registerGrading(context, services);
  registerCodeSets(context, services);
  registerSubmission(context, services);
  void services.active.update(vscode.window.activeTextEditor);

  return {
    decorations: (uri) => tagging.drawn(uri),
    work: async (uri) => (await services.sessions.peek(uri))?.session.work,
    reportHtml: () => grading.reportHtml(),
    codePickRows: () => shownCodeItems.rows,
    codePickTitle: () => shownCodeItems.title,
    codePickValue: () => shownCodeItems.value,
    bodyOffset: async (uri) => (await services.sessions.peek(uri))?.offset,
    packs: () => services.registry.all(),
    packLoads: () => services.registry.loads,
    diagnostics: packs.collection,
  };
}

export function deactivate(): void {}
