/**
 * Messages between the page and the in-browser engine worker (engine-worker.ts).
 */
import type { Extraction, ModelCard } from '../../src/api/types.js';

export type WorkerRequest =
  | { id: number; kind: 'load'; cardText: string; weights: ArrayBuffer; cardName: string; weightsName: string }
  | { id: number; kind: 'extract'; text: string };

export type WorkerResponse =
  | { id: number; ok: true; card: ModelCard; kernels: string }
  | { id: number; ok: true; extraction: Extraction; milliseconds: number }
  | { id: number; ok: false; error: string };
