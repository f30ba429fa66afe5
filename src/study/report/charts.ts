/**
 * The report's charts, rendered at build time in Node to SVG strings with Apache ECharts' server-side renderer, so
 * the HTML page and the poster need no script and no network when viewed.
 */
import * as echarts from 'echarts';
import type { CustomSeriesRenderItemAPI, CustomSeriesRenderItemParams, EChartsOption } from 'echarts';
import { TASK_LABELS, TASKS, type Task } from '../record.js';
import { COST_LABELS, type ConfigurationSummary, type Cost, type MeanSd } from '../summary.js';

/** Colour-blind-safe palette (Okabe & Ito), one colour per configuration. */
export const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000'];

export interface ChartSize {
  width: number;
  height: number;
  /** Base font size in px (the poster uses larger text). */
  fontSize: number;
}

export const REPORT_CHART: ChartSize = { width: 720, height: 360, fontSize: 12 };

/** Bars grouped by category with one series per configuration, each bar with a mean ± sd whisker. */
export interface BarGroups {
  title: string;
  categories: string[];
  series: { name: string; values: (MeanSd | null)[] }[];
  yName: string;
  /** Fix the value axis to [0, 1] (F1). */
  unitInterval?: boolean;
  /**
   * Dots with whiskers instead of bars, on a value axis zoomed to the data (a bar implies a zero baseline; an axis
   * that starts at 0 hides differences of one or two points).
   */
  dots?: boolean;
}

/** The whisker colour; the chart tests find whiskers by it. */
export const WHISKER = '#222';

