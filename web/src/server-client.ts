/**
 * The page's calls to the medrex server (same origin): the model card, the model files, and /extract.
 */
import type { Extraction, ModelCard } from '../../src/api/types.js';

/** The server's error message from a `{"error": {code, message}}` body, or the HTTP status. */
async function failure(response: Response): Promise<Error> {
  try {
    const body = (await response.json()) as { error?: { code?: string; message?: string } };
    if (body.error?.message) return new Error(`${body.error.message} [${body.error.code ?? response.status}]`);
  } catch {
    // not JSON: fall through
  }
  return new Error(`HTTP ${response.status} ${response.statusText}`);
}

export async function fetchCard(): Promise<ModelCard> {
  const response = await fetch('model');
  if (!response.ok) throw await failure(response);
  return (await response.json()) as ModelCard;
}

/** The raw model files, for the in-browser engine. */
export async function fetchModelFiles(): Promise<{ cardText: string; weights: ArrayBuffer }> {
  const [card, weights] = await Promise.all([fetch('model/files/model.json'), fetch('model/files/model.safetensors')]);
  if (!card.ok) throw await failure(card);
  if (!weights.ok) throw await failure(weights);
  return { cardText: await card.text(), weights: await weights.arrayBuffer() };
}

export async function extractOnServer(text: string): Promise<Extraction> {
  const response = await fetch('extract', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ text }),
  });
  if (!response.ok) throw await failure(response);
  return (await response.json()) as Extraction;
}
