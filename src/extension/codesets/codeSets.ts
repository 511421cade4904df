// Imported code sets in the editor: the store in the extension's global storage, loaded lazily;
// look-up for the tag quick pick, hovers and the sheet; Import, Find Code and Compare Years commands.
import * as path from 'path';
import * as vscode from 'vscode';
import {
  CodeStore,
  StoreProblem,
  codeChecker,
  deletedCodesUsed,
  importPaths,
  indexPath,
  INDEX_TABLE_TITLES,
  yearLabel,
  type TabularNode,
} from '../../core/codeset';
import { describeFromGlossary, mergeHits, searchGlossary, type CodeHit } from '../../core/lookup';
import type { CodeHit as CoreCodeHit } from '../../core/codeset';
import type { AnswerKey, CodeSystem, GlossaryEntry } from '../../core/model';
import { CODE_SYSTEMS } from '../../core/model';
import { normalizeCode } from '../../core/codes';
import type { LoadOptions } from '../../core/pack';
import { nodeFs } from '../../node/nodeFs';

/** Code look-up as the tag quick pick, the hover and the sheet need it. */
export interface CodeLookup {
  search(query: string, options: { year?: number; limit: number; glossary?: GlossaryEntry[] }): Promise<CodeHit[]>;
  describe(system: CodeSystem, code: string, year?: number, glossary?: GlossaryEntry[]): string | undefined;
  /** Whether code sets for the year are imported (and now loaded). */
  ready(year?: number): Promise<boolean>;
  /** A warning for a code that is not valid in the year (the learner may still tag it). */
  check(system: CodeSystem, code: string, year?: number): string | undefined;
}

/** The rows Find Code shows (label, description, detail), for tests. */
export const findCodeRows: { rows: string[] } = { rows: [] };

/** What a hit's row says after its system: how it was found, the dose, whether it needs more characters. */
export function describeHit(hit: CoreCodeHit): string {
  const parts: string[] = [hit.system];
  if (hit.needsMoreCharacters) parts.push(`${hit.code} needs more characters: choose to see the codes below it`);
  else if (!hit.billable) parts.push(hit.terminated ? `discontinued ${hit.terminated}` : 'not billable');
  if (hit.dose) parts.push(`1 unit = ${hit.dose.replace(/^per /, '')}`);
  if (hit.index) parts.push(`${hit.index.table}: ${indexPath(hit.index)}`);
  else if (hit.via) parts.push(hit.via);
  return parts.join(' · ');
}

function describeNode(node: TabularNode): string {
  if (node.billable) return `${node.system} · billable`;
  if (node.needsSeventhCharacter) return `${node.system} · needs a 7th character: choose to see them`;
  return `${node.system} · needs more characters: choose to see the codes below it`;
}

export class CodeSets implements CodeLookup, vscode.Disposable {
  private readonly store: CodeStore;
  private readonly status = vscode.window.createStatusBarItem('casebook.codesets', vscode.StatusBarAlignment.Right, 90);
  private anyImported: boolean | undefined;
  private saidDamaged = false;

  constructor(storageDir: string) {
    this.store = new CodeStore(nodeFs, path.join(storageDir, 'codesets').split(path.sep).join('/'));
    this.status.name = 'Casebook Code Sets';
    this.status.command = 'casebook.importCodeSet';
    void this.updateStatus().catch((e: unknown) => {
      this.status.text = '$(book) Code sets unreadable';
      this.status.tooltip = `Casebook could not list the imported code sets: ${(e as Error).message}`;
      this.status.show();
      this.damaged(e);
    });
  }

  /** Says once that the store is damaged (file and reason) and offers to import again, which rebuilds it. */
  private damaged(e: unknown): void {
    if (!(e instanceof StoreProblem) || this.saidDamaged) return;
    this.saidDamaged = true;
    void vscode.window
      .showErrorMessage(
        `Casebook's imported code sets are damaged: ${e.problem.file}: ${e.problem.message}. Import the official files again to rebuild them.`,
        'Import Code Set…',
      )
      .then((choice) => (choice ? this.importInteractive() : undefined));
  }

  /** Loads the sets a pack year uses, if any are imported; cheap after the first time. A damaged store counts as none (and is said). */
  async prepare(year?: number): Promise<boolean> {
    if (this.anyImported === false) return false;
    try {
      const sets = await this.store.prepare(year);
      this.anyImported = (await this.store.list()).length > 0;
      return sets.length > 0;
    } catch (e) {
      this.damaged(e);
      if (e instanceof StoreProblem) return false;
      throw e;
    }
  }

  ready(year?: number): Promise<boolean> {
    return this.prepare(year).catch(() => false);
  }

