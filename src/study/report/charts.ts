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
}

function render(option: EChartsOption, size: ChartSize): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: size.width, height: size.height });
  try {
    chart.setOption({ animation: false, textStyle: { fontSize: size.fontSize, fontFamily: 'sans-serif' }, ...option });
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
      itemStyle: { color },
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
        const style = { stroke: '#222', lineWidth: Math.max(1.2, size.fontSize / 12) };
        return {
          type: 'group',
          children: [
            { type: 'line', shape: { x1: x, y1: yLow, x2: x, y2: yHigh }, style },
            { type: 'line', shape: { x1: x - cap, y1: yLow, x2: x + cap, y2: yLow }, style },
            { type: 'line', shape: { x1: x - cap, y1: yHigh, x2: x + cap, y2: yHigh }, style },
          ],
        };
      },
      data: s.values.flatMap((v, category) =>
        v === null || Number.isNaN(v.mean) || v.n < 2 ? [] : [[category, v.mean - v.sd, v.mean + v.sd]],
      ),
    });
  });
  return render(
    {
      title: { text: spec.title, left: 'center', textStyle: { fontSize: size.fontSize + 2 } },
      legend: { bottom: 0, data: spec.series.map((s) => s.name), textStyle: { fontSize: size.fontSize } },
      grid: { left: 60, right: 20, top: size.fontSize * 3.5, bottom: size.fontSize * 5, containLabel: true },
      xAxis: { type: 'category', data: spec.categories, axisLabel: { interval: 0, fontSize: size.fontSize } },
      yAxis: {
        type: 'value',
        name: spec.yName,
        // Left-aligned at the axis, so a long name is not cut off at the chart's left edge.
        nameTextStyle: { fontSize: size.fontSize, align: 'left' },
        axisLabel: { fontSize: size.fontSize },
        ...(spec.unitInterval ? { min: 0, max: 1 } : {}),
      },
      series,
    },
    size,
  );
}

/** Strict micro F1 of each task, one bar per configuration, mean ± sd over runs. */
export function f1Chart(configs: readonly ConfigurationSummary[], size?: ChartSize): string {
  return groupedBarChart(
    {
      title: 'Strict micro F1 by task (mean ± sd over folds × seeds)',
      categories: TASKS.map((t) => TASK_LABELS[t]),
      series: configs.map((c) => ({ name: c.name, values: TASKS.map((t) => c.f1[t].strict) })),
      yName: 'F1',
      unitInterval: true,
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
        name: phasesFor.length > 2 || phase !== 'joint' ? `${c.name} (${phase})` : c.name,
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
      legend: { bottom: 0, textStyle: { fontSize: size.fontSize } },
      grid: { left: 60, right: 30, top: size.fontSize * 3.5, bottom: size.fontSize * 5, containLabel: true },
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
        nameTextStyle: { fontSize: size.fontSize, align: 'left' },
        axisLabel: { fontSize: size.fontSize },
        ...(which === 'loss' ? {} : { max: 1 }),
        scale: true,
      },
      series,
    },
    size,
  );
}
