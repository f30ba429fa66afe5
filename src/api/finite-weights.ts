/**
 * Refuses a model whose weights hold NaN or infinite values. Such a model (a diverged training run, a damaged or
 * tampered file) loads without complaint and then silently finds nothing; failing at load says what is wrong.
 * Shared by the Node loader and the browser loader.
 */
import { MedrexError } from '../errors.js';
import { memberPrefix } from '../models/ensemble.js';
import type { Model } from '../models/model.js';

export function checkFiniteWeights(model: Model, file: string): void {
  let bad = 0;
  let tensors = 0;
  let first: { name: string; index: number; value: number } | null = null;
  const all = model.members.flatMap((member, m) =>
    member.params.list().map((p) => ({ name: `${memberPrefix(m)}${p.name}`, values: member.params.values(p) })),
  );
  for (const p of all) {
    const values = p.values;
    let badHere = 0;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      // v - v is 0 for every finite number and NaN for NaN and +/-Infinity: one test for both.
      if (v - v !== 0) {
        if (first === null) first = { name: p.name, index: i, value: v };
        badHere++;
      }
    }
    if (badHere > 0) tensors++;
    bad += badHere;
  }
  if (first !== null) {
    throw new MedrexError(
      `model weights are not finite: ${bad} value(s) in ${tensors} tensor(s) are NaN or infinite (first: ` +
        `${first.name}[${first.index}] = ${first.value}); the training run probably diverged: retrain the model`,
      { file, rule: 'model-weights-not-finite' },
    );
  }
}