  async search(query: string, options: { year?: number; limit: number; glossary?: GlossaryEntry[] }): Promise<CodeHit[]> {
    const fromGlossary = searchGlossary(options.glossary, query, options.limit);
    if (!(await this.prepare(options.year))) return fromGlossary;
    const hits = await this.store.search(query, { year: options.year, limit: options.limit }).catch((e: unknown) => {
      if (!(e instanceof StoreProblem)) throw e;
      this.damaged(e);
      return [];
    });
    return mergeHits(fromGlossary, hits, options.limit);
  }

  describe(system: CodeSystem, code: string, year?: number, glossary?: GlossaryEntry[]): string | undefined {
    const fromGlossary = describeFromGlossary(glossary, system, code);
    if (fromGlossary) return fromGlossary;
    const set = this.store.loaded(system, year);
    const record = set ? set.find(normalizeCode(system, code)) : -1;
    return set && record >= 0 ? set.title(record) : undefined;
  }

  check(system: CodeSystem, code: string, year?: number): string | undefined {
    return codeChecker(this.store, year)(system, code);
  }

  /** The pack validator's real-code check for a pack year, when code sets are imported and loaded. */
  checker(year?: number): ((system: CodeSystem, code: string) => string | undefined) | undefined {
    if (!CODE_SYSTEMS.some((s) => this.store.loaded(s))) return undefined;
    return codeChecker(this.store, year);
  }

  /** The checker for a pack year, loading the sets it uses first (for loading and validating packs). */
  async checkerFor(year?: number): Promise<LoadOptions['checkCode']> {
    // Unreadable code sets must not stop a pack from loading: it is then checked by shape only.
    const ready = await this.prepare(year).catch(() => false);
    return ready ? this.checker(year) : undefined;
  }

  private async updateStatus(): Promise<void> {
    const sets = await this.store.list().catch(() => []);
    this.anyImported = sets.length > 0;
    void vscode.commands.executeCommand('setContext', 'casebook.hasCodeSets', sets.length > 0);
    if (sets.length === 0) {
      this.status.text = '$(book) No code sets';
      this.status.tooltip = 'Casebook: import the official ICD-10-CM and HCPCS files to look codes up as you type.';
    } else {
      this.status.text = `$(book) ${sets.map((s) => `${s.system} ${yearLabel(s.system, s.year)}`).join(' · ')}`;
      this.status.tooltip = sets
        .map((s) => `${s.system} ${yearLabel(s.system, s.year)}: ${s.codes.toLocaleString('en-US')} codes from ${path.basename(s.source)}`)
        .join('\n');
    }
    this.status.show();
  }

