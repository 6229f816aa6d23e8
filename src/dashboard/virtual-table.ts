/**
 * A virtualised table: however many rows it has, only those in view (and a few around them) are
 * in the DOM, in a pool of row elements reused as it scrolls, so 100 000 rows scroll and update
 * as fast as 100. ARIA grid semantics: `aria-rowcount` says how many rows there are, each row
 * its `aria-rowindex`; the column headers are buttons that sort (`aria-sort`). Keyboard: the
 * grid takes focus; ↑ ↓ Page Up, Page Down, Home and End move the active row (its id is the
 * grid's `aria-activedescendant`), Enter opens it.
 */
import { monotonicMs } from './page-clock.js';
import { el } from './dom.js';

export interface Column<T> {
  key: string;
  label: string;
  /** A CSS grid track: `7rem`, `minmax(8rem, 2fr)`. */
  width: string;
  /** Fills the cell for `row` (called for visible rows only). */
  render(row: T, cell: HTMLElement, now: number): void;
  /** Whether the header sorts by this column. @default true */
  sortable?: boolean;
}

export interface VirtualTableOptions<T> {
  label: string;
  columns: Column<T>[];
  rowHeight?: number;
  /** Called with the row Enter or a double click opened. */
  onOpen?(row: T): void;
  /** Called when a header asks to sort by `key`. */
  onSort?(key: string): void;
}

/** Rows rendered above and below the visible ones. */
const OVERSCAN = 8;

export class VirtualTable<T> {
  readonly element: HTMLDivElement;
  private readonly viewport: HTMLDivElement;
  private readonly body: HTMLDivElement;
  private readonly headers = new Map<string, HTMLDivElement>();
  private readonly pool: HTMLDivElement[] = [];
  private readonly rowHeight: number;
  private rows: T[] = [];
  private active = -1;
  private frame = 0;
  private static nextId = 0;
  private readonly idPrefix = `vt${VirtualTable.nextId++}`;

  constructor(private readonly options: VirtualTableOptions<T>) {
    this.rowHeight = options.rowHeight ?? 28;
    const tracks = options.columns.map((c) => c.width).join(' ');
    const headRow = el('div', { role: 'row', 'aria-rowindex': 1, class: 'vt-row vt-headrow' });
    headRow.style.gridTemplateColumns = tracks;
    for (const column of options.columns) {
      const header = el('div', { role: 'columnheader', class: `vt-cell col-${column.key}` });
      if (column.sortable === false) header.textContent = column.label;
      else {
        const button = el('button', { type: 'button', class: 'vt-sort' }, column.label);
        button.addEventListener('click', () => options.onSort?.(column.key));
        header.appendChild(button);
      }
      this.headers.set(column.key, header);
      headRow.appendChild(header);
    }
    this.body = el('div', { role: 'rowgroup', class: 'vt-body' });
    this.viewport = el(
      'div',
      {
        class: 'vt-viewport',
        tabindex: 0,
        role: 'grid',
        'aria-label': options.label,
        'aria-colcount': options.columns.length,
        'aria-rowcount': 1,
      },
      el('div', { role: 'rowgroup', class: 'vt-head' }, headRow),
      this.body,
    );
    this.viewport.style.setProperty('--vt-tracks', tracks);
    this.viewport.addEventListener('scroll', () => this.schedule());
    this.viewport.addEventListener('keydown', (e) => this.onKey(e));
    this.viewport.addEventListener('focus', () => {
      if (this.active < 0 && this.rows.length > 0) this.setActive(this.firstVisible());
    });
    this.body.addEventListener('click', (e) => {
      const index = this.indexOf(e.target);
      if (index !== null) this.setActive(index);
    });
    this.body.addEventListener('dblclick', (e) => {
      const index = this.indexOf(e.target);
      if (index !== null) this.open(index);
    });
    this.element = el('div', { class: 'vt' }, this.viewport);
    new ResizeObserver(() => this.schedule()).observe(this.viewport);
  }

  /** The rows in the order shown; keeps the active row on the same item when it is still there. */
  setRows(rows: T[]): void {
    const activeRow = this.active >= 0 ? this.rows[this.active] : undefined;
    this.rows = rows;
    this.viewport.setAttribute('aria-rowcount', String(rows.length + 1));
    this.body.style.height = `${rows.length * this.rowHeight}px`;
    if (activeRow !== undefined) {
      const at = rows.indexOf(activeRow);
      this.active = at >= 0 ? at : Math.min(this.active, rows.length - 1);
    }
    this.render();
  }

