/**
 * Fleet: how many nodes are in each state, a state map of every node, and the table of nodes
 * (state, time since the last heartbeat, suspicion, interval, load, version, tags, address),
 * filterable by state, tag and id and sortable by any column. A transition from the event stream
 * shows at once on its row and cell, painted on the next frame (the `sse:apply` performance
 * measure times it from the event to the paint, `sse:work` the work in the frame); the order
 * and the filter are worked out again at most once a second while transitions come in, and
 * after each walk of GET /v1/nodes.
 */
import { TimerId, monotonicMs, later, every, cancel } from './page-clock.js';
import type { AppContext, View } from './view.js';
import { el, replace } from './dom.js';
import { sinceLastNow, type FleetChange, type FleetRow } from './fleet-model.js';
import { count, duration, num } from './format.js';
import { StateMap, type MapCell } from './state-map.js';
import { GLYPH, MEANING, RANK, STATES, isState } from './states.js';
import { VirtualTable, type Column } from './virtual-table.js';

interface Filter {
  state: string;
  tag: string;
  id: string;
}

type SortKey =
  'state' | 'id' | 'since' | 'suspicion' | 'interval' | 'load' | 'version' | 'tags' | 'address';

/** Kept across visits of the view, so coming back from a node keeps the filter. */
const remembered: { filter: Filter; sort: SortKey; descending: boolean } = {
  filter: { state: '', tag: '', id: '' },
  sort: 'state',
  descending: false,
};

/** Re-sorting and re-filtering after transitions waits this long at most. */
const REORDER_MS = 1000;

