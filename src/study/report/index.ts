/**
 * Writes the study report into REPORT_DIR:
 *   report.md      Markdown: question, method, tables, hypotheses and verdicts
 *   report.html    the same with SVG charts, self-contained (no network at view time)
 *   results.json   the summary (means, tests, verdicts) and every run record
 *   poster.html    the A0 poster page, and with Chromium: poster.pdf (one A0 page), poster.png and report.png
 */
import { join } from 'node:path';
import { writeFileAtomic } from '../../atomic-write.js';
import type { RunRecord } from '../record.js';
import { testUnitFor } from '../significance.js';
import { summarizeStudy, type StudySummary } from '../summary.js';
import { blocksToMarkdown } from './blocks.js';
import { chromiumPath, renderWithChromium } from './browser.js';
import { reportBlocks, type ReportContext } from './content.js';
import { reportPage } from './html.js';
import { posterPage } from './poster.js';

export interface ReportOptions {
  /** Print the poster and take screenshots when Chromium is there (default true). */
  browser?: boolean;
}

export interface WrittenReport {
  summary: StudySummary;
  files: string[];
  /** Why the PDF was not written, when it was not. */
  pdfSkipped: string | null;
}

export async function writeReport(
  reportDir: string,
  ctx: ReportContext,
  records: readonly RunRecord[],
  options: ReportOptions = {},
): Promise<WrittenReport> {
  const summary = summarizeStudy(records, ctx.study, testUnitFor(ctx.corpus.format));
  const blocks = reportBlocks(ctx, summary);
  const files: string[] = [];
  const write = (name: string, text: string): string => {
    const path = join(reportDir, name);
    writeFileAtomic(path, text);
    files.push(path);
    return path;
  };
  write('report.md', blocksToMarkdown(blocks, 'see report.html'));
  const html = write('report.html', reportPage(blocks, summary));
  write('results.json', `${JSON.stringify({ context: ctx, summary, records }, null, 1)}\n`);
  const poster = write('poster.html', posterPage(ctx, summary));

  let pdfSkipped: string | null = null;
  const chromium = options.browser === false ? null : chromiumPath();
  if (options.browser === false) pdfSkipped = 'browser rendering switched off';
  else if (!chromium) pdfSkipped = 'Chromium not found (install Debian package `chromium`, or set MEDREX_CHROMIUM)';
  if (chromium) {
    try {
      const pdf = join(reportDir, 'poster.pdf');
      const posterPng = join(reportDir, 'poster.png');
      const reportPng = join(reportDir, 'report.png');
      await renderWithChromium(chromium, [
        { html: poster, pdf, screenshot: posterPng, width: 3179, scale: 0.25 },
        { html, screenshot: reportPng },
      ]);
      files.push(pdf, posterPng, reportPng);
    } catch (err) {
      pdfSkipped = `Chromium failed: ${(err as Error).message.split('\n')[0]}`;
    }
  }
  if (pdfSkipped) {
    write('poster-skipped.txt', `The poster PDF was not written: ${pdfSkipped}.\nposter.html is the same poster; print it to A0 from a browser.\n`);
  }
  return { summary, files, pdfSkipped };
}
