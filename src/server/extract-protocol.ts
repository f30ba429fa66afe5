/** Messages between the server's main thread and its extraction workers (extract-worker.ts). */
import type { Extraction } from '../api/types.js';

export interface ExtractWorkerData {
  modelDir: string;
}

/** Worker -> main, once: the model loaded, or why not. */
export type StartupMessage =
  | { type: 'ready' }
  | { type: 'failed'; message: string; file?: string; line?: number; rule?: string; userError: boolean };

/** Main -> worker: one batch. */
export interface BatchRequest {
  id: number;
  texts: string[];
}

/** Worker -> main: the answer to one batch. */
export type BatchReply = { id: number; results: Extraction[] } | { id: number; error: string };