export function fleetView(app: AppContext): View {
  let unsubscribe: (() => void) | null = null;
  let tick: TimerId | undefined;
  let reorder: TimerId | undefined;
  let firstRender = true;
  let frame = 0;

  return {
    title: 'Fleet',
    mount(root: HTMLElement) {
      const model = app.fleet;
      const state = remembered;
      const countsEl = el('ul', { class: 'counts', 'aria-label': 'Nodes by state' });
      const notice = el('p', { class: 'notice', role: 'status' });
      const shown = el('p', { class: 'shown', 'aria-live': 'polite' });
      const pointed = el('p', { class: 'pointed', 'aria-live': 'polite' }, '\u00a0');

      const stateSelect = el(
        'select',
        { id: 'filter-state', name: 'state' },
        el('option', { value: '' }, 'any state'),
        ...STATES.map((s) => el('option', { value: s }, `${GLYPH[s]} ${s}`)),
      );
      const tagInput = el('input', {
        id: 'filter-tag',
        name: 'tag',
        type: 'search',
        placeholder: 'tag',
        autocomplete: 'off',
      });
      const idInput = el('input', {
        id: 'filter-id',
        name: 'id',
        type: 'search',
        placeholder: 'part of an id',
        autocomplete: 'off',
      });
      stateSelect.value = state.filter.state;
      tagInput.value = state.filter.tag;
      idInput.value = state.filter.id;
      const filterForm = el(
        'form',
        { class: 'filters', role: 'search', 'aria-label': 'Filter nodes' },
        el('label', { for: 'filter-id' }, 'Node id'),
        idInput,
        el('label', { for: 'filter-state' }, 'State'),
        stateSelect,
        el('label', { for: 'filter-tag' }, 'Tag'),
        tagInput,
      );
      filterForm.addEventListener('submit', (e) => e.preventDefault());
      const onFilter = () => {
        state.filter = {
          state: stateSelect.value,
          tag: tagInput.value.trim(),
          id: idInput.value.trim(),
        };
        rebuild();
      };
      stateSelect.addEventListener('change', onFilter);
      tagInput.addEventListener('input', onFilter);
      idInput.addEventListener('input', onFilter);

      const open = (id: string) => app.navigate(`#/node/${encodeURIComponent(id)}`);
      const table = new VirtualTable<FleetRow>({
        label: 'Nodes',
        columns: COLUMNS,
        onOpen: (row) => open(row.node.id),
        onSort: (key) => {
          if (state.sort === key) state.descending = !state.descending;
          else {
            state.sort = key as SortKey;
            state.descending = key === 'since' || key === 'suspicion' || key === 'load';
          }
          rebuild();
        },
      });
      const map = new StateMap({
        onOpen: open,
        onPoint: (cell: MapCell | null) => {
          pointed.textContent =
            cell === null ? '\u00a0' : `${GLYPH[cell.state]} ${cell.id}: ${cell.state}`;
        },
      });

      let view: FleetRow[] = [];
      /** Where each node is in the view (table row, map cell). */
      const position = new Map<string, number>();
      /** Nodes a transition changed since the last frame. */
      const changed = new Set<string>();

      const renderCounts = () => {
        const counts = model.counts();
        replace(
          countsEl,
          ...STATES.map((s) => {
            const button = el(
              'button',
              {
                type: 'button',
                class: `count st-${s}`,
                'aria-pressed': state.filter.state === s,
                title: MEANING[s],
              },
              el('span', { class: 'glyph', 'aria-hidden': 'true' }, GLYPH[s]),
              el('span', { class: 'count-n' }, count(counts[s])),
              el('span', { class: 'count-label' }, s),
            );
            button.addEventListener('click', () => {
              stateSelect.value = state.filter.state === s ? '' : s;
              onFilter();
            });
            return el('li', {}, button);
          }),
          el('li', { class: 'total' }, `${count(model.rows.size)} nodes`),
        );
      };

      const rebuild = () => {
        cancel(reorder);
        reorder = undefined;
        view = select([...model.rows.values()], state.filter);
        sortRows(view, state.sort, state.descending);
        position.clear();
        view.forEach((row, i) => position.set(row.node.id, i));
        table.setRows(view);
        table.setSort(state.sort, state.descending ? 'descending' : 'ascending');
        map.setCells(view.map((r) => r.node));
        renderCounts();
        shown.textContent =
          view.length === model.rows.size
            ? `${count(view.length)} nodes`
            : `${count(view.length)} of ${count(model.rows.size)} nodes match`;
        notice.textContent =
          model.error === null
            ? model.loadedAt === null
              ? 'Loading nodes…'
              : ''
            : `Could not load the nodes: ${model.error.message} (retrying)`;
      };

      const onChange = (change: FleetChange) => {
        if (change.kind === 'full') {
          performance.mark('fleet:render:start');
          rebuild();
          map.draw();
          performance.measure('fleet:render', 'fleet:render:start');
          if (firstRender && model.loadedAt !== null) {
            firstRender = false;
            performance.mark('fleet:first-render', {
              detail: { nodes: model.rows.size, cellPx: map.cellSize },
            });
          }
          return;
        }
        // Transitions come in bursts (a rack going down): paint once per frame, not per event.
        for (const id of change.ids) changed.add(id);
        if (frame !== 0) return;
        performance.mark('sse:apply:start');
        frame = requestAnimationFrame(() => {
          frame = 0;
          performance.mark('sse:work:start');
          const cells = [...changed].map((id) => position.get(id) ?? -1);
          changed.clear();
          table.refresh();
          if (cells.length > 1000) map.draw();
          else map.drawCells(cells);
          renderCounts();
          performance.measure('sse:work', 'sse:work:start');
          performance.measure('sse:apply', 'sse:apply:start');
          reorder ??= later(rebuild, REORDER_MS);
        });
      };

      replace(
        root,
        el('h2', { class: 'view-title' }, 'Fleet'),
        el('section', { 'aria-label': 'Counts' }, countsEl, notice),
        el(
          'section',
          { class: 'map-section', 'aria-label': 'State map' },
          el('h3', {}, 'State map'),
          legend(),
          map.element,
          pointed,
        ),
        el(
          'section',
          { class: 'table-section', 'aria-label': 'Nodes' },
          el('h3', {}, 'Nodes'),
          filterForm,
          shown,
          table.element,
        ),
      );
      unsubscribe = model.onChange(onChange);
      model.start();
      rebuild();
      tick = every(() => table.refresh(), 1000);
    },
    unmount() {
      unsubscribe?.();
      cancel(tick);
      cancel(reorder);
      cancelAnimationFrame(frame);
      frame = 0;
      app.fleet.stop();
    },
  };
}

function legend(): HTMLElement {
  return el(
    'ul',
    { class: 'legend', 'aria-label': 'Legend' },
    ...STATES.map((s) =>
      el(
        'li',
        { class: `st-${s}` },
        el('span', { class: 'glyph', 'aria-hidden': 'true' }, GLYPH[s]),
        ` ${s}: ${MEANING[s]}`,
      ),
    ),
  );
}

