import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig, encoderLayout, loadConfigFile, parseConfig } from './config.js';
import { errorOf } from '../test-helpers/errors.js';

function writeConfig(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'medrex-config-'));
  const path = join(dir, 'config.json');
  writeFileSync(path, text);
  return path;
}

describe('model config', () => {
  it('fills every key with its documented default', () => {
    const c = defaultConfig();
    expect(c.kind).toBe('pipeline');
    expect(c.sharing).toBe('none');
    expect(c.hidden).toBe(64);
    expect(c.windowSentences).toBe(2);
    expect(c.negativeRatio).toBe(4);
    expect(c.pretrainedVectors).toBeNull();
  });

  it('keeps given values and defaults the rest', () => {
    const c = parseConfig({ kind: 'joint', sharing: 'encoder', hidden: 32 });
    expect([c.kind, c.sharing, c.hidden, c.wordDim]).toEqual(['joint', 'encoder', 32, 50]);
  });

  it('names an unknown key and the line it is on', () => {
    const path = writeConfig('{\n  "hidden": 32,\n  "learningrate": 0.1\n}\n');
    const err = errorOf(() => loadConfigFile(path));
    expect(err.message).toContain('unknown config key "learningrate"');
    expect(err.line).toBe(3);
    expect(err.rule).toBe('config-unknown-key');
    expect(err.file).toBe(path);
  });

  it('rejects a bad value with the key path', () => {
    const err = errorOf(() => parseConfig({ dropout: 1.5 }));
    expect(err.message).toContain('"dropout"');
    expect(err.rule).toBe('config-invalid-value');
    expect(errorOf(() => parseConfig({ noneWeight: 'auto' })).message).toBe('config key "noneWeight": expected "tune" or a number > 0');
    expect(errorOf(() => parseConfig({ noneWeight: 0 })).message).toContain('config key "noneWeight"');
  });

  it('refuses a pipeline that claims to share parameters', () => {
    expect(errorOf(() => parseConfig({ kind: 'pipeline', sharing: 'encoder' })).rule).toBe('config-pipeline-sharing');
  });

  it('rejects an even char window, invalid JSON and a missing file', () => {
    expect(errorOf(() => parseConfig({ charWindow: 4 })).message).toContain('charWindow');
    expect(errorOf(() => loadConfigFile(writeConfig('{ "hidden": '))).rule).toBe('config-json');
    expect(errorOf(() => loadConfigFile(writeConfig('[1]'))).rule).toBe('config-json');
    expect(errorOf(() => loadConfigFile('/nonexistent/medrex.json')).rule).toBe('config-missing');
  });

  it('lays out the encoder from the sharing presets and from explicit depths', () => {
    expect(encoderLayout(parseConfig({}))).toEqual({ sharedEmbeddings: false, shared: 0, ner: 1, re: 1 });
    expect(encoderLayout(parseConfig({ kind: 'joint', sharing: 'embeddings', layers: 2 }))).toEqual({
      sharedEmbeddings: true, shared: 0, ner: 2, re: 2,
    });
    expect(encoderLayout(parseConfig({ kind: 'joint', sharing: 'encoder', layers: 3 }))).toEqual({
      sharedEmbeddings: true, shared: 3, ner: 0, re: 0,
    });
    // Crone 2020: shared layers, then task-specific ones.
    expect(encoderLayout(parseConfig({ kind: 'joint', sharing: 'encoder', sharedLayers: 1, nerLayers: 1, reLayers: 2 }))).toEqual({
      sharedEmbeddings: true, shared: 1, ner: 1, re: 2,
    });
  });

  it('refuses layouts that cannot be built, naming the key', () => {
    expect(errorOf(() => parseConfig({ kind: 'joint', sharing: 'embeddings', sharedLayers: 1 })).message).toMatch(/sharedLayers > 0 needs sharing "encoder"/);
    expect(errorOf(() => parseConfig({ kind: 'joint', sharing: 'encoder', sharedLayers: 0 })).message).toMatch(/at least one shared layer/);
    expect(errorOf(() => parseConfig({ kind: 'joint', sharing: 'none', nerLayers: 0 })).message).toMatch(/NER side has no BiLSTM/);
  });
});
