// The report webview's protocol: every message between the page (media/report.js) and the extension
// host, in one place. The page posts `{ type: data-action, ...data-* }` for a button built here, and
// `openLink` / `ready` itself. media/report.js is plain JavaScript and cannot import this file: it
// repeats the message names, and test/unit/reportProtocol.test.ts checks that they are exactly these.
import type { LineKind } from './model';

/** Page → host. */
export type ReportMessage =
  | { type: 'ready' }
  | { type: 'showEvidence'; kind: LineKind; keyIndex: number }
  | { type: 'showTag'; tagId: string }
  | { type: 'openCase'; case: string }
  | { type: 'openLink'; href: string }
  /** "I disagree…": the host asks for the note on this line (core/disputes `disputeLine`) and saves it in the work. */
  | { type: 'dispute'; line: string };

/** Host → page: none. The host re-renders the whole page (webview.html) instead of messaging it. */
export type HostMessage = never;

export type ReportMessageType = ReportMessage['type'];

/** Every page → host message type (the unit test compares media/report.js against this list). */
export const REPORT_MESSAGE_TYPES: readonly ReportMessageType[] = ['ready', 'showEvidence', 'showTag', 'openCase', 'openLink', 'dispute'];

/** The messages a button in the page sends (the others the script sends on its own). */
export type ButtonMessage = Extract<ReportMessage, { type: 'showEvidence' | 'showTag' | 'openCase' | 'dispute' }>;

const ATTRIBUTE_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** A button's data-* attributes for a message: `data-action="showTag" data-tag-id="t-1a2b"`. */
export function buttonAttributes(message: ButtonMessage): string {
  return actionAttributes(message);
}

/** data-action and data-* for any webview message (report, dashboard); the page's script posts them back. */
export function actionAttributes(message: { type: string } & Record<string, string | number>): string {
  const parts = [`data-action="${message.type}"`];
  for (const [name, value] of Object.entries(message)) {
    if (name === 'type') continue;
    // dataset turns data-key-index back into keyIndex in the page.
    const attribute = name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
    parts.push(`data-${attribute}="${String(value).replace(/[&<>"']/g, (c) => ATTRIBUTE_ESCAPES[c])}"`);
  }
  return parts.join(' ');
}

/** A message from the page, checked field by field; undefined for anything else (the page is not trusted). */
export function parseReportMessage(value: unknown): ReportMessage | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const m = value as Record<string, unknown>;
  const text = (name: string) => (typeof m[name] === 'string' ? m[name] : undefined);
  const type = text('type') as ReportMessageType | undefined;
  if (type === undefined || !REPORT_MESSAGE_TYPES.includes(type)) return undefined;
  switch (type) {
    case 'ready':
      return { type };
    case 'showEvidence': {
      const kind = text('kind');
      const keyIndex = Number(m.keyIndex); // a data-* attribute arrives as text
      if ((kind !== 'diagnosis' && kind !== 'procedure') || !Number.isInteger(keyIndex) || keyIndex < 0) return undefined;
      return { type, kind, keyIndex };
    }
    case 'showTag': {
      const tagId = text('tagId');
      return tagId ? { type, tagId } : undefined;
    }
    case 'openCase': {
      const id = text('case');
      return id ? { type, case: id } : undefined;
    }
    case 'openLink': {
      const href = text('href');
      return href !== undefined ? { type, href } : undefined;
    }
    case 'dispute': {
      const line = text('line');
      return line && line.length <= 200 ? { type, line } : undefined;
    }
  }
}

/** One handler per message type: the compiler makes a new message type add its handler. */
export type ReportMessageHandlers<R> = { [T in ReportMessageType]: (message: Extract<ReportMessage, { type: T }>) => R };

export function dispatchReportMessage<R>(message: ReportMessage, handlers: ReportMessageHandlers<R>): R {
  switch (message.type) {
    case 'ready':
      return handlers.ready(message);
    case 'showEvidence':
      return handlers.showEvidence(message);
    case 'showTag':
      return handlers.showTag(message);
    case 'openCase':
      return handlers.openCase(message);
    case 'openLink':
      return handlers.openLink(message);
    case 'dispute':
      return handlers.dispute(message);
    default:
      return unreachable(message);
  }
}

function unreachable(value: never): never {
  throw new Error(`unknown report message ${JSON.stringify(value)}`);
}
