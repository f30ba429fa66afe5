/** The whole pipeline of this folder on the hand-written, hand-annotated discharge summary. */
import { describe, expect, it } from 'vitest';
import { encodeBio } from './bio.js';
import { bioLoss } from './bioLoss.js';
import { candidateRecall } from './candidates.js';
import { entitiesBySentence, prepareDocument } from './prepare.js';
import { corpusStats } from './stats.js';
import { annotatedDischargeSummary } from './test-helpers/notes.js';

describe('the annotated discharge summary', () => {
  const doc = annotatedDischargeSummary();

  it('tags the Lasix medication line as a reader would', () => {
    const prepared = prepareDocument(doc);
    const line = prepared.sentences[11];
    const entities = entitiesBySentence(prepared)[11].map((e) => ({ ...e.entity, fragments: e.fragments }));
    const { tags, issues } = encodeBio(line.tokens, entities);
    expect(line.tokens.map((t, k) => `${t.text}/${tags[k]}`)).toEqual([
      '1./O', 'Lasix/B-Drug', '40/B-Strength', 'mg/I-Strength', 'Tablet/B-Form', 'Sig/O', ':/O',
      'One/B-Dosage', '(/I-Dosage', '1/I-Dosage', ')/I-Dosage', 'Tablet/B-Form', 'PO/B-Route',
      'BID/B-Frequency', '(/I-Frequency', '2/I-Frequency', 'times/I-Frequency', 'a/I-Frequency', 'day/I-Frequency',
      ')/I-Frequency', './O',
    ]);
    expect(issues).toEqual([]);
  });

  it('loses nothing to BIO, and keeps all relations but the cross-sentence one in a one-sentence window', () => {
    const loss = bioLoss([doc]);
    expect([loss.entities, loss.recoveredExactly]).toEqual([33, 33]);
    expect(Object.values(loss.byReason).map((r) => r.entities)).toEqual([0, 0, 0, 0, 0]);
    const one = candidateRecall([doc], 1);
    expect([one.gold, one.kept]).toEqual([25, 24]);
    expect(one.byType['ADE-Drug']).toEqual({ gold: 2, kept: 1, recall: 0.5 });
    expect(candidateRecall([doc], 2).recall).toBe(1);
    expect(corpusStats([doc]).crossSentenceRelations.count).toBe(1);
  });
});
