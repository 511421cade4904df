// The progress dashboard's protocol: every message between the page (media/progress.js) and the
// extension host, in one place, as core/reportProtocol.ts is for the report. The page posts
// `{ type: data-action, ...data-* }` for a button built here, and `ready` itself. media/progress.js
// is plain JavaScript and cannot import this file; test/unit/dashboard.test.ts checks the names match.
import { actionAttributes } from './reportProtocol';

/** Page → host. */
export type DashboardMessage = { type: 'ready' } | { type: 'openCase'; case: string } | { type: 'practiseNext' } | { type: 'exportJournal' };

/** Host → page: none. The host re-renders the page (webview.html) when the history changes. */
export type DashboardHostMessage = never;

export type DashboardMessageType = DashboardMessage['type'];

/** Every page → host message type (the unit test compares media/progress.js and the HTML against this list). */
export const DASHBOARD_MESSAGE_TYPES: readonly DashboardMessageType[] = ['ready', 'openCase', 'practiseNext', 'exportJournal'];

/** The messages a button in the page sends. */
export type DashboardButtonMessage = Exclude<DashboardMessage, { type: 'ready' }>;

/** A button's data-* attributes for a message: `data-action="openCase" data-case="knee-01"`. */
export function dashboardButton(message: DashboardButtonMessage): string {
  return actionAttributes(message);
}

/** A message from the page, checked field by field; undefined for anything else (the page is not trusted). */
export function parseDashboardMessage(value: unknown): DashboardMessage | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const m = value as Record<string, unknown>;
  const type = m.type as DashboardMessageType | undefined;
  if (typeof type !== 'string' || !DASHBOARD_MESSAGE_TYPES.includes(type)) return undefined;
  switch (type) {
    case 'ready':
    case 'practiseNext':
    case 'exportJournal':
      return { type };
    case 'openCase':
      return typeof m.case === 'string' && m.case !== '' ? { type, case: m.case } : undefined;
  }
}

/** One handler per message type: the compiler makes a new message type add its handler. */
export type DashboardMessageHandlers<R> = { [T in DashboardMessageType]: (message: Extract<DashboardMessage, { type: T }>) => R };

export function dispatchDashboardMessage<R>(message: DashboardMessage, handlers: DashboardMessageHandlers<R>): R {
  switch (message.type) {
    case 'ready':
      return handlers.ready(message);
    case 'openCase':
      return handlers.openCase(message);
    case 'practiseNext':
      return handlers.practiseNext(message);
    case 'exportJournal':
      return handlers.exportJournal(message);
    default:
      return unreachable(message);
  }
}

function unreachable(value: never): never {
  throw new Error(`unknown dashboard message ${JSON.stringify(value)}`);
}
