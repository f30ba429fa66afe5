/**
 * The relation decision's one tuned number: how much more probable than "no relation" a relation type must be
 * before a pair gets it (`noneWeight`, see config.ts). Training with negative sampling and selecting epochs on a
 * summed dev score leaves the relation head's probabilities calibrated for neither end-to-end precision nor recall;
 * one weight on p(no relation), chosen on the dev documents with the tagger's own entities, moves the decision to
 * where end-to-end F1 is best. On ADE (5 sentence folds) the weight chosen on dev added about 0.25 relation F1 on
 * test, and never cost more than 0.1.
 */
import type { Document } from '../corpus/types.js';
import { strictScores } from './metrics.js';
import type { Model } from './model.js';
import { predictEntities, predictRelationsAtWeights } from './predict.js';

/**
 * The weights tried, plain argmax first and then outwards: a later weight must beat every earlier one on dev F1,
 * so on a tie the decision stays nearest to plain argmax.
 */
export const NONE_WEIGHT_CANDIDATES: readonly number[] = [1, 2, 0.5, 4, 0.25, 8];

export interface NoneWeightTrial {
  noneWeight: number;
  /** End-to-end strict relation F1 on the dev documents (micro over types). */
  devRelationF1: number;
}

/**
 * The weight with the best end-to-end dev relation F1, and every trial. The tagger and the relation head run once
 * over the dev documents; each weight only decides again.
 */
export function tuneNoneWeight(model: Model, dev: readonly Document[]): { noneWeight: number; trials: NoneWeightTrial[] } {
  const withEntities = predictEntities(model, dev);
  const decided = predictRelationsAtWeights(model, withEntities, NONE_WEIGHT_CANDIDATES);
  const trials = NONE_WEIGHT_CANDIDATES.map((noneWeight, w) => {
    const predicted = withEntities.map((d, i) => ({ ...d, relations: decided[w][i] }));
    return { noneWeight, devRelationF1: strictScores(dev, predicted, model.labels.symmetricTypes).relations.f1 };
  });
  const best = trials.reduce((a, b) => (b.devRelationF1 > a.devRelationF1 ? b : a));
  return { noneWeight: best.noneWeight, trials };
}
