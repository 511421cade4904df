// Types of codeServer.js for the TypeScript tests (test/e2e) that import it.
import type { Browser } from 'playwright-core';

export const HOST: string;
export const ROOT: string;
export const RESULTS_DIR: string;
export const SAMPLE_PACK: string;

export interface CodeServer {
  host: string;
  port: number;
  origin: string;
  pid: number;
  logFile: string;
  stateDir: string;
  readonly exited: number | string | null;
  readonly done: Promise<number | string>;
  stop(options?: { keepLogAs?: string }): Promise<void>;
}

export interface StartOptions {
  folder: string;
  env?: Record<string, string>;
  port?: number;
  stateDir?: string;
  settings?: Record<string, unknown>;
  label?: string;
}

export function freePort(preferred?: number): Promise<number>;
export function tempDir(label: string): string;
export function scratchWorkspace(parent: string, source?: string): string;
export function startCodeServer(options: StartOptions): Promise<CodeServer>;
export function workbenchUrl(server: CodeServer, target: { folder: string; extensionDevelopmentPath?: string; extensionTestsPath?: string }): string;
export function launchBrowser(stateDir: string): Promise<Browser>;
export function keepLogs(stateDir: string, name: string): void;
export function killRegistered(dir: string): void;
export function sleep(ms: number): Promise<void>;
