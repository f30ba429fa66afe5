/**
 * A report as a list of neutral blocks (headings, paragraphs, lists, tables, charts), built once and rendered to
 * Markdown and to HTML, so the two never say different things. Inline text may use `**bold**` and `` `code` ``.
 */
export type Block =
  | { kind: 'heading'; level: 1 | 2 | 3; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'list'; items: string[] }
  | { kind: 'table'; header: string[]; rows: string[][]; caption?: string }
  /** An SVG chart; Markdown shows its caption and says where the chart is. */
  | { kind: 'chart'; svg: string; caption: string };

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Inline markup to HTML: escape, then `code` and **bold**. */
export function inlineHtml(text: string): string {
  return escapeHtml(text)
    .replace(/`([^`]+)`/g, '<code>$1</code>')
    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>');
}

/** A table cell in Markdown: pipes escaped, no line breaks. */
function markdownCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function blocksToMarkdown(blocks: readonly Block[], chartNote: string): string {
  const out: string[] = [];
  for (const b of blocks) {
    switch (b.kind) {
      case 'heading':
        out.push(`${'#'.repeat(b.level)} ${b.text}`);
        break;
      case 'paragraph':
        out.push(b.text);
        break;
      case 'list':
        out.push(b.items.map((i) => `- ${i}`).join('\n'));
        break;
      case 'table': {
        const lines = [
          `| ${b.header.map(markdownCell).join(' | ')} |`,
          `| ${b.header.map((_, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`,
          ...b.rows.map((r) => `| ${r.map(markdownCell).join(' | ')} |`),
        ];
        if (b.caption) lines.unshift(`*${b.caption}*`, '');
        out.push(lines.join('\n'));
        break;
      }
      case 'chart':
        out.push(`*Chart: ${b.caption}* (${chartNote})`);
        break;
    }
  }
  return `${out.join('\n\n')}\n`;
}

export function blocksToHtml(blocks: readonly Block[]): string {
  return blocks
    .map((b) => {
      switch (b.kind) {
        case 'heading':
          return `<h${b.level}>${inlineHtml(b.text)}</h${b.level}>`;
        case 'paragraph':
          return `<p>${inlineHtml(b.text)}</p>`;
        case 'list':
          return `<ul>${b.items.map((i) => `<li>${inlineHtml(i)}</li>`).join('')}</ul>`;
        case 'table': {
          const head = `<tr>${b.header.map((h) => `<th>${inlineHtml(h)}</th>`).join('')}</tr>`;
          const rows = b.rows.map((r) => `<tr>${r.map((c) => `<td>${inlineHtml(c)}</td>`).join('')}</tr>`).join('\n');
          const caption = b.caption ? `<caption>${inlineHtml(b.caption)}</caption>` : '';
          return `<table>${caption}<thead>${head}</thead><tbody>\n${rows}\n</tbody></table>`;
        }
        case 'chart':
          return `<figure class="chart">${b.svg}<figcaption>${inlineHtml(b.caption)}</figcaption></figure>`;
      }
    })
    .join('\n');
}
