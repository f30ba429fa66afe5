import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createReferenceKernels } from './kernels/reference.js';
import { ParameterStore } from './params.js';
import {
  decodeSafetensors, encodeParameters, encodeSafetensors, loadParameters,
} from './safetensors.js';
import { errorOf } from '../test-helpers/errors.js';

/** Build a file by hand: length prefix, header text, raw data bytes. */
function handMade(header: string, data: number[]): Uint8Array {
  const text = new TextEncoder().encode(header);
  const out = new Uint8Array(8 + text.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(text.length), true);
  out.set(text, 8);
  out.set(data, 8 + text.length);
  return out;
}

function expectRule(action: () => unknown, rule: string, message: RegExp): void {
  const error = errorOf(action);
  expect(error.rule).toBe(rule);
  expect(error.message).toMatch(message);
  expect(error.file).toBe('model.safetensors');
}

describe('safetensors', () => {
  it('writes the header length, the JSON header padded to 8 bytes, then little-endian F32 data (byte for byte)', () => {
    const bytes = encodeSafetensors([{ name: 'a', shape: [2], data: Float32Array.from([1, -2]) }]);
    // The JSON is 54 bytes; two spaces pad it to 56, so the data starts at byte 64.
    const header = '{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}  ';
    const expected = handMade(header, [0x00, 0x00, 0x80, 0x3f, /* -2 */ 0x00, 0x00, 0x00, 0xc0]);
    expect(Array.from(bytes.subarray(0, 8))).toEqual([56, 0, 0, 0, 0, 0, 0, 0]);
    expect(Array.from(bytes)).toEqual(Array.from(expected));
  });

  it('round-trips several tensors and the metadata, tensors ordered by name', () => {
    const bytes = encodeSafetensors(
      [
        { name: 'z.bias', shape: [3], data: Float32Array.from([0.5, 1.5, -2.25]) },
        { name: 'a.weight', shape: [2, 2], data: Float32Array.from([1, 2, 3, 4]) },
        { name: 'empty', shape: [0, 4], data: new Float32Array(0) },
      ],
      { format: 'medrex', tags: 'O,B-Drug' },
    );
    const { tensors, metadata } = decodeSafetensors(bytes);
    expect(metadata).toEqual({ format: 'medrex', tags: 'O,B-Drug' });
    expect(Array.from(tensors.get('a.weight')!.data)).toEqual([1, 2, 3, 4]);
    expect(tensors.get('a.weight')!.shape).toEqual([2, 2]);
    expect(Array.from(tensors.get('z.bias')!.data)).toEqual([0.5, 1.5, -2.25]);
    expect(tensors.get('empty')!.shape).toEqual([0, 4]);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + Number(new DataView(bytes.buffer).getBigUint64(0, true)))));
    expect(header['a.weight'].data_offsets).toEqual([0, 16]);
    expect(header['z.bias'].data_offsets).toEqual([16, 28]);
  });

  it('reads a hand-made file whose header is not padded (data not aligned)', () => {
    const file = handMade('{"x":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}', [0x00, 0x00, 0x40, 0x40]);
    expect(Array.from(decodeSafetensors(file).tensors.get('x')!.data)).toEqual([3]);
  });

  const FILE = 'model.safetensors';
  it('rejects a file shorter than the length prefix', () => {
    expectRule(() => decodeSafetensors(new Uint8Array(5), FILE), 'safetensors-truncated', /too short/);
  });

  it('rejects a header length past the end of the file', () => {
    const bytes = encodeSafetensors([{ name: 'a', shape: [2], data: new Float32Array(2) }]);
    expectRule(() => decodeSafetensors(bytes.subarray(0, 40), FILE), 'safetensors-truncated', /header says 56 bytes/);
  });

  it('rejects truncated tensor data', () => {
    const bytes = encodeSafetensors([{ name: 'a', shape: [2], data: new Float32Array(2) }]);
    expectRule(() => decodeSafetensors(bytes.subarray(0, bytes.length - 4), FILE), 'safetensors-truncated', /ends at byte 8 of the data, which has 4/);
  });

  it('rejects overlapping offsets, holes and unindexed trailing bytes', () => {
    const overlap = handMade(
      '{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}',
      new Array(8).fill(0),
    );
    expectRule(() => decodeSafetensors(overlap, FILE), 'safetensors-offsets', /overlaps/);
    const hole = handMade('{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}', new Array(8).fill(0));
    expectRule(() => decodeSafetensors(hole, FILE), 'safetensors-offsets', /hole in the data/);
    const trailing = handMade('{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}', new Array(8).fill(0));
    expectRule(() => decodeSafetensors(trailing, FILE), 'safetensors-offsets', /4 bytes after the last tensor/);
  });

  it('rejects offsets that do not match the shape, other dtypes, and a header that is not JSON', () => {
    const wrongSize = handMade('{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}', new Array(8).fill(0));
    expectRule(() => decodeSafetensors(wrongSize, FILE), 'safetensors-offsets', /do not hold 3 F32 values/);
    const f16 = handMade('{"a":{"dtype":"F16","shape":[2],"data_offsets":[0,4]}}', new Array(4).fill(0));
    expectRule(() => decodeSafetensors(f16, FILE), 'safetensors-dtype', /dtype F16; only F32/);
    expectRule(() => decodeSafetensors(handMade('{"a":', []), FILE), 'safetensors-header', /not UTF-8 JSON/);
    const badMeta = handMade('{"__metadata__":{"n":1}}', []);
    expectRule(() => decodeSafetensors(badMeta, FILE), 'safetensors-header', /__metadata__.n is not a string/);
  });

  it('saves and loads a parameter store through a file, checking names and shapes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'medrex-st-'));
    try {
      const k = createReferenceKernels();
      const store = new ParameterStore(k);
      store.create('w', [2, 2], (v) => v.set([1, 2, 3, 4]));
      store.create('b', [2], (v) => v.set([5, 6]));
      const path = join(dir, 'model.safetensors');
      writeFileSync(path, encodeParameters(store));
      const other = new ParameterStore(k);
      other.create('w', [2, 2]);
      other.create('b', [2]);
      loadParameters(other, decodeSafetensors(readFileSync(path), path).tensors, path);
      expect(Array.from(other.values(other.get('w')))).toEqual([1, 2, 3, 4]);
      expect(Array.from(other.values(other.get('b')))).toEqual([5, 6]);

      const wrongShape = new ParameterStore(k);
      wrongShape.create('w', [4]);
      wrongShape.create('b', [2]);
      expect(() => loadParameters(wrongShape, decodeSafetensors(encodeParameters(store)).tensors)).toThrow(/has shape \[2, 2\], the model expects \[4\]/);
      const missing = new ParameterStore(k);
      missing.create('w', [2, 2]);
      expect(() => loadParameters(missing, decodeSafetensors(encodeParameters(store)).tensors)).toThrow(/unexpected tensor b/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
