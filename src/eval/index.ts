/**
 * Evaluation: the n2c2 2018 Track 2 scorer (official numbers) with medrex's additions. See README.md.
 */
export { scoreCorpora } from './score.js';
export type {
  AdditionRow,
  ByMode,
  KindAdditions,
  MatchMode,
  OfficialKindScore,
  OfficialRow,
  Score,
  ScoreOptions,
  ScoreReport,
} from './score.js';
export { formatScoreTable, formatOfficialTable, formatAdditions } from './format.js';
export { countMatches } from './matching.js';
export type { Counts, Prf } from './measures.js';
export { N2C2_ENTITY_TYPES, N2C2_RELATION_TYPES } from './labels.js';
