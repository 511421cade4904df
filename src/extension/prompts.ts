// Questions Casebook asks in a modal dialog or an input box, through one place so that integration
// tests can see the question and answer it (VS Code's API cannot press a modal's buttons or type into
// an input box). Outside tests nothing is scripted and these are VS Code's own dialogs.
import * as vscode from 'vscode';

export const prompts = {
  /** The questions asked since activation (newest last), for tests. */
  asked: [] as string[],
  /** Answers the next questions take instead of asking (tests only): a button's title, a text, or undefined for Cancel/Escape. */
  scripted: [] as Array<string | undefined>,

  /** A modal question with buttons; the chosen button's title, or undefined when cancelled. */
  async confirm(message: string, detail: string, ...buttons: string[]): Promise<string | undefined> {
    this.asked.push(message);
    if (this.scripted.length) return this.scripted.shift();
    return vscode.window.showWarningMessage(message, { modal: true, detail }, ...buttons);
  },

  /** A line of text; undefined when cancelled. */
  async input(options: vscode.InputBoxOptions & { prompt: string }): Promise<string | undefined> {
    this.asked.push(options.prompt);
    if (this.scripted.length) return this.scripted.shift();
    return vscode.window.showInputBox(options);
  },
};
