// Imported code sets in the editor: the store in the extension's global storage, loaded lazily;
// look-up for the tag quick pick, hovers and the sheet; Import, Find Code and Compare Years commands.
import * as path from 'path';
import * as vscode from 'vscode';
import { CodeStore, StoreProblem, codeChecker, deletedCodesUsed, importPaths, yearLabel } from '../../core/codeset';
import { describeFromGlossary, mergeHits, searchGlossary, type CodeHit } from '../../core/lookup';
import type { AnswerKey, CodeSystem, GlossaryEntry } from '../../core/model';
import { CODE_SYSTEMS } from '../../core/model';
import { normalizeCode } from '../../core/codes';
import type { LoadOptions } from '../../core/pack';
import { nodeFs } from '../../node/nodeFs';

/** Code look-up as the tag quick pick, the hover and the sheet need it. */
export interface CodeLookup {
  search(query: string, options: { year?: number; limit: number; glossary?: GlossaryEntry[] }): Promise<CodeHit[]>;
  describe(system: CodeSystem, code: string, year?: number, glossary?: GlossaryEntry[]): string | undefined;
  /** A warning for a code that is not valid in the year (the learner may still tag it). */
  check(system: CodeSystem, code: string, year?: number): string | undefined;
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
      .showErrorMessage(`Casebook's imported code sets are damaged: ${e.problem.file}: ${e.problem.message}. Import the official files again to rebuild them.`, 'Import Code Set…')
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
    if (sets.length === 0) {
      this.status.text = '$(book) No code sets';
      this.status.tooltip = 'Casebook: import the official ICD-10-CM and HCPCS files to look codes up as you type.';
    } else {
      this.status.text = `$(book) ${sets.map((s) => `${s.system} ${yearLabel(s.system, s.year)}`).join(' · ')}`;
      this.status.tooltip = sets.map((s) => `${s.system} ${yearLabel(s.system, s.year)}: ${s.codes.toLocaleString('en-US')} codes from ${path.basename(s.source)}`).join('\n');
    }
    this.status.show();
  }

  /** Imports the given paths, or asks for them. */
  async importInteractive(paths?: string[]): Promise<void> {
    const picked = paths?.map((p) => vscode.Uri.file(p)) ?? (await vscode.window.showOpenDialog({
      canSelectFiles: true,
      canSelectFolders: true,
      canSelectMany: true,
      openLabel: 'Import',
      title: 'Import code sets: ICD-10-CM order or codes file, HCPCS fixed-width file, or a code,description CSV',
    }));
    if (!picked?.length) return;
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Casebook: importing code sets…' }, async () => {
      const result = await importPaths(this.store, picked.map((u) => u.fsPath.split(path.sep).join('/')), {
        askYear: async (file, why) => {
          const value = await vscode.window.showInputBox({
            title: `Which code-set year is ${path.basename(file)} for?`,
            prompt: `${why ? `Its year is unclear: ${why}. ` : ''}ICD-10-CM years are fiscal years (FY2026 starts 1 October 2025); HCPCS and CPT years start 1 January.`,
            validateInput: (v) => (/^(FY)?20\d\d$/i.test(v.trim()) ? undefined : 'A year such as 2026.'),
          });
          return value ? Number(value.trim().replace(/^FY/i, '')) : undefined;
        },
      });
      this.anyImported = undefined;
      this.saidDamaged = false;
      await this.updateStatus();
      if (result.errors.length) void vscode.window.showErrorMessage(`Casebook could not import: ${result.errors.join('; ')}`);
      if (result.saved.length) {
        void vscode.window.showInformationMessage(
          `Imported ${result.saved.map((s) => `${s.system} ${yearLabel(s.system, s.year)} (${s.codes.toLocaleString('en-US')} codes)`).join(', ')}.`,
        );
      }
    });
  }

  async findInteractive(): Promise<void> {
    if (!(await this.prepare())) {
      const choice = await vscode.window.showInformationMessage('No code sets are imported yet. Import the official files first.', 'Import Code Set…');
      if (choice) await this.importInteractive();
      return;
    }
    const qp = vscode.window.createQuickPick<vscode.QuickPickItem & { hit?: CodeHit }>();
    qp.title = 'Casebook: find code';
    qp.placeholder = 'A code (E11.6, e116, J1100) or words of its title in any order (type 2 diab kidney)';
    (qp as unknown as { sortByLabel: boolean }).sortByLabel = false;
    qp.matchOnDescription = true;
    qp.matchOnDetail = true;
    qp.onDidChangeValue(async (value) => {
      const hits = value.trim() ? await this.store.search(value, { limit: 50 }) : [];
      if (qp.value !== value) return;
      qp.items = hits.map((hit) => ({
        label: hit.code,
        description: hit.needsMoreCharacters ? `${hit.system} · ${hit.code} needs more characters` : hit.system,
        detail: hit.title,
        hit,
      }));
    });
    qp.onDidAccept(async () => {
      const hit = qp.selectedItems[0]?.hit;
      if (!hit) return;
      await vscode.env.clipboard.writeText(hit.code);
      void vscode.window.setStatusBarMessage(`Copied ${hit.code}`, 3000);
    });
    qp.onDidHide(() => qp.dispose());
    qp.show();
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
