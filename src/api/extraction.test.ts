import { describe, expect, it } from 'vitest';
import { toExtraction } from './extraction.js';

describe('toExtraction', () => {
  it('keeps offsets, turns fragments into spans and defaults missing scores to 1', () => {
    const text = 'take 1 tab of aspirin daily';
    const result = toExtraction({
      id: 'd',
      text,
      entities: [
        // discontinuous: "1 tab" + "daily"
        { id: 'T1', type: 'Dosage', fragments: [{ start: 5, end: 10 }, { start: 22, end: 27 }], text: '1 tab daily', score: 0.5 },
        { id: 'T2', type: 'Drug', fragments: [{ start: 14, end: 21 }], text: 'aspirin' },
      ],
      relations: [{ id: 'R1', type: 'Dosage-Drug', arg1: 'T1', arg2: 'T2', arg1Role: 'Arg1', arg2Role: 'Arg2', score: 0.25 }],
    });
    expect(result).toEqual({
      entities: [
        { id: 'T1', type: 'Dosage', spans: [{ start: 5, end: 10 }, { start: 22, end: 27 }], text: '1 tab daily', score: 0.5 },
        { id: 'T2', type: 'Drug', spans: [{ start: 14, end: 21 }], text: 'aspirin', score: 1 },
      ],
      relations: [{ id: 'R1', type: 'Dosage-Drug', arg1: 'T1', arg2: 'T2', score: 0.25 }],
    });
    expect(text.slice(14, 21)).toBe('aspirin');
  });
});
