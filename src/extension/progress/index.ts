// The progress feature: the Missed-Code Journal view and its export, the progress dashboard, and
// Practise Next (spaced repetition over the learner's own history, core/progress).
import * as path from 'path';
import * as vscode from 'vscode';
import { dispatchDashboardMessage } from '../../core/dashboardProtocol';
import { journalCsv, journalMarkdown, type NextCase } from '../../core/progress';
import { journalExportArg, packRefArg } from '../commandArgs';
import { choosePack } from '../packs/pickPack';
import type { Services } from '../services';
import { DashboardPanel } from './dashboardPanel';
import { JournalView, type JournalGrouping, type JournalNode } from './journalView';
import { LearnerProgress } from './learner';

const GROUPING_KEY = 'casebook.journalGroupBy';

/** What the test API reads. */
export interface ProgressTestApi {
  /** The journal view's entry rows as the tree shows them (group label, then the entry's item). */
  journalRows(): Promise<Array<{ group: string; label: string; description: string; tooltip: string }>>;
  dashboardHtml(): string;
  /** What Practise Next chose last, and why. */
  lastPick(): NextCase | undefined;
}

export function register(context: vscode.ExtensionContext, services: Services): ProgressTestApi {
  const learner = new LearnerProgress(services.registry);
  const grouping = context.workspaceState.get<JournalGrouping>(GROUPING_KEY) === 'type' ? 'type' : 'case';
  const journal = new JournalView(services.registry, learner, grouping);
  const dashboard = new DashboardPanel(context.extensionUri, services.registry, learner, (packRoot, message) =>
    dispatchDashboardMessage(message, {
      ready: async () => undefined,
      openCase: async ({ case: caseId }) => {
        const loaded = await services.registry.packFor(path.join(packRoot, 'casebook.json'));
        const note = loaded?.pack?.cases.find((c) => c.id === caseId);
        if (note) await vscode.commands.executeCommand('casebook.openCase', vscode.Uri.file(path.join(packRoot, note.file)));
      },
      practiseNext: async () => void (await vscode.commands.executeCommand('casebook.practiseNext', { packRoot })),
      exportJournal: async () => void (await vscode.commands.executeCommand('casebook.exportJournal', { packRoot })),
    }),
  );
  let lastPick: NextCase | undefined;

  const setGrouping = async (by: JournalGrouping) => {
    journal.grouping = by;
    await context.workspaceState.update(GROUPING_KEY, by);
    await vscode.commands.executeCommand('setContext', GROUPING_KEY, by);
    journal.refresh();
  };
  void vscode.commands.executeCommand('setContext', GROUPING_KEY, grouping);

  context.subscriptions.push(
    learner,
    dashboard,
    vscode.window.createTreeView('casebook.journal', { treeDataProvider: journal, showCollapseAll: true }),
    learner.onDidChange(() => journal.refresh()),
    vscode.commands.registerCommand('casebook.journalGroupByCase', () => setGrouping('case')),
    vscode.commands.registerCommand('casebook.journalGroupByType', () => setGrouping('type')),

    vscode.commands.registerCommand('casebook.showProgress', async (arg?: unknown) => {
      const loaded = await choosePack(services, packRefArg(arg));
      if (loaded) await dashboard.show(loaded.root);
      else void vscode.window.showInformationMessage('No case pack is open. Run Casebook: Open Pack Folder… first.');
    }),

    vscode.commands.registerCommand('casebook.practiseNext', async (arg?: unknown) => {
      const loaded = await choosePack(services, packRefArg(arg));
      if (!loaded?.pack) return;
      const [pick] = await learner.next(loaded);
      const note = pick && loaded.pack.cases.find((c) => c.id === pick.case);
      if (!pick || !note) {
        void vscode.window.showInformationMessage(
          `"${loaded.pack.manifest.title}" has no answer keys, so Casebook cannot choose a case to practise (a released pack).`,
        );
        return;
      }
      lastPick = pick;
      // As the Cases view opens a case.
      await vscode.commands.executeCommand('casebook.openCase', vscode.Uri.file(path.join(loaded.root, note.file)));
      void vscode.window.showInformationMessage(`Practise next: ${note.title}. ${pick.why}`);
    }),

    vscode.commands.registerCommand('casebook.exportJournal', async (arg?: unknown) => {
      const given = journalExportArg(arg);
      const loaded = await choosePack(services, given.packRoot);
      if (!loaded?.pack) return;
      const entries = await learner.journal(loaded);
      let target = given.path ? vscode.Uri.file(path.resolve(given.path)) : undefined;
      target ??= await vscode.window.showSaveDialog({
        title: 'Export Missed-Code Journal',
        defaultUri: vscode.Uri.file(path.join(path.dirname(loaded.root), `${loaded.pack.manifest.id}-missed-codes.csv`)),
        filters: { CSV: ['csv'], Markdown: ['md'] },
        saveLabel: 'Export',
      });
      if (!target) return;
      const markdown = /\.(md|markdown)$/i.test(target.fsPath);
      const text = markdown ? journalMarkdown(entries, `Missed-code journal: ${loaded.pack.manifest.title}`) : journalCsv(entries);
      await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
      void vscode.window.showInformationMessage(`Casebook: ${entries.length} journal entr${entries.length === 1 ? 'y' : 'ies'} exported to ${target.fsPath}.`);
    }),
  );

  return {
    journalRows: async () => {
      const rows: Array<{ group: string; label: string; description: string; tooltip: string }> = [];
      const walk = async (node: JournalNode | undefined, group: string): Promise<void> => {
        for (const child of await journal.getChildren(node)) {
          const item = journal.getTreeItem(child);
          const label = typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
          if (child.type === 'entry') {
            const tooltip = item.tooltip instanceof vscode.MarkdownString ? item.tooltip.value : (item.tooltip ?? '');
            rows.push({ group, label, description: String(item.description ?? ''), tooltip });
          } else await walk(child, child.type === 'group' ? label : group);
        }
      };
      await walk(undefined, '');
      return rows;
    },
    dashboardHtml: () => dashboard.html,
    lastPick: () => lastPick,
  };
}