function select(rows: FleetRow[], filter: Filter): FleetRow[] {
  const id = filter.id.toLowerCase();
  const tag = filter.tag.toLowerCase();
  const state = isState(filter.state) ? filter.state : null;
  if (id === '' && tag === '' && state === null) return rows;
  return rows.filter(({ node }) => {
    if (state !== null && node.state !== state) return false;
    if (id !== '' && !node.id.toLowerCase().includes(id)) return false;
    if (tag !== '' && !node.tags.some((t) => t.toLowerCase().includes(tag))) return false;
    return true;
  });
}

const load = (row: FleetRow): number => {
  const v = row.node.payload?.['load1'];
  return typeof v === 'number' ? v : -Infinity;
};
const version = (row: FleetRow): string => {
  const v = row.node.payload?.['version'];
  return typeof v === 'string' ? v : '';
};

/** An id with its numbers padded, so `web-9` sorts before `web-10`. */
const naturalKey = (row: FleetRow): string =>
  (row.sortId ??= row.node.id.replace(/\d+/g, (d) => d.padStart(12, '0')));

const cmp = (a: string | number, b: string | number): number => (a < b ? -1 : a > b ? 1 : 0);

/** Sorts in place by `key`, ties by id. */
function sortRows(rows: FleetRow[], key: SortKey, descending: boolean): void {
  const now = monotonicMs();
  const value: Record<SortKey, (r: FleetRow) => string | number> = {
    state: (r) => RANK[r.node.state],
    id: (r) => naturalKey(r),
    since: (r) => sinceLastNow(r, now) ?? Infinity,
    suspicion: (r) => r.node.suspicion ?? Infinity,
    interval: (r) => r.node.intervalMs,
    load,
    version,
    tags: (r) => r.node.tags.join(','),
    address: (r) => r.node.address ?? '',
  };
  const of = value[key];
  const keys = new Map<FleetRow, string | number>();
  for (const r of rows) keys.set(r, of(r));
  const sign = descending ? -1 : 1;
  rows.sort(
    (a, b) =>
      sign * cmp(keys.get(a) as never, keys.get(b) as never) || cmp(naturalKey(a), naturalKey(b)),
  );
}

const text = (cell: HTMLElement, value: string) => {
  if (cell.textContent !== value) cell.textContent = value;
};

const COLUMNS: Column<FleetRow>[] = [
  {
    key: 'state',
    label: 'State',
    width: '7.5rem',
    render(row, cell) {
      const s = row.node.state;
      if (cell.dataset['state'] === s) return;
      cell.dataset['state'] = s;
      cell.className = `vt-cell col-state st-${s}`;
      replace(cell, el('span', { class: 'glyph', 'aria-hidden': 'true' }, GLYPH[s]), ` ${s}`);
    },
  },
  {
    key: 'id',
    label: 'Node',
    width: 'minmax(9rem, 2fr)',
    render(row, cell) {
      if (cell.firstElementChild?.textContent === row.node.id) return;
      replace(
        cell,
        el('a', { href: `#/node/${encodeURIComponent(row.node.id)}`, tabindex: -1 }, row.node.id),
      );
    },
  },
  {
    key: 'since',
    label: 'Last heartbeat',
    width: '9.5rem',
    render: (row, cell, now) => {
      const since = sinceLastNow(row, now);
      text(cell, since === null ? 'never' : `${duration(since)} ago`);
    },
  },
  {
    key: 'suspicion',
    label: 'Suspicion',
    width: '6rem',
    render: (r, c) => text(c, num(r.node.suspicion)),
  },
  {
    key: 'interval',
    label: 'Interval',
    width: '6rem',
    render: (r, c) => text(c, duration(r.node.intervalMs)),
  },
  {
    key: 'load',
    label: 'Load',
    width: '5rem',
    render: (r, c) => {
      const v = load(r);
      text(c, v === -Infinity ? '—' : num(v));
    },
  },
  { key: 'version', label: 'Version', width: '7rem', render: (r, c) => text(c, version(r) || '—') },
  {
    key: 'tags',
    label: 'Tags',
    width: 'minmax(6rem, 1fr)',
    render: (r, c) => text(c, r.node.tags.join(', ')),
  },
  {
    key: 'address',
    label: 'Address',
    width: 'minmax(8rem, 1fr)',
    render: (r, c) => text(c, r.node.address ?? '—'),
  },
];
