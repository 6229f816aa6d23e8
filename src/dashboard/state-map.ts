/**
 * The state map: one cell per node on a canvas, in the table's order, drawn pixel by pixel so
 * 100 000 nodes draw in a few milliseconds. Each state has a colour and a shape (solid: alive,
 * a triangle: suspect, a cross: dead, a ring: unknown, a dot: left), so the map reads without
 * colour too. Cells shrink as the fleet grows, down to 4 px (3 drawn, 1 gap): the smallest in
 * which the shapes still differ; past that the map grows taller. Hover names a cell's node, a
 * click opens it; with focus, the arrow keys move a cursor over the cells and Enter opens its node.
 */
import { el } from './dom.js';
import type { NodeState } from './api.js';
import { STATES } from './states.js';

export interface MapCell {
  id: string;
  state: NodeState;
}

export interface StateMapOptions {
  onOpen?(id: string): void;
  /** Called with the node under the cursor or pointer (null: none), to describe it. */
  onPoint?(cell: MapCell | null): void;
}

const MIN_CELL = 4;
const MAX_CELL = 18;
/** The height the map aims to fit in before cells shrink. */
const TARGET_HEIGHT = 260;

type Rgb = [number, number, number];

export class StateMap {
  readonly element: HTMLDivElement;
  private readonly canvas: HTMLCanvasElement;
  private cells: MapCell[] = [];
  private cell = MAX_CELL;
  private cols = 1;
  private cursor = -1;
  private colours: Record<NodeState, Rgb> | null = null;
  /** Each state's shape at the current cell size. */
  private shapes: Record<NodeState, Uint8Array> | null = null;
  private frame = 0;
  private width = 0;
  /** The pixels of the last full draw, kept so that a few cells can be drawn again alone. */
  private image: ImageData | null = null;

  constructor(private readonly options: StateMapOptions = {}) {
    this.canvas = el('canvas', {
      class: 'map-canvas',
      tabindex: 0,
      role: 'img',
      'aria-label': 'state map',
    });
    this.element = el('div', { class: 'map' }, this.canvas);
    this.canvas.addEventListener('mousemove', (e) => this.options.onPoint?.(this.at(e) ?? null));
    this.canvas.addEventListener('mouseleave', () => this.options.onPoint?.(null));
    this.canvas.addEventListener('click', (e) => {
      const cell = this.at(e);
      if (cell !== undefined) this.options.onOpen?.(cell.id);
    });
    this.canvas.addEventListener('keydown', (e) => this.onKey(e));
    this.canvas.addEventListener('blur', () => {
      this.cursor = -1;
      this.schedule();
    });
    new ResizeObserver(() => this.schedule()).observe(this.element);
    matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => {
      this.colours = null;
      this.schedule();
    });
  }

  /** The cells in order; drawn on the next frame. */
  setCells(cells: MapCell[]): void {
    this.cells = cells;
    if (this.cursor >= cells.length) this.cursor = cells.length - 1;
    this.schedule();
  }

  /** Draws now (what `setCells` schedules). */
  draw(): void {
    const width = Math.max(100, this.element.clientWidth);
    const n = this.cells.length;
    const cell = Math.max(
      MIN_CELL,
      Math.min(MAX_CELL, Math.floor(Math.sqrt((width * TARGET_HEIGHT) / Math.max(1, n)))),
    );
    if (cell !== this.cell || this.shapes === null) this.shapes = shapes(cell - 1);
    this.cell = cell;
    this.cols = Math.max(1, Math.floor(width / cell));
    const rows = Math.max(1, Math.ceil(n / this.cols));
    const height = rows * cell;
    if (this.canvas.width !== width || this.canvas.height !== height || this.width !== width) {
      this.canvas.width = width;
      this.canvas.height = height;
      this.canvas.style.height = `${height}px`;
      this.width = width;
    }
    const ctx = this.canvas.getContext('2d');
    if (ctx === null) return;
    const image = ctx.createImageData(width, height);
    this.image = image;
    for (let i = 0; i < n; i++) this.paint(image, i);
    ctx.putImageData(image, 0, 0);
    this.drawCursor(ctx);
  }

  /**
   * Draws the cells at `positions` again (their nodes' states changed), leaving the rest: what
   * one transition costs at 100 000 nodes. Falls back to a full draw when there is none yet.
   */
  drawCells(positions: number[]): void {
    const ctx = this.canvas.getContext('2d');
    const image = this.image;
    if (ctx === null || image === null || image.width !== this.canvas.width) {
      this.draw();
      return;
    }
    const cell = this.cell;
    for (const i of positions) {
      if (i < 0 || i >= this.cells.length) continue;
      this.paint(image, i);
      const x0 = (i % this.cols) * cell;
      const y0 = Math.floor(i / this.cols) * cell;
      ctx.putImageData(image, 0, 0, x0, y0, cell, cell);
    }
    this.drawCursor(ctx);
  }

  /** Writes cell `i` (its state's shape in its colour, on a clear square) into `image`. */
  private paint(image: ImageData, i: number): void {
    const c = this.cells[i] as MapCell;
    const cell = this.cell;
    const drawn = cell - 1;
    const stamp = (this.shapes as Record<NodeState, Uint8Array>)[c.state];
    const [r, g, b] = (this.colours ??= readColours(this.element))[c.state];
    const width = image.width;
    const data = image.data;
    const x0 = (i % this.cols) * cell;
    const y0 = Math.floor(i / this.cols) * cell;
    for (let y = 0; y < drawn; y++) {
      let p = ((y0 + y) * width + x0) * 4;
      const row = y * drawn;
      for (let x = 0; x < drawn; x++, p += 4) {
        if (stamp[row + x] === 0) {
          data[p + 3] = 0;
          continue;
        }
        data[p] = r;
        data[p + 1] = g;
        data[p + 2] = b;
        data[p + 3] = 255;
      }
    }
  }

  private drawCursor(ctx: CanvasRenderingContext2D): void {
    if (this.cursor < 0) return;
    const cell = this.cell;
    const x0 = (this.cursor % this.cols) * cell;
    const y0 = Math.floor(this.cursor / this.cols) * cell;
    ctx.strokeStyle = getComputedStyle(this.element).getPropertyValue('--focus') || '#06c';
    ctx.lineWidth = 2;
    ctx.strokeRect(x0 - 1, y0 - 1, cell + 1, cell + 1);
  }

  /** Cell size in px (drawn plus gap) of the last draw. */
  get cellSize(): number {
    return this.cell;
  }

  private schedule(): void {
    if (this.frame !== 0) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }

  private at(e: MouseEvent): MapCell | undefined {
    const rect = this.canvas.getBoundingClientRect();
    const x = Math.floor((e.clientX - rect.left) / this.cell);
    const y = Math.floor((e.clientY - rect.top) / this.cell);
    if (x >= this.cols) return undefined;
    return this.cells[y * this.cols + x];
  }

  private onKey(e: KeyboardEvent): void {
    const n = this.cells.length;
    if (n === 0) return;
    const moves: Record<string, number> = {
      ArrowRight: this.cursor + 1,
      ArrowLeft: this.cursor - 1,
      ArrowDown: this.cursor + this.cols,
      ArrowUp: this.cursor - this.cols,
      Home: 0,
      End: n - 1,
    };
    const to = moves[e.key];
    if (to !== undefined) {
      e.preventDefault();
      this.cursor = Math.max(0, Math.min(n - 1, this.cursor < 0 ? 0 : to));
      this.options.onPoint?.(this.cells[this.cursor] ?? null);
      this.schedule();
    } else if (e.key === 'Enter' && this.cursor >= 0) {
      e.preventDefault();
      const cell = this.cells[this.cursor];
      if (cell !== undefined) this.options.onOpen?.(cell.id);
    }
  }
}

