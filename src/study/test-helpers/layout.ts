/**
 * Layout checks run inside Chromium on a page of SVG charts (for the chart and poster tests): labels that
 * overlap each other, labels on whiskers, labels outside their chart.
 */
import type { Page } from 'playwright-core';

export interface LayoutProblem {
  chart: string;
  kind: string;
  a: string;
  b?: string;
}

/** Checks every `svg` inside elements matching `selector`; a chart is named by its `data-name` or its index. */
export async function layoutProblems(page: Page, selector: string, whisker: string): Promise<LayoutProblem[]> {
  return page.evaluate(({ selector, whisker }) => {
    const found: { chart: string; kind: string; a: string; b?: string }[] = [];
    const overlap = (p: DOMRect, q: DOMRect, slack = 1): boolean =>
      p.left + slack < q.right && q.left + slack < p.right && p.top + slack < q.bottom && q.top + slack < p.bottom;
    Array.from(document.querySelectorAll(selector)).forEach((holder, index) => {
      const chart = (holder as HTMLElement).dataset.name ?? String(index);
      for (const svg of Array.from(holder.querySelectorAll('svg'))) {
        const box = svg.getBoundingClientRect();
        const texts = Array.from(svg.querySelectorAll('text'))
          .filter((t) => (t.textContent ?? '').trim() !== '' && t.getAttribute('opacity') !== '0')
          .map((t) => ({ text: t.textContent!.trim(), rect: t.getBoundingClientRect() }));
        const whiskers = Array.from(svg.querySelectorAll('path'))
          .filter((p) => p.getAttribute('stroke') === whisker)
          .map((p) => p.getBoundingClientRect());
        for (const t of texts) {
          if (t.rect.left < box.left - 1 || t.rect.right > box.right + 1 || t.rect.top < box.top - 1 || t.rect.bottom > box.bottom + 1) {
            found.push({ chart, kind: 'outside the chart', a: t.text });
          }
        }
        for (let i = 0; i < texts.length; i++) {
          for (let j = i + 1; j < texts.length; j++) {
            if (overlap(texts[i].rect, texts[j].rect)) found.push({ chart, kind: 'labels overlap', a: texts[i].text, b: texts[j].text });
          }
          for (const w of whiskers) if (overlap(texts[i].rect, w)) found.push({ chart, kind: 'label on a whisker', a: texts[i].text });
        }
      }
    });
    return found;
  }, { selector, whisker });
}