  /** Imports the given paths, or asks for them. */
  async importInteractive(paths?: string[]): Promise<void> {
    const picked =
      paths?.map((p) => vscode.Uri.file(p)) ??
      (await vscode.window.showOpenDialog({
        canSelectFiles: true,
        canSelectFolders: true,
        canSelectMany: true,
        openLabel: 'Import',
        title:
          'Import code sets: ICD-10-CM order or codes file, ICD-10-CM index table XML (drugs, neoplasms, external causes), HCPCS fixed-width file, or a code,description CSV',
      }));
    if (!picked?.length) return;
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Casebook: importing code sets…' }, async () => {
      const result = await importPaths(
        this.store,
        picked.map((u) => u.fsPath.split(path.sep).join('/')),
        {
          askYear: async (file, why) => {
            const value = await vscode.window.showInputBox({
              title: `Which code-set year is ${path.basename(file)} for?`,
              prompt: `${why ? `Its year is unclear: ${why}. ` : ''}ICD-10-CM years are fiscal years (FY2026 starts 1 October 2025); HCPCS and CPT years start 1 January.`,
              validateInput: (v) => (/^(FY)?20\d\d$/i.test(v.trim()) ? undefined : 'A year such as 2026.'),
            });
            return value ? Number(value.trim().replace(/^FY/i, '')) : undefined;
          },
        },
      );
      this.anyImported = undefined;
      this.saidDamaged = false;
      await this.updateStatus();
      if (result.errors.length) void vscode.window.showErrorMessage(`Casebook could not import: ${result.errors.join('; ')}`);
      const saved = [
        ...result.saved.map((s) => `${s.system} ${yearLabel(s.system, s.year)} (${s.codes.toLocaleString('en-US')} codes)`),
        ...result.savedIndexes.map((i) => `${INDEX_TABLE_TITLES[i.table]} ${yearLabel('ICD-10-CM', i.year)} (${i.entries.toLocaleString('en-US')} entries)`),
      ];
      if (saved.length) void vscode.window.showInformationMessage(`Imported ${saved.join(', ')}.`);
    });
  }

  /** Find Code: search as you type; choosing a category shows the codes below it (the Tabular drill-down), choosing a code copies it. */
  async findInteractive(initial = ''): Promise<void> {
    if (!(await this.prepare())) {
      const choice = await vscode.window.showInformationMessage('No code sets are imported yet. Import the official files first.', 'Import Code Set…');
      if (choice) await this.importInteractive();
      return;
    }
    type Item = vscode.QuickPickItem & { hit?: CoreCodeHit; node?: TabularNode; back?: boolean };
    const qp = vscode.window.createQuickPick<Item>();
    const searchTitle = 'Casebook: find code';
    qp.title = searchTitle;
    qp.placeholder =
      'A code (E11.6, e116, J1100), words in any order (type 2 diab kidney), an abbreviation (htn), a drug (kenalog) or an index term (dog bite)';
    (qp as unknown as { sortByLabel: boolean }).sortByLabel = false;
    qp.matchOnDescription = true;
    qp.matchOnDetail = true;
    let drilled = false;
    const show = (items: Item[]) => {
      qp.items = items;
      findCodeRows.rows = items.map((i) => [i.label, i.description, i.detail].filter(Boolean).join(' '));
    };
    const search = async (value: string) => {
      drilled = false;
      qp.title = searchTitle;
      const hits = value.trim() ? await this.store.search(value, { limit: 50 }) : [];
      if (qp.value !== value || drilled) return;
      show(hits.map((hit) => ({ label: hit.code, description: describeHit(hit), detail: hit.title, hit })));
    };
    const drill = async (system: CodeSystem, code: string) => {
      const tree = await this.store.children(system, code);
      if (!tree) return;
      drilled = true;
      qp.title = `Casebook: ${tree.node.code} ${tree.node.title}`;
      show([
        { label: '$(arrow-left) Back to the search', back: true, alwaysShow: true },
        ...tree.children.map((node) => ({ label: node.code, description: describeNode(node), detail: node.title, node, alwaysShow: true })),
      ]);
    };
    qp.onDidChangeValue((value) => void search(value));
    qp.onDidAccept(async () => {
      const item = qp.selectedItems[0];
      if (!item) return;
      if (item.back) return void search(qp.value);
      const system = item.hit?.system ?? item.node?.system;
      const code = item.hit?.code ?? item.node?.code;
      if (!system || !code) return;
      if (item.hit?.needsMoreCharacters || item.node?.hasChildren) return void drill(system, code);
      await vscode.env.clipboard.writeText(code);
      void vscode.window.setStatusBarMessage(`Copied ${code}`, 3000);
    });
    qp.onDidHide(() => qp.dispose());
    qp.value = initial;
    qp.show();
    if (initial) await search(initial);
  }

  async diffInteractive(keys: AnswerKey[]): Promise<void> {
    const sets = await this.store.list();
    const systems = CODE_SYSTEMS.filter((s) => sets.filter((x) => x.system === s).length >= 2);
    if (systems.length === 0) {
      void vscode.window.showInformationMessage('Compare Code-Set Years needs two years of one code system imported (e.g. ICD-10-CM FY2025 and FY2026).');
      return;
    }
    const system = (systems.length === 1 ? systems[0] : await vscode.window.showQuickPick(systems, { title: 'Which code system?' })) as CodeSystem | undefined;
    if (!system) return;
    const years = await this.store.years(system);
    const oldYear = Number(await vscode.window.showQuickPick(years.slice(0, -1).map(String), { title: 'Compare from (old year)' }));
    if (!oldYear) return;
    const newYear = Number(await vscode.window.showQuickPick(years.filter((y) => y > oldYear).map(String), { title: 'Compare to (new year)' }));
    if (!newYear) return;
    const diff = await this.store.diff(system, oldYear, newYear);
    if (!diff) return;
    const used = deletedCodesUsed(diff, keys);
    const lines = [
      `# ${system}: ${yearLabel(system, oldYear)} → ${yearLabel(system, newYear)}`,
      '',
      `Added ${diff.added.length}, deleted ${diff.deleted.length}, retitled ${diff.retitled.length}.`,
      '',
      '## Keys of open packs that use deleted codes',
      '',
      ...(used.length ? used.map((u) => `- ${u.file}:${u.line} — ${u.code} (case ${u.case})`) : ['None.']),
      '',
      `## Deleted (${diff.deleted.length})`,
      '',
      ...diff.deleted.map((d) => `- ${d.code} ${d.title}`),
      '',
      `## Added (${diff.added.length})`,
      '',
      ...diff.added.map((d) => `- ${d.code} ${d.title}`),
      '',
      `## Retitled (${diff.retitled.length})`,
      '',
      ...diff.retitled.map((d) => `- ${d.code}: ${d.oldTitle} → ${d.newTitle}`),
    ];
    const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: lines.join('\n') + '\n' });
    await vscode.window.showTextDocument(doc, { preview: true });
  }

  dispose(): void {
    this.status.dispose();
  }
}