  /** Marks the column sorted by (and its direction) for assistive technology and the eye. */
  setSort(key: string, direction: 'ascending' | 'descending'): void {
    for (const [k, header] of this.headers) {
      if (k === key) header.setAttribute('aria-sort', direction);
      else header.removeAttribute('aria-sort');
    }
  }

  /** Fills the visible rows again (after their data changed). */
  refresh(): void {
    this.render();
  }

  get rowCount(): number {
    return this.rows.length;
  }

  focus(): void {
    this.viewport.focus();
  }

  private schedule(): void {
    if (this.frame !== 0) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  private firstVisible(): number {
    return Math.min(this.rows.length - 1, Math.floor(this.viewport.scrollTop / this.rowHeight));
  }

  private render(): void {
    const h = this.rowHeight;
    const top = this.viewport.scrollTop;
    const height = this.viewport.clientHeight || 600;
    const first = Math.max(0, Math.floor(top / h) - OVERSCAN);
    const last = Math.min(this.rows.length, Math.ceil((top + height) / h) + OVERSCAN);
    const needed = last - first;
    while (this.pool.length < needed) this.pool.push(this.makeRow());
    const now = monotonicMs();
    for (let i = 0; i < this.pool.length; i++) {
      const rowEl = this.pool[i] as HTMLDivElement;
      const index = first + i;
      if (i >= needed) {
        rowEl.hidden = true;
        rowEl.removeAttribute('id');
        continue;
      }
      const row = this.rows[index] as T;
      rowEl.hidden = false;
      rowEl.id = `${this.idPrefix}-${index}`;
      rowEl.dataset['index'] = String(index);
      rowEl.setAttribute('aria-rowindex', String(index + 2));
      rowEl.style.transform = `translateY(${index * h}px)`;
      rowEl.classList.toggle('vt-active', index === this.active);
      rowEl.setAttribute('aria-selected', String(index === this.active));
      const cells = rowEl.children;
      this.options.columns.forEach((column, c) => column.render(row, cells[c] as HTMLElement, now));
    }
    if (this.active >= first && this.active < last) {
      this.viewport.setAttribute('aria-activedescendant', `${this.idPrefix}-${this.active}`);
    } else this.viewport.removeAttribute('aria-activedescendant');
  }

  private makeRow(): HTMLDivElement {
    const row = el('div', { role: 'row', class: 'vt-row' });
    row.style.height = `${this.rowHeight}px`;
    for (const column of this.options.columns) {
      row.appendChild(el('div', { role: 'gridcell', class: `vt-cell col-${column.key}` }));
    }
    this.body.appendChild(row);
    return row;
  }

  private indexOf(target: EventTarget | null): number | null {
    const row = (target as HTMLElement | null)?.closest?.('.vt-row') as HTMLElement | null;
    const index = row?.dataset['index'];
    return index === undefined ? null : Number(index);
  }

  private onKey(e: KeyboardEvent): void {
    if (this.rows.length === 0) return;
    const page = Math.max(1, Math.floor(this.viewport.clientHeight / this.rowHeight) - 1);
    const moves: Record<string, number> = {
      ArrowDown: this.active + 1,
      ArrowUp: this.active - 1,
      PageDown: this.active + page,
      PageUp: this.active - page,
      Home: 0,
      End: this.rows.length - 1,
    };
    const to = moves[e.key];
    if (to !== undefined) {
      e.preventDefault();
      this.setActive(Math.max(0, Math.min(this.rows.length - 1, to)));
    } else if (e.key === 'Enter' && this.active >= 0) {
      e.preventDefault();
      this.open(this.active);
    }
  }

  private setActive(index: number): void {
    this.active = index;
    const h = this.rowHeight;
    const head = (this.viewport.querySelector('.vt-head') as HTMLElement | null)?.offsetHeight ?? 0;
    const top = index * h;
    const view = this.viewport.clientHeight - head;
    if (top < this.viewport.scrollTop) this.viewport.scrollTop = top;
    else if (top + h > this.viewport.scrollTop + view) this.viewport.scrollTop = top + h - view;
    this.render();
  }

  private open(index: number): void {
    const row = this.rows[index];
    if (row !== undefined) this.options.onOpen?.(row);
  }
}