function render(option: EChartsOption, size: ChartSize): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: size.width, height: size.height });
  try {
    // Legend icons and gaps in proportion to the text, so poster-sized legends do not crowd.
    const legend = option.legend && !Array.isArray(option.legend)
      ? { itemGap: size.fontSize * 1.5, itemWidth: size.fontSize * 1.6, itemHeight: size.fontSize * 0.9, ...option.legend }
      : option.legend;
    chart.setOption({ animation: false, textStyle: { fontSize: size.fontSize, fontFamily: 'sans-serif' }, ...option, legend });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

/** Share of each category band left empty between groups; bars in a group touch (barGap 0). */
const CATEGORY_GAP = 0.3;

export function groupedBarChart(spec: BarGroups, size: ChartSize = REPORT_CHART): string {
  const count = spec.series.length;
  const series: echarts.SeriesOption[] = [];
  spec.series.forEach((s, index) => {
    const color = PALETTE[index % PALETTE.length];
    series.push({
      type: 'bar',
      name: s.name,
      // With dots the bar only reserves its slot (and gives the legend its colour); the custom series draws the dot.
      itemStyle: { color, opacity: spec.dots ? 0 : 1 },
      barGap: '0%',
      barCategoryGap: `${CATEGORY_GAP * 100}%`,
      data: s.values.map((v) => (v === null || Number.isNaN(v.mean) ? null : v.mean)),
    });
    // The whisker of bar `index` in each category: ECharts has no error bars, so a custom series draws them at
    // the bar's centre, which with barGap 0 is the band's left edge of the group + (index + 0.5) bar widths.
    series.push({
      type: 'custom',
      name: s.name,
      silent: true,
      z: 10,
      renderItem: (_params: CustomSeriesRenderItemParams, api: CustomSeriesRenderItemAPI) => {
        const category = Number(api.value(0));
        const low = Number(api.value(1));
        const high = Number(api.value(2));
        const band = (api.size!([1, 0]) as number[])[0];
        const group = band * (1 - CATEGORY_GAP);
        const x = (api.coord([category, low]) as number[])[0] - group / 2 + ((index + 0.5) * group) / count;
        const yLow = (api.coord([category, low]) as number[])[1];
        const yHigh = (api.coord([category, high]) as number[])[1];
        const cap = Math.max(2, Math.min(8, group / count / 4));
        const style = { stroke: WHISKER, lineWidth: Math.max(1.2, size.fontSize / 12) };
        const children: object[] = [];
        if (high > low) {
          children.push(
            { type: 'line', shape: { x1: x, y1: yLow, x2: x, y2: yHigh }, style },
            { type: 'line', shape: { x1: x - cap, y1: yLow, x2: x + cap, y2: yLow }, style },
            { type: 'line', shape: { x1: x - cap, y1: yHigh, x2: x + cap, y2: yHigh }, style },
          );
        }
        if (spec.dots) {
          const y = (api.coord([category, Number(api.value(3))]) as number[])[1];
          const r = Math.max(3, Math.min(size.fontSize / 2, group / count / 3));
          children.push({ type: 'circle', shape: { cx: x, cy: y, r }, style: { fill: color, stroke: 'white', lineWidth: 1 } });
        }
        return { type: 'group', children } as echarts.CustomSeriesRenderItemReturn;
      },
      data: s.values.flatMap((v, category) => {
        if (v === null || Number.isNaN(v.mean)) return [];
        if (v.n < 2) return spec.dots ? [[category, v.mean, v.mean, v.mean]] : [];
        return [[category, v.mean - v.sd, v.mean + v.sd, v.mean]];
      }),
    });
  });
  return render(
    {
      title: { text: spec.title, left: 'center', textStyle: { fontSize: size.fontSize + 2 } },
      legend: {
        bottom: 0,
        data: spec.series.map((s, i) => ({ name: s.name, icon: spec.dots ? 'circle' : undefined, itemStyle: { color: PALETTE[i % PALETTE.length], opacity: 1 } })),
        textStyle: { fontSize: size.fontSize },
      },
      grid: { left: size.fontSize * 4.5, right: 20, top: size.fontSize * 3.5, bottom: size.fontSize * 5, containLabel: true },
      xAxis: { type: 'category', data: spec.categories, axisLabel: { interval: 0, fontSize: size.fontSize } },
      yAxis: {
        type: 'value',
        name: spec.yName,
        // Along the axis, beside its labels: at the top it would run into the title.
        nameLocation: 'middle',
        nameGap: size.fontSize * 3.4,
        nameTextStyle: { fontSize: size.fontSize },
        axisLabel: { fontSize: size.fontSize },
        ...(spec.dots ? zoomedAxis(spec.series) : spec.unitInterval ? { min: 0, max: 1 } : {}),
      },
      series,
    },
    size,
  );
}

/** A value axis around the data (mean ± sd) with a little room, on steps of 0.05 within [0, 1]. */
function zoomedAxis(series: BarGroups['series']): { min: number; max: number; interval: number } {
  const values = series.flatMap((s) => s.values.flatMap((v) => (v === null || Number.isNaN(v.mean) ? [] : [v.mean - v.sd, v.mean + v.sd])));
  if (values.length === 0) return { min: 0, max: 1, interval: 0.2 };
  const lo = Math.min(...values) - 0.01;
  const hi = Math.max(...values) + 0.01;
  const step = Math.max(0.01, niceStep((hi - lo) / 5));
  const min = Math.max(0, Math.floor(lo / step) * step);
  const max = Math.min(1, Math.ceil(hi / step) * step);
  return { min: Number(min.toFixed(3)), max: Number(Math.max(max, min + step).toFixed(3)), interval: step };
}

/** Strict micro F1 of each task, one dot per configuration, mean ± sd over runs, on an axis zoomed to the data. */
export function f1Chart(configs: readonly ConfigurationSummary[], size?: ChartSize): string {
  return groupedBarChart(
    {
      title: 'Strict micro F1 by task (mean ± sd over folds × seeds)',
      categories: TASKS.map((t) => TASK_LABELS[t]),
      series: configs.map((c) => ({ name: c.name, values: TASKS.map((t) => c.f1[t].strict) })),
      yName: 'F1 (zoomed)',
      dots: true,
    },
    size,
  );
}

/** Strict F1 per entity or relation type. */
export function perTypeChart(configs: readonly ConfigurationSummary[], task: Task, size?: ChartSize): string {
  const types: string[] = [];
  for (const c of configs) for (const row of c.perType[task]) if (!types.includes(row.type)) types.push(row.type);
  return groupedBarChart(
    {
      title: `${TASK_LABELS[task]}: strict F1 per type`,
      categories: types,
      series: configs.map((c) => ({
        name: c.name,
        values: types.map((t) => c.perType[task].find((row) => row.type === t)?.strictF1 ?? null),
      })),
      yName: 'F1',
      unitInterval: true,
    },
    size,
  );
}

/** One cost per configuration (training time, peak memory, ...). */
export function costChart(configs: readonly ConfigurationSummary[], cost: Cost, size?: ChartSize): string {
  return groupedBarChart(
    {
      title: `${COST_LABELS[cost][0].toUpperCase()}${COST_LABELS[cost].slice(1)} per run (mean ± sd)`,
      categories: [COST_LABELS[cost]],
      series: configs.map((c) => ({ name: c.name, values: [c.cost[cost]] })),
      yName: COST_LABELS[cost],
    },
    size,
  );
}

/**
 * Mean dev F1 per epoch. Pipelines have two phases (NER, then RE on gold entities) and joint models one, so the
 * entity curve uses the `ner`/`joint` phases and the relation curve the `re`/`joint` ones; the caption says that a
 * pipeline's relation curve is on gold entities and a joint model's end to end.
 */
export function learningCurveChart(
  configs: readonly ConfigurationSummary[],
  which: 'devEntityF1' | 'devRelationF1' | 'loss',
  size: ChartSize = REPORT_CHART,
): string {
  const titles = {
    devEntityF1: 'Learning curve: dev entity F1 per epoch',
    devRelationF1: 'Learning curve: dev relation F1 per epoch',
    loss: 'Learning curve: training loss per epoch',
  };
  const phasesFor = which === 'devEntityF1' ? ['ner', 'joint'] : which === 'devRelationF1' ? ['re', 'joint'] : ['ner', 're', 'joint'];
  const series: echarts.SeriesOption[] = [];
  let maxEpoch = 1;
  configs.forEach((c, index) => {
    for (const phase of phasesFor) {
      const points = c.learningCurve.filter((p) => p.phase === phase);
      const data = points.flatMap((p) => {
        const value = which === 'loss' ? p.loss : p[which];
        return value === null ? [] : [[p.epoch, value.mean]];
      });
      if (data.length === 0) continue;
      maxEpoch = Math.max(maxEpoch, ...points.map((p) => p.epoch));
      series.push({
        type: 'line',
        name: phase === 'joint' ? c.name : `${c.name} (${phase})`,
        data,
        symbolSize: size.fontSize / 2,
        lineStyle: { color: PALETTE[index % PALETTE.length], type: phase === 're' ? 'dashed' : 'solid', width: Math.max(2, size.fontSize / 6) },
        itemStyle: { color: PALETTE[index % PALETTE.length] },
      });
    }
  });
  return render(
    {
      title: { text: titles[which], left: 'center', textStyle: { fontSize: size.fontSize + 2 } },
      legend: { bottom: 0, left: 'center', width: '92%', textStyle: { fontSize: size.fontSize } },
      grid: { left: size.fontSize * 4.5, right: 30, top: size.fontSize * 3.5, bottom: size.fontSize * 7, containLabel: true },
      xAxis: {
        type: 'value',
        name: 'epoch',
        nameLocation: 'middle',
        nameGap: size.fontSize * 1.8,
        nameTextStyle: { fontSize: size.fontSize },
        min: 1,
        max: maxEpoch,
        minInterval: 1,
        axisLabel: { fontSize: size.fontSize },
      },
      yAxis: {
        type: 'value',
        name: which === 'loss' ? 'loss' : 'F1',
        nameLocation: 'middle',
        nameGap: size.fontSize * 3.4,
        nameTextStyle: { fontSize: size.fontSize },
        axisLabel: { fontSize: size.fontSize },
        ...(which === 'loss' ? {} : { max: 1 }),
        scale: true,
      },
      series,
    },
    size,
  );
}

/** 1, 2 or 5 times a power of ten, at least `raw` (axis steps a reader can add up). */
export function niceStep(raw: number): number {
  if (!(raw > 0) || !Number.isFinite(raw)) return 1;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((k) => k * power).find((v) => v >= raw)!;
  return Number(step.toPrecision(6));
}

/** A generous width in px of the longest of `labels` in the chart's sans-serif font. */
function textWidth(labels: readonly string[], size: ChartSize): number {
  return Math.ceil(Math.max(0, ...labels.map((l) => l.length)) * size.fontSize * 0.62);
}

/** One row of a forest plot: a difference from the baseline with its 95% confidence interval. */
export interface ForestRow {
  /** Row label, e.g. the measure. */
  label: string;
  /** Colour group: the configuration. */
  group: string;
  difference: number;
  low: number;
  high: number;
  /** Significant after correction: a filled marker (hollow otherwise). */
  significant: boolean;
  /** Short text at the right end of the row (difference, CI, p). */
  note: string;
}

export interface ForestSpec {
  title: string;
  xName: string;
  rows: ForestRow[];
  /** Colour order (configurations). */
  groups: string[];
  /** Show the colour legend (default true; off when the row labels name the configurations anyway). */
  legend?: boolean;
}

/**
 * A forest plot: one row per (measure, configuration), a marker at the difference from the baseline and a whisker
 * over its 95% CI, a dashed line at 0 (no difference). Filled markers are significant after Holm's correction.
 * The chart grows with its rows; the note of each row is printed on a right-hand axis so it cannot overlap the marks.
 */
export function forestPlot(spec: ForestSpec, size: ChartSize = REPORT_CHART): string {
  const rows = spec.rows;
  const rowHeight = size.fontSize * 2.6;
  const legend = spec.legend !== false;
  const top = size.fontSize * 2.6;
  const bottom = size.fontSize * (legend ? 6 : 3.6);
  const height = Math.max(size.height / 2, Math.round(top + bottom + rows.length * rowHeight));
  const extent = rows.flatMap((r) => [r.low, r.high, r.difference, 0]).filter((v) => Number.isFinite(v));
  const lo = Math.min(...extent, 0);
  const hi = Math.max(...extent, 0);
  const step = niceStep((hi - lo) / 5);
  const categories = rows.map((_, i) => String(i));
  const series: echarts.SeriesOption[] = spec.groups.map((group, g) => {
    const color = PALETTE[g % PALETTE.length];
    return {
      type: 'custom',
      name: group,
      itemStyle: { color },
      renderItem: (_params: CustomSeriesRenderItemParams, api: CustomSeriesRenderItemAPI) => {
        const row = Number(api.value(0));
        const [xLow, y] = api.coord([Number(api.value(1)), row]) as number[];
        const [xHigh] = api.coord([Number(api.value(2)), row]) as number[];
        const [x] = api.coord([Number(api.value(3)), row]) as number[];
        const significant = Number(api.value(4)) === 1;
        const cap = size.fontSize * 0.4;
        const style = { stroke: WHISKER, lineWidth: Math.max(1.5, size.fontSize / 8) };
        const r = size.fontSize * 0.42;
        return {
          type: 'group',
          children: [
            { type: 'line', shape: { x1: xLow, y1: y, x2: xHigh, y2: y }, style },
            { type: 'line', shape: { x1: xLow, y1: y - cap, x2: xLow, y2: y + cap }, style },
            { type: 'line', shape: { x1: xHigh, y1: y - cap, x2: xHigh, y2: y + cap }, style },
            {
              type: 'rect',
              shape: { x: x - r, y: y - r, width: 2 * r, height: 2 * r },
              style: { fill: significant ? color : 'white', stroke: color, lineWidth: Math.max(2, size.fontSize / 6) },
            },
          ],
        };
      },
      encode: { x: [1, 2, 3], y: 0 },
      data: rows.flatMap((r, i) => (r.group === group && Number.isFinite(r.difference) ? [[i, r.low, r.high, r.difference, r.significant ? 1 : 0]] : [])),
      markLine: {
        silent: true,
        symbol: 'none',
        label: { show: false },
        lineStyle: { color: '#888', type: 'dashed', width: Math.max(1, size.fontSize / 12) },
        data: g === 0 ? [{ xAxis: 0 }] : [],
      },
    };
  });
  const labelAxis = (labels: string[], position: 'left' | 'right') => ({
    type: 'category' as const,
    position,
    data: categories,
    inverse: true,
    axisTick: { show: false },
    axisLine: { show: position === 'left' },
    axisLabel: { fontSize: size.fontSize, interval: 0, formatter: (value: string) => labels[Number(value)] ?? '' },
  });
  return render(
    {
      title: { text: spec.title, left: 'center', textStyle: { fontSize: size.fontSize + 2 } },
      legend: {
        show: legend,
        bottom: 0,
        data: spec.groups.map((name, i) => ({ name, icon: 'rect', itemStyle: { color: PALETTE[i % PALETTE.length] } })),
        textStyle: { fontSize: size.fontSize },
      },
      // Margins sized to the labels (ECharts' containLabel ignores formatted category labels).
      grid: { left: textWidth(rows.map((r) => r.label), size) + size.fontSize, right: textWidth(rows.map((r) => r.note), size) + size.fontSize, top, bottom },
      xAxis: {
        type: 'value',
        name: spec.xName,
        nameLocation: 'middle',
        nameGap: size.fontSize * 2,
        nameTextStyle: { fontSize: size.fontSize },
        min: Number((Math.floor(lo / step - 0.25) * step).toPrecision(6)),
        max: Number((Math.ceil(hi / step + 0.25) * step).toPrecision(6)),
        interval: step,
        axisLabel: { fontSize: size.fontSize, hideOverlap: true },
        splitLine: { lineStyle: { color: '#eee' } },
      },
      yAxis: [labelAxis(rows.map((r) => r.label), 'left'), labelAxis(rows.map((r) => r.note), 'right')],
      series,
    },
    { ...size, height },
  );
}
