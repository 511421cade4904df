// activate(): builds the shared services and registers each feature. Registers and returns; no work up front.
// One folder a feature (docs/architecture.md): cases, tagging, sheet, grading, codesets, submission, packs, exam, authoring, progress.
import * as vscode from 'vscode';
import type { DecorationSpan } from '../core/sheet';
import type { WorkFile } from '../core/model';
import { register as registerAuthoring } from './authoring';
import { register as registerCases } from './cases';
import { register as registerCodeSets } from './codesets';
import { findCodeRows } from './codesets/codeSets';
import { register as registerExams, type ExamTestApi } from './exam';
import { register as registerGrading } from './grading';
import { register as registerPacks } from './packs';
import type { LoadedPack } from './packs/registry';
import { prompts } from './prompts';
import { register as registerProgress, type ProgressTestApi } from './progress';
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
  /** The rows Find Code showed last. */
  findCodeRows(): string[];
  /** Where the note body starts in an open case document (the learner view's header length). */
  bodyOffset(uri: vscode.Uri): Promise<number | undefined>;
  packs(): Promise<LoadedPack[]>;
  /** How many times a pack was loaded since activation. */
  packLoads(): number;
  diagnostics: vscode.DiagnosticCollection;
  exams: ExamTestApi;
  /** Modal questions and input boxes (extension/prompts): what was asked, and answers for the next ones. */
  prompts: { asked(): string[]; answer(...answers: Array<string | undefined>): void };
  /** Sends a message to the report's host side as the page would (checked by core/reportProtocol first). */
  reportMessage(value: unknown): Promise<void>;
  /** The journal view's rows, the dashboard's HTML, Practise Next's last choice. */
  progress: ProgressTestApi;
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
  const exams = registerExams(context, services);
  registerAuthoring(context, services);
  const progress = registerProgress(context, services);
  void services.active.update(vscode.window.activeTextEditor);

  return {
    decorations: (uri) => tagging.drawn(uri),
    work: async (uri) => (await services.sessions.peek(uri))?.session.work,
    reportHtml: () => grading.reportHtml(),
    codePickRows: () => shownCodeItems.rows,
    codePickTitle: () => shownCodeItems.title,
    codePickValue: () => shownCodeItems.value,
    findCodeRows: () => findCodeRows.rows,
    bodyOffset: async (uri) => (await services.sessions.peek(uri))?.offset,
    packs: () => services.registry.all(),
    packLoads: () => services.registry.loads,
    diagnostics: packs.collection,
    exams,
    prompts: {
      asked: () => [...prompts.asked],
      answer: (...answers) => void prompts.scripted.push(...answers),
    },
    reportMessage: (value) => grading.reportMessage(value),
    progress,
  };
}

export function deactivate(): void {}
