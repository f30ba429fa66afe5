/**
 * `medrex stats DIR`: corpus statistics as tables, or with --json as one JSON object on stdout (reader warnings go
 * to stderr, so stdout stays parseable). The numbers come from `corpusStats` in `src/text/`.
 */
import Table from 'cli-table3';
import { Option, type Command } from 'commander';
import { CORPUS_FORMATS, type CorpusFormat } from '../../corpus/load.js';
import { chooseTagLayout, type TagLayout } from '../../models/tag-layers.js';
import { corpusStats, type CorpusStats, type LengthSummary } from '../../text/stats.js';
import { LENIENT_HELP, readCorpusInput } from '../corpus-input.js';

interface StatsFlags {
  format?: CorpusFormat;
  json?: boolean;
  lenient?: boolean;
}

function table(head: string[]): Table.Table {
  return new Table({ head, style: { head: [], border: [], compact: true } });
}

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
const num = (x: number): string => (Number.isInteger(x) ? String(x) : x.toFixed(2));
const lengths = (l: LengthSummary | undefined): string =>
  l ? `${num(l.mean)} / ${num(l.median)} / ${num(l.max)}` : '';
const sum = (counts: Record<string, number>): number => Object.values(counts).reduce((a, b) => a + b, 0);
/** Types sorted by count, most frequent first, then by name. */
const byCount = (counts: Record<string, number>): string[] =>
  Object.keys(counts).sort((a, b) => counts[b] - counts[a] || a.localeCompare(b));

export function renderStats(stats: CorpusStats, format: CorpusFormat, tagLayers: TagLayout): string {
  const summary = table(['corpus', 'value']);
  summary.push(
    ['format', format],
    ['documents', stats.documents],
    ['sentences', stats.sentences],
    ['tokens', stats.tokens],
    ['entities', sum(stats.entities)],
    ['relations', sum(stats.relations)],
    ['discontinuous entities', stats.discontinuousEntities.count],
    ['overlapping entities', stats.overlappingEntities.count],
    ['entities cut by a sentence boundary', stats.crossSentenceEntities.count],
    [
      'cross-sentence relations',
      `${stats.crossSentenceRelations.count} (${pct(stats.crossSentenceRelations.share)})`,
    ],
    ['entities BIO recovers exactly', `${stats.bioLoss.recoveredExactly} (${pct(stats.bioLoss.exactRecall)})`],
    // What "one sequence" loses below matters only if the model keeps one sequence.
    ['tag layers by default ("auto")', tagLayers === 'per-type' ? 'per-type (overlapping types kept)' : 'single'],
  );

  const entities = table([
    'entity type',
    'count',
    'discontinuous',
    'overlapping',
    'cross-sentence',
    'tokens mean/median/max',
    'chars mean/median/max',
  ]);
  for (const type of byCount(stats.entities)) {
    entities.push([
      type,
      stats.entities[type],
      stats.discontinuousEntities.byType[type] ?? 0,
      stats.overlappingEntities.byType[type] ?? 0,
      stats.crossSentenceEntities.byType[type] ?? 0,
      lengths(stats.spanLengths[type]?.tokens),
      lengths(stats.spanLengths[type]?.characters),
    ]);
  }

  const relations = table(['relation type', 'count', 'cross-sentence']);
  for (const type of byCount(stats.relations)) {
    const cross = stats.crossSentenceRelations.byType[type];
    relations.push([type, stats.relations[type], cross ? `${cross.count} (${pct(cross.share)})` : '0']);
  }

  const bio = table(['BIO issue', 'entities', 'what the encoder does']);
  for (const [reason, r] of Object.entries(stats.bioLoss.byReason)) bio.push([reason, r.entities, r.handling]);

  const windows = table(['candidate window (sentences)', 'gold relations', 'kept', 'recall', 'candidates', 'negatives']);
  for (const c of stats.candidateRecall) {
    windows.push([c.windowSentences, c.gold, c.kept, pct(c.recall), c.candidates, c.negatives]);
  }

  return `${[summary, entities, relations, bio, windows].map((t) => t.toString()).join('\n')}\n`;
}

export function register(program: Command): void {
  program
    .command('stats')
    .description('corpus statistics: sizes, label counts, span lengths, what BIO and candidate windows lose')
    .argument('<dir>', 'corpus directory (brat .txt/.ann, or the ADE corpus files)')
    .addOption(new Option('--format <format>', 'corpus format (detected when omitted)').choices(CORPUS_FORMATS))
    .option('--json', 'print one JSON object instead of tables')
    .option('--lenient', LENIENT_HELP)
    .action(async (dir: string, flags: StatsFlags) => {
      const { documents, format } = await readCorpusInput(dir, { format: flags.format, lenient: flags.lenient ?? false });
      const stats = corpusStats(documents);
      // The layout the default `tagLayers: "auto"` picks for this corpus (src/models/tag-layers.ts).
      const tagLayers = chooseTagLayout(documents, 'bio');
      // `format` first, then corpusStats as is: one object, so `--json | jq` and JSON.parse work.
      process.stdout.write(flags.json ? `${JSON.stringify({ format, tagLayers, ...stats }, null, 2)}\n` : renderStats(stats, format, tagLayers));
    });
}
