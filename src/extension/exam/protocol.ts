// The messages between the exam's question view (media/exam.js) and the extension, both ways.
// The host owns the attempt; the page sends intents and shows what the host sends back.
import type { ExamView } from '../../core/exam/view';

/** What the page posts. */
export type ToHost =
  | { type: 'ready' }
  | { type: 'answer'; item: string; letter: string }
  | { type: 'flag'; item: string }
  | { type: 'next' }
  | { type: 'previous' }
  | { type: 'go'; item: string }
  | { type: 'submit' }
  | { type: 'findCode' }
  | { type: 'openCase'; item: string }
  /** The learner's reply to a `confirm`. */
  | { type: 'confirmed'; id: string; yes: boolean };

/** What the host posts. */
export type ToPage =
  | { type: 'view'; view: ExamView; focus?: boolean }
  /** Ask the learner (an in-page dialog); the reply is a `confirmed` with the same id. */
  | { type: 'confirm'; id: string; text: string };

/** Saved with the panel (webview state), so VS Code can hand it back after Reload Window. */
export interface ExamSubject {
  packRoot: string;
  exam: string;
  attempt: string;
}

const TYPES: ReadonlySet<string> = new Set(['ready', 'answer', 'flag', 'next', 'previous', 'go', 'submit', 'findCode', 'openCase', 'confirmed']);

/** A message from the page, checked: anything else is dropped. */
export function toHost(message: unknown): ToHost | undefined {
  if (!message || typeof message !== 'object') return undefined;
  const m = message as Record<string, unknown>;
  if (typeof m.type !== 'string' || !TYPES.has(m.type)) return undefined;
  const str = (k: string) => typeof m[k] === 'string';
  switch (m.type) {
    case 'answer':
      return str('item') && str('letter') ? (m as ToHost) : undefined;
    case 'flag':
    case 'go':
    case 'openCase':
      return str('item') ? (m as ToHost) : undefined;
    case 'confirmed':
      return str('id') && typeof m.yes === 'boolean' ? (m as ToHost) : undefined;
    default:
      return { type: m.type } as ToHost;
  }
}
