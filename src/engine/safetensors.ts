/**
 * Safetensors read/write (https://huggingface.co/docs/safetensors): the model file format.
 *
 * Layout: 8 bytes little-endian u64 N, then N bytes of UTF-8 JSON
 *   {"__metadata__": {string: string}, name: {"dtype": "F32", "shape": [...], "data_offsets": [begin, end]}, ...}
 * (padded with spaces so the data starts 8-byte aligned), then the raw little-endian tensor bytes; offsets are
 * relative to the start of the data and must tile it exactly, without holes or overlaps.
 * Only F32 is supported (the engine computes in float32); other dtypes are rejected by name.
 * Malformed files raise a MedrexError naming the file and the rule broken, never a stack trace.
 */
import { MedrexError } from '../errors.js';
import type { ParameterStore } from './params.js';

export interface NamedTensor {
  name: string;
  shape: readonly number[];
  data: Float32Array;
}

export interface SafetensorsContents {
  tensors: Map<string, { shape: number[]; data: Float32Array }>;
  metadata: Record<string, string>;
}

/** The reference implementation refuses headers above 100 MB; so do we (a corrupt length would allocate GBs). */
const MAX_HEADER_BYTES = 100_000_000;
const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Serialise tensors (sorted by name, as the reference implementation does for a single dtype). */
export function encodeSafetensors(tensors: readonly NamedTensor[], metadata: Record<string, string> = {}): Uint8Array {
  const sorted = [...tensors].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  let offset = 0;
  const seen = new Set<string>();
  for (const t of sorted) {
    if (t.name === '__metadata__' || seen.has(t.name)) throw new Error(`safetensors: tensor name ${t.name} is reserved or repeated`);
    seen.add(t.name);
    const count = t.shape.reduce((n, d) => n * d, 1);
    if (count !== t.data.length) throw new Error(`safetensors: ${t.name} has shape [${t.shape.join(', ')}] but ${t.data.length} values`);
    header[t.name] = { dtype: 'F32', shape: [...t.shape], data_offsets: [offset, offset + 4 * count] };
    offset += 4 * count;
  }
  let json = JSON.stringify(header);
  const encoder = new TextEncoder();
  // Pad with spaces (allowed by the format) so the tensor data starts on an 8-byte boundary.
  while (encoder.encode(json).length % 8 !== 0) json += ' ';
  const headerBytes = encoder.encode(json);
  const out = new Uint8Array(8 + headerBytes.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let at = 8 + headerBytes.length;
  for (const t of sorted) {
    for (let i = 0; i < t.data.length; i++) view.setFloat32(at + 4 * i, t.data[i], true);
    at += 4 * t.data.length;
  }
  return out;
}

/** Parse and validate a safetensors file held in memory. `file` names it in error messages. */
export function decodeSafetensors(bytes: Uint8Array, file = '<buffer>'): SafetensorsContents {
  const fail = (rule: string, message: string): never => {
    throw new MedrexError(`not a valid safetensors file: ${message}`, { file, rule });
  };
  if (bytes.length < 8) fail('safetensors-truncated', `${bytes.length} bytes, too short for the 8-byte header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getBigUint64(0, true);
  if (headerLength > BigInt(MAX_HEADER_BYTES)) fail('safetensors-header', `header length ${headerLength} exceeds ${MAX_HEADER_BYTES} bytes`);
  const n = Number(headerLength);
  if (8 + n > bytes.length) fail('safetensors-truncated', `header says ${n} bytes but the file has only ${bytes.length - 8} after the length`);

  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n)));
  } catch (error) {
    fail('safetensors-header', `header is not UTF-8 JSON (${(error as Error).message})`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) fail('safetensors-header', 'header is not a JSON object');
  const entries = header as Record<string, unknown>;

  const metadata: Record<string, string> = {};
  if ('__metadata__' in entries) {
    const m = entries.__metadata__;
    if (typeof m !== 'object' || m === null || Array.isArray(m)) fail('safetensors-header', '__metadata__ is not an object');
    for (const [key, value] of Object.entries(m as Record<string, unknown>)) {
      if (typeof value !== 'string') fail('safetensors-header', `__metadata__.${key} is not a string`);
      metadata[key] = value as string;
    }
  }

  const dataStart = 8 + n;
  const dataLength = bytes.length - dataStart;
  const spans: { name: string; begin: number; end: number; shape: number[] }[] = [];
  for (const [name, raw] of Object.entries(entries)) {
    if (name === '__metadata__') continue;
    if (typeof raw !== 'object' || raw === null) fail('safetensors-header', `entry ${name} is not an object`);
    const { dtype, shape, data_offsets: offsets } = raw as Record<string, unknown>;
    if (dtype !== 'F32') fail('safetensors-dtype', `tensor ${name} has dtype ${String(dtype)}; only F32 is supported`);
    if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
      fail('safetensors-shape', `tensor ${name} has a shape that is not a list of non-negative integers`);
    }
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && o >= 0)) {
      fail('safetensors-offsets', `tensor ${name} needs data_offsets [begin, end] of non-negative integers`);
    }
    const [begin, end] = offsets as number[];
    const count = (shape as number[]).reduce((a, d) => a * d, 1);
    if (end < begin || end - begin !== 4 * count) {
      fail('safetensors-offsets', `tensor ${name}: data_offsets [${begin}, ${end}] do not hold ${count} F32 values`);
    }
    if (end > dataLength) fail('safetensors-truncated', `tensor ${name} ends at byte ${end} of the data, which has ${dataLength}`);
    spans.push({ name, begin, end, shape: shape as number[] });
  }

  // The data must be tiled exactly: sorted by begin, each tensor starts where the previous one ended.
  spans.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let covered = 0;
  for (const s of spans) {
    if (s.begin < covered) fail('safetensors-offsets', `tensor ${s.name} overlaps the previous tensor (starts at ${s.begin}, before ${covered})`);
    if (s.begin > covered) fail('safetensors-offsets', `hole in the data before tensor ${s.name} (bytes ${covered}..${s.begin})`);
    covered = s.end;
  }
  if (covered !== dataLength) fail('safetensors-offsets', `${dataLength - covered} bytes after the last tensor are not indexed`);

  const tensors = new Map<string, { shape: number[]; data: Float32Array }>();
  for (const s of spans) {
    const count = (s.end - s.begin) / 4;
    let data: Float32Array;
    if (LITTLE_ENDIAN_HOST) {
      // Copy into a fresh, aligned buffer (the source may be an unaligned view, e.g. a pooled Node Buffer).
      data = new Float32Array(count);
      new Uint8Array(data.buffer).set(bytes.subarray(dataStart + s.begin, dataStart + s.end));
    } else {
      data = new Float32Array(count);
      for (let i = 0; i < count; i++) data[i] = view.getFloat32(dataStart + s.begin + 4 * i, true);
    }
    tensors.set(s.name, { shape: s.shape, data });
  }
  return { tensors, metadata };
}

/** Every parameter of a store, by name, as safetensors bytes. */
export function encodeParameters(store: ParameterStore, metadata: Record<string, string> = {}): Uint8Array {
  return encodeSafetensors(store.list().map((p) => ({ name: p.name, shape: p.shape, data: store.values(p).slice() })), metadata);
}

/**
 * Load values into an existing store by name: the one way weights get into a model (a saved model, a checkpoint,
 * the browser's fetched files). Every parameter must be present with the same shape, and the tensors must hold
 * nothing else (a mismatch means the file belongs to another model configuration). `file` names them in errors.
 */
export function loadParameters(store: ParameterStore, tensors: SafetensorsContents['tensors'], file = '<buffer>'): void {
  for (const p of store.list()) {
    const t = tensors.get(p.name);
    if (!t) throw new MedrexError(`model file has no tensor ${p.name}; it was saved by a different model configuration`, { file, rule: 'model-tensor-missing' });
    if (t.shape.length !== p.shape.length || t.shape.some((d, i) => d !== p.shape[i])) {
      throw new MedrexError(`tensor ${p.name} has shape [${t.shape.join(', ')}], the model expects [${p.shape.join(', ')}]`, { file, rule: 'model-tensor-shape' });
    }
  }
  for (const name of tensors.keys()) {
    if (!store.has(name)) throw new MedrexError(`model file has an unexpected tensor ${name}`, { file, rule: 'model-tensor-unexpected' });
  }
  for (const p of store.list()) store.values(p).set(tensors.get(p.name)!.data);
}
