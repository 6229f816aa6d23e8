/**
 * Events: the transition history, newest first, filtered by node and state, a page at a time
 * (GET /v1/events with the `before` cursor), with new transitions added at the top as the event
 * stream brings them. The stream was open before the first page was asked for, so nothing falls
 * between the two: what the stream brought is kept until the page is there, then added above
 * it if it is newer (by id), never twice. After a reconnection the stream resumes itself from
 * the last id it saw (Last-Event-ID); a `gap` it reports reloads the page.
 */
import { getJson, query, type EventsPage, type TransitionRow } from './api.js';
import type { AppContext, View } from './view.js';
import { el, replace } from './dom.js';
import { count } from './format.js';
import type { StreamTransition } from './live-stream.js';
import { GLYPH, STATES } from './states.js';
import { transitionRow } from './transition-list.js';

const PAGE = 100;

/** Kept across visits. */
const remembered = { node: '', state: '' };

export function eventsView(app: AppContext): View {
  let unsubscribe: (() => void) | null = null;
  let abort = new AbortController();

  return {
    title: 'Events',
    mount(root) {
      const nodeInput = el('input', {
        id: 'events-node',
        type: 'search',
        placeholder: 'node id',
        autocomplete: 'off',
      });
      const stateSelect = el(
        'select',
        { id: 'events-state' },
        el('option', { value: '' }, 'any state'),
        ...STATES.map((s) => el('option', { value: s }, `${GLYPH[s]} ${s}`)),
      );
      nodeInput.value = remembered.node;
      stateSelect.value = remembered.state;
      const form = el(
        'form',
        { class: 'filters', role: 'search', 'aria-label': 'Filter events' },
        el('label', { for: 'events-node' }, 'Node id'),
        nodeInput,
        el('label', { for: 'events-state' }, 'Into state'),
        stateSelect,
        el('button', { type: 'submit' }, 'Apply'),
      );
      const info = el('p', { class: 'shown', role: 'status' });
      const body = el('tbody');
      const older = el('button', { type: 'button', class: 'older', hidden: true }, 'Older events');
      replace(
        root,
        el('h2', { class: 'view-title' }, 'Events'),
        form,
        info,
        el(
          'table',
          { class: 'transitions events' },
          el(
            'thead',
            {},
            el(
              'tr',
              {},
              ...['When', 'Node', 'Change', 'Why', 'Evidence'].map((h) =>
                el('th', { scope: 'col' }, h),
              ),
            ),
          ),
          body,
        ),
        older,
      );

      let newest = 0;
      let nextBefore: number | null = null;
      let shown = 0;
      let live = 0;
      let pending: StreamTransition[] | null = [];

      const matches = (t: { nodeId: string; to: string }) =>
        (remembered.node === '' || t.nodeId === remembered.node) &&
        (remembered.state === '' || t.to === remembered.state);
      const say = () => {
        info.textContent = `${count(shown)} transitions shown${live > 0 ? `, ${count(live)} of them live` : ''}${nextBefore === null ? '' : '; older ones below'}.`;
      };
      const addLive = (t: StreamTransition) => {
        if (t.id === undefined || t.id <= newest || !matches(t)) return;
        newest = t.id;
        live++;
        shown++;
        body.prepend(transitionRow(asRow(t), true));
        say();
      };

      const load = async (before: number | null) => {
        const signal = abort.signal;
        try {
          const page = await getJson<EventsPage>(
            `/v1/events${query({ node: remembered.node, state: remembered.state, limit: PAGE, before })}`,
            signal,
          );
          if (before === null) {
            replace(body);
            shown = 0;
            live = 0;
            newest = page.events[0]?.id ?? app.stream.lastId;
          }
          for (const row of page.events) body.appendChild(transitionRow(row, true));
          shown += page.events.length;
          nextBefore = page.nextBefore;
          older.hidden = nextBefore === null;
          if (pending !== null) {
            const held = pending;
            pending = null;
            for (const t of held) addLive(t);
          }
          say();
        } catch (error) {
          if (!signal.aborted)
            info.textContent = `Could not read the events: ${(error as Error).message}`;
        }
      };

      form.addEventListener('submit', (e) => {
        e.preventDefault();
        remembered.node = nodeInput.value.trim();
        remembered.state = stateSelect.value;
        abort.abort();
        abort = new AbortController();
        pending = [];
        void load(null);
      });
      older.addEventListener('click', () => void load(nextBefore));
      unsubscribe = app.stream.subscribe({
        transition: (t) => (pending === null ? addLive(t) : pending.push(t)),
        gap: () => {
          pending = [];
          void load(null);
        },
      });
      void load(null);
    },
    unmount() {
      abort.abort();
      unsubscribe?.();
    },
  };
}

function asRow(t: StreamTransition): TransitionRow {
  return {
    ...t,
    id: t.id ?? 0,
    detectionMs: t.detectionMs ?? null,
    downForMs: t.downForMs ?? null,
  };
}
