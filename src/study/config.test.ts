import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultStudyConfig, loadStudyConfigFile, modelConfigFor, parseStudyConfig } from './config.js';
import { errorOf } from '../test-helpers/errors.js';

describe('study config', () => {
  it('fills documented defaults: 5 folds, 3 seeds, the three configurations, the first as baseline', () => {
    const config = defaultStudyConfig();
    expect(config.folds).toBe(5);
    expect(config.seeds).toEqual([1, 2, 3]);
    expect(config.configurations.map((c) => `${c.model}/${c.sharing}`)).toEqual(['pipeline/none', 'joint/embeddings', 'joint/encoder']);
    expect(config.baseline).toBe('pipeline');
    expect(config.clean).toBe(true);
    expect(config.useTestSet).toBe(false);
    expect(config.significance).toEqual({ iterations: 10000, alpha: 0.05, seed: 1 });
  });

  it('passes model overrides through to every run, with the configuration kind, sharing and the seed', () => {
    const config = parseStudyConfig({ model: { hidden: 16, epochs: 2 } });
    const joint = modelConfigFor(config, config.configurations[2], 9);
    expect(joint).toMatchObject({ kind: 'joint', sharing: 'encoder', seed: 9, hidden: 16, epochs: 2 });
  });

  it('lets a configuration choose its relation head and training entities over the study-wide setting', () => {
    const config = parseStudyConfig({
      model: { relationHead: 'selection' },
      configurations: [
        { name: 'pairs', model: 'joint', sharing: 'encoder', relationHead: 'pairs' },
        { name: 'selection', model: 'joint', sharing: 'encoder' },
        { name: 'predicted', model: 'joint', sharing: 'encoder', relationTrainEntities: 'gold+predicted' },
      ],
    });
    const [pairs, selection, predicted] = config.configurations.map((c) => modelConfigFor(config, c, 1));
    expect([pairs.relationHead, selection.relationHead, predicted.relationHead]).toEqual(['pairs', 'selection', 'selection']);
    expect([pairs.relationTrainEntities, predicted.relationTrainEntities]).toEqual(['gold', 'gold+predicted']);
    expect(() => parseStudyConfig({ configurations: [{ name: 'a', model: 'joint', relationHead: 'matrix' }, { name: 'b', model: 'joint' }] })).toThrow(
      /relationHead/,
    );
  });

  it('rejects unknown keys with the line of the key', () => {
    const text = '{\n  "folds": 3,\n  "seedz": [1]\n}\n';
    const err = errorOf(() => parseStudyConfig(JSON.parse(text), { file: 's.json', sourceText: text }));
    expect(err.rule).toBe('study-config-unknown-key');
    expect(err.line).toBe(3);
    expect(err.file).toBe('s.json');
  });

  it('rejects a pipeline that shares, duplicate names, an unknown baseline, reserved and bad model keys', () => {
    expect(
      errorOf(() =>
        parseStudyConfig({
          configurations: [
            { name: 'p', model: 'pipeline', sharing: 'encoder' },
            { name: 'j', model: 'joint', sharing: 'encoder' },
          ],
        }),
      ).rule,
    ).toBe('study-config-pipeline-sharing');
    expect(
      errorOf(() =>
        parseStudyConfig({
          configurations: [
            { name: 'x', model: 'pipeline' },
            { name: 'x', model: 'joint' },
          ],
        }),
      ).rule,
    ).toBe('study-config-duplicate-name');
    expect(errorOf(() => parseStudyConfig({ baseline: 'nope' })).rule).toBe('study-config-baseline');
    expect(errorOf(() => parseStudyConfig({ model: { sharing: 'encoder' } })).rule).toBe('study-config-reserved-model-key');
    expect(errorOf(() => parseStudyConfig({ model: { hiden: 3 } })).rule).toBe('config-unknown-key');
    expect(errorOf(() => parseStudyConfig({ folds: 1 })).rule).toBe('study-config-invalid-value');
    expect(errorOf(() => parseStudyConfig({ seeds: [] })).rule).toBe('study-config-invalid-value');
    expect(errorOf(() => parseStudyConfig({ seeds: [1, 1] })).rule).toBe('study-config-duplicate-seed');
  });

  it('reads files: missing file and bad JSON are errors naming the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'medrex-study-config-'));
    expect(errorOf(() => loadStudyConfigFile(join(dir, 'none.json'))).rule).toBe('study-config-missing');
    writeFileSync(join(dir, 'bad.json'), '{ "folds": ');
    const err = errorOf(() => loadStudyConfigFile(join(dir, 'bad.json')));
    expect(err.rule).toBe('study-config-json');
    expect(err.file).toBe(join(dir, 'bad.json'));
    writeFileSync(join(dir, 'ok.json'), '{ "folds": 3, "seeds": [4] }');
    expect(loadStudyConfigFile(join(dir, 'ok.json'))).toMatchObject({ folds: 3, seeds: [4] });
  });

  it('the example configs in configs/ are valid', () => {
    for (const name of ['study.synthetic.json', 'study.default.json', 'study.ade.json']) {
      const config = loadStudyConfigFile(join(import.meta.dirname, '..', '..', 'configs', name));
      expect(config.configurations.length).toBeGreaterThanOrEqual(2);
    }
  });
});
