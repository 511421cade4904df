// The highlights of tagged text: one colour per code system, the code shown after the text.
import * as vscode from 'vscode';
import { decorationSpans, type DecorationSpan } from '../../core/sheet';
import type { CodeSystem } from '../../core/model';
import type { OpenCase } from '../cases/sessions';

const COLORS: Record<CodeSystem, string> = { 'ICD-10-CM': 'diagnosis', CPT: 'procedure', HCPCS: 'hcpcs' };

export class TagDecorations implements vscode.Disposable {
  private readonly types = new Map<CodeSystem, vscode.TextEditorDecorationType>();
  /** What was last drawn per document (for the test API and the hover). */
  readonly drawn = new Map<string, DecorationSpan[]>();

  constructor() {
    for (const system of Object.keys(COLORS) as CodeSystem[]) {
      const name = COLORS[system];
      this.types.set(
        system,
        vscode.window.createTextEditorDecorationType({
          backgroundColor: new vscode.ThemeColor(`casebook.${name}Background`),
          border: '1px solid',
          borderColor: new vscode.ThemeColor(`casebook.${name}Border`),
          borderRadius: '2px',
          rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
        }),
      );
    }
  }

  draw(editor: vscode.TextEditor, c: OpenCase | undefined): void {
    const spans = c ? decorationSpans(c.session.work) : [];
    this.drawn.set(editor.document.uri.toString(), spans);
    const bySystem = new Map<CodeSystem, vscode.DecorationOptions[]>();
    const bodyOffset = c?.offset ?? 0;
    for (const span of spans) {
      const range = new vscode.Range(editor.document.positionAt(bodyOffset + span.start), editor.document.positionAt(bodyOffset + span.end));
      const list = bySystem.get(span.system) ?? [];
      list.push({
        range,
        renderOptions: {
          after: {
            contentText: ` ${span.label}`,
            color: new vscode.ThemeColor('casebook.tagLabelForeground'),
            fontStyle: 'italic',
            margin: '0 0.3em 0 0',
          },
        },
      });
      bySystem.set(span.system, list);
    }
    for (const [system, type] of this.types) editor.setDecorations(type, bySystem.get(system) ?? []);
  }

  dispose(): void {
    for (const t of this.types.values()) t.dispose();
  }
}