/** Every state's shape in a square of `size` pixels. */
function shapes(size: number): Record<NodeState, Uint8Array> {
  const out = {} as Record<NodeState, Uint8Array>;
  for (const state of STATES) out[state] = shape(state, size);
  return out;
}

/** The shape of a state in a square of `size` pixels. */
export function shape(state: NodeState, size: number): Uint8Array {
  const out = new Uint8Array(size * size);
  const c = (size - 1) / 2;
  const t = Math.max(0.5, size / 7);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let on: boolean;
      switch (state) {
        case 'alive':
          on = true;
          break;
        case 'suspect': // a triangle, point up
          on = Math.abs(x - c) <= (y + 1) / 2 + 0.01;
          break;
        case 'dead': // a cross
          on = Math.abs(x - y) <= t || Math.abs(x + y - (size - 1)) <= t;
          break;
        case 'unknown': // a ring
          on =
            x < Math.max(1, size / 5) ||
            y < Math.max(1, size / 5) ||
            x >= size - Math.max(1, size / 5) ||
            y >= size - Math.max(1, size / 5);
          break;
        case 'left': // a dot
          on = Math.hypot(x - c, y - c) <= Math.max(0.5, size / 5);
          break;
      }
      out[y * size + x] = on ? 1 : 0;
    }
  }
  return out;
}

/** The state colours of the page's theme (CSS variables --alive, …). */
function readColours(element: HTMLElement): Record<NodeState, Rgb> {
  const style = getComputedStyle(element);
  const probe = document.createElement('canvas').getContext('2d');
  const out = {} as Record<NodeState, Rgb>;
  for (const state of STATES) {
    const value = style.getPropertyValue(`--${state}`).trim() || '#888';
    out[state] = toRgb(value, probe);
  }
  return out;
}

function toRgb(colour: string, ctx: CanvasRenderingContext2D | null): Rgb {
  if (ctx === null) return [128, 128, 128];
  ctx.fillStyle = colour;
  const hex = ctx.fillStyle; // normalised to #rrggbb
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  return m === null
    ? [128, 128, 128]
    : [parseInt(m[1] as string, 16), parseInt(m[2] as string, 16), parseInt(m[3] as string, 16)];
}
