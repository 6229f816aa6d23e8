/**
 * Time-series charts with uPlot (bundled; what Grafana draws its time series with): a line
 * chart over wall-clock time, sized to its container, in the theme's colours (CSS variables, read
 * again when the colour scheme changes). Each chart has a text summary beside it for those who
 * do not see it.
 */
import uPlot from 'uplot';
import { el } from './dom.js';

export interface LineSeries {
  label: string;
  /** A CSS variable of the theme: `--chart-1`. */
  colour: string;
  /** Dashed (a threshold, an expectation) rather than solid. */
  dash?: boolean;
  /** Points only, no line (one dot per value). */
  points?: boolean;
}

export interface LineChartOptions {
  label: string;
  yLabel: string;
  series: LineSeries[];
  height?: number;
}

export class LineChart {
  readonly element: HTMLElement;
  private plot: uPlot | null = null;
  private data: uPlot.AlignedData;
  private readonly observer: ResizeObserver;
  private readonly scheme = matchMedia('(prefers-color-scheme: dark)');
  private readonly onScheme = () => this.rebuild();

  constructor(private readonly options: LineChartOptions) {
    this.element = el('figure', { class: 'chart', 'aria-label': options.label });
    this.data = [[], ...options.series.map(() => [])] as unknown as uPlot.AlignedData;
    this.observer = new ResizeObserver(() => this.resize());
    this.observer.observe(this.element);
    this.scheme.addEventListener('change', this.onScheme);
  }

  /** x: wall-clock seconds; one array of y values per series (null: no value). */
  setData(x: number[], ys: (number | null)[][]): void {
    this.data = [x, ...ys] as unknown as uPlot.AlignedData;
    if (this.plot === null) this.rebuild();
    else this.plot.setData(this.data);
  }

  destroy(): void {
    this.observer.disconnect();
    this.scheme.removeEventListener('change', this.onScheme);
    this.plot?.destroy();
    this.plot = null;
  }

  private width(): number {
    return Math.max(200, this.element.clientWidth);
  }

  private resize(): void {
    this.plot?.setSize({ width: this.width(), height: this.options.height ?? 220 });
  }

  private rebuild(): void {
    if (!this.element.isConnected) return;
    this.plot?.destroy();
    const style = getComputedStyle(this.element);
    const colour = (name: string) => style.getPropertyValue(name).trim() || '#888';
    const axis = {
      stroke: colour('--fg-muted'),
      grid: { stroke: colour('--grid') },
      ticks: { stroke: colour('--grid') },
    };
    this.plot = new uPlot(
      {
        width: this.width(),
        height: this.options.height ?? 220,
        // One sample has no span: show the minute around it rather than a range of years.
        scales: {
          x: {
            time: true,
            range: (_u, min, max) => (max - min < 1 ? [min - 30, max + 30] : [min, max]),
          },
        },
        axes: [axis, { ...axis, label: this.options.yLabel }],
        series: [
          {},
          ...this.options.series.map((s) => ({
            label: s.label,
            stroke: colour(s.colour),
            width: 2,
            dash: s.dash ? [6, 4] : undefined,
            paths: s.points ? () => null : undefined,
            points: s.points ? { show: true, size: 5, fill: colour(s.colour) } : { show: false },
          })),
        ],
      },
      this.data,
      this.element,
    );
  }
}
