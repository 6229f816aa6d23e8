/**
 * Node: one node's state and why — the evidence of its verdict in plain words, a live chart of
 * its suspicion against the threshold (sampled each second while the page is open) and of the
 * gaps between its recent heartbeats (GET /v1/nodes/:id/arrivals: the monitor keeps the last few
 * hundred for a node while someone looks at it), its state history as a strip, its payload, and
 * its transitions with their evidence (paged with `before`, new ones at the top as they happen).
 */
import { TimerId, wallMs, every, cancel } from './page-clock.js';
import {
  ApiError,
  getJson,
  nodePath,
  query,
  type ArrivalsAnswer,
  type EventsPage,
  type NodeDetail,
  type TransitionRow,
} from './api.js';
import type { AppContext, View } from './view.js';
import { LineChart } from './charts.js';
import { el, replace } from './dom.js';
import { evidenceText, reasonText } from './evidence-text.js';
import { duration, num, wallTime } from './format.js';
import type { StreamTransition } from './live-stream.js';
import { GLYPH, MEANING } from './states.js';
import { transitionRow } from './transition-list.js';

/** Suspicion samples kept for the chart: ten minutes at one a second. */
const MAX_SAMPLES = 600;
const POLL_MS = 1000;
const ARRIVALS_POLL_MS = 2000;

export function nodeView(app: AppContext, id: string): View {
  const timers: TimerId[] = [];
  const charts: LineChart[] = [];
  let unsubscribe: (() => void) | null = null;
  const abort = new AbortController();

  return {
    title: id,
    mount(root) {
      const heading = el('h2', { class: 'view-title' }, el('span', { class: 'node-id' }, id));
      const status = el('p', { class: 'node-status', role: 'status' }, 'Loading…');
      const why = el('p', { class: 'evidence' });
      const whyLast = el('p', { class: 'evidence evidence-last' });
      const payload = el('dl', { class: 'payload' });
      const facts = el('dl', { class: 'facts' });
      const strip = el('div', { class: 'strip', role: 'list', 'aria-label': 'State history' });
      const transitions = el('tbody');
      const older = el(
        'button',
        { type: 'button', class: 'older', hidden: true },
        'Older transitions',
      );
      const suspicionSummary = el('p', { class: 'chart-summary' });
      const gapSummary = el('p', { class: 'chart-summary' });
      const suspicionChart = new LineChart({
        label: 'Suspicion against threshold',
        yLabel: 'suspicion',
        series: [
          { label: 'suspicion', colour: '--chart-1' },
          { label: 'threshold', colour: '--dead', dash: true },
        ],
      });
      const gapChart = new LineChart({
        label: 'Gaps between heartbeats',
        yLabel: 'ms',
        series: [
          { label: 'gap (ms)', colour: '--chart-2', points: true },
          { label: 'interval (ms)', colour: '--fg-muted', dash: true },
        ],
      });
      charts.push(suspicionChart, gapChart);

      replace(
        root,
        el('p', { class: 'crumbs' }, el('a', { href: '#/fleet' }, '← Fleet')),
        heading,
        status,
        el('section', { 'aria-label': 'Evidence' }, el('h3', {}, 'Why'), why, whyLast),
        el(
          'section',
          { class: 'charts', 'aria-label': 'Charts' },
          el(
            'div',
            {},
            el('h3', {}, 'Suspicion against threshold'),
            suspicionChart.element,
            suspicionSummary,
          ),
          el('div', {}, el('h3', {}, 'Gaps between heartbeats'), gapChart.element, gapSummary),
        ),
        el('section', { 'aria-label': 'State history' }, el('h3', {}, 'State history'), strip),
        el(
          'section',
          { class: 'two', 'aria-label': 'Details' },
          el('div', {}, el('h3', {}, 'Node'), facts),
          el('div', {}, el('h3', {}, 'Payload'), payload),
        ),
        el(
          'section',
          { 'aria-label': 'Transitions' },
          el('h3', {}, 'Transitions'),
          el(
            'table',
            { class: 'transitions' },
            el(
              'thead',
              {},
              el(
                'tr',
                {},
                ...['When', 'Change', 'Why', 'Evidence'].map((h) => el('th', { scope: 'col' }, h)),
              ),
            ),
            transitions,
          ),
          older,
        ),
      );

      const samples: { t: number[]; s: (number | null)[]; th: (number | null)[] } = {
        t: [],
        s: [],
        th: [],
      };
      let rows: TransitionRow[] = [];
      let nextBefore: number | null = null;

      const poll = async () => {
        let detail: NodeDetail;
        try {
          detail = await getJson<NodeDetail>(nodePath(id), abort.signal);
        } catch (error) {
          if (abort.signal.aborted) return;
          status.textContent =
            error instanceof ApiError && error.reason === 'unknown-node'
              ? `The monitor does not track ${id} (now): it was removed or never seen. Its stored transitions are below.`
              : `Could not read the node: ${(error as Error).message}`;
          return;
        }
        const node = detail.node;
        replace(
          heading,
          el('span', { class: `glyph st-${node.state}`, 'aria-hidden': 'true' }, GLYPH[node.state]),
          ' ',
          el('span', { class: 'node-id' }, id),
          ' ',
          el('span', { class: `badge st-${node.state}` }, node.state),
        );
        status.textContent = `${node.status} — ${MEANING[node.state]}.`;
        why.textContent = `Now: ${evidenceText(detail.evidence.now)}`;
        whyLast.textContent =
          detail.evidence.lastTransition === null
            ? ''
            : `At its last transition (${reasonText(node.stateReason)}): ${evidenceText(detail.evidence.lastTransition)}`;
        replace(
          facts,
          ...fact('address', node.address ?? '—'),
          ...fact('tags', node.tags.join(', ') || '—'),
          ...fact('interval', duration(node.intervalMs)),
          ...fact('incarnation', String(node.incarnation ?? '—')),
          ...fact('last seq', String(node.lastSeq ?? '—')),
          ...fact('heartbeats', String(node.heartbeats)),
          ...fact('lost · duplicate · stale', `${node.lost} · ${node.duplicates} · ${node.stale}`),
          ...fact('detector', detail.evidence.now?.detector?.kind ?? '—'),
        );
        const entries = Object.entries(node.payload ?? {});
        replace(
          payload,
          ...(entries.length === 0
            ? [el('dd', {}, 'No payload.')]
            : entries.flatMap(([k, v]) => fact(k, String(v)))),
        );
        const d = detail.evidence.now?.detector;
        samples.t.push(wallMs() / 1000);
        samples.s.push(d?.suspicion ?? null);
        samples.th.push(d?.threshold ?? null);
        if (samples.t.length > MAX_SAMPLES) {
          samples.t.shift();
          samples.s.shift();
          samples.th.shift();
        }
        suspicionChart.setData(samples.t, [samples.s, samples.th]);
        suspicionSummary.textContent =
          d === undefined || d === null
            ? 'No detector yet: the node has not been heard from.'
            : `Suspicion ${num(d.suspicion)} against a threshold of ${num(d.threshold)} (${d.kind}); sampled each second since this page opened (${samples.t.length} samples).`;
        intervalMs = node.intervalMs;
        if (rows.length === 0 && detail.transitions.length > 0 && nextBefore === null) {
          renderStrip(detail.transitions);
        }
      };

      let intervalMs = Number.NaN;
      const pollArrivals = async () => {
        try {
          const a = await getJson<ArrivalsAnswer>(`${nodePath(id)}/arrivals`, abort.signal);
          const x: number[] = [];
          const gaps: number[] = [];
          const expected: number[] = [];
          for (let i = 1; i < a.arrivalsWallMs.length; i++) {
            const at = a.arrivalsWallMs[i] as number;
            x.push(at / 1000);
            gaps.push(at - (a.arrivalsWallMs[i - 1] as number));
            expected.push(intervalMs);
          }
          gapChart.setData(x, [gaps, expected]);
          const sorted = [...gaps].sort((p, q) => p - q);
          const q = (f: number) =>
            sorted[Math.min(sorted.length - 1, Math.floor(f * sorted.length))];
          gapSummary.textContent =
            gaps.length === 0
              ? `Collecting: the monitor keeps this node's last ${a.capacity} heartbeats while the page is open (since ${wallTime(a.sinceWallMs)}).`
              : `${gaps.length} gaps since ${wallTime(a.sinceWallMs)} (at most ${a.capacity} kept): median ${duration(q(0.5))}, 99th percentile ${duration(q(0.99))}, longest ${duration(sorted[sorted.length - 1])}.`;
        } catch (error) {
          if (abort.signal.aborted) return;
          gapSummary.textContent = `No recent heartbeats to show: ${(error as Error).message}`;
        }
      };

      const renderStrip = (newestFirst: TransitionRow[]) => {
        const chronological = [...newestFirst].reverse();
        const end = wallMs();
        const start = chronological[0]?.wallMs ?? end;
        const span = Math.max(1, end - start);
        replace(
          strip,
          ...chronological.map((t, i) => {
            const until = chronological[i + 1]?.wallMs ?? end;
            const part = el(
              'div',
              {
                class: `strip-part st-${t.to}`,
                role: 'listitem',
                title: `${t.to} from ${wallTime(t.wallMs)} for ${duration(until - t.wallMs)}`,
              },
              el('span', { class: 'glyph', 'aria-hidden': 'true' }, GLYPH[t.to]),
              el('span', { class: 'strip-text' }, ` ${t.to} ${duration(until - t.wallMs)}`),
            );
            part.style.flexGrow = String(Math.max(0.02, (until - t.wallMs) / span));
            return part;
          }),
        );
      };

      const loadTransitions = async (before: number | null) => {
        try {
          const page = await getJson<EventsPage>(
            `/v1/events${query({ node: id, limit: 50, before })}`,
            abort.signal,
          );
          rows = before === null ? page.events : [...rows, ...page.events];
          nextBefore = page.nextBefore;
          older.hidden = nextBefore === null;
          replace(transitions, ...rows.map((r) => transitionRow(r)));
          renderStrip(rows);
        } catch (error) {
          if (!abort.signal.aborted)
            replace(transitions, el('tr', {}, el('td', { colspan: 4 }, (error as Error).message)));
        }
      };
      older.addEventListener('click', () => void loadTransitions(nextBefore));

      unsubscribe = app.stream.subscribe({
        transition: (t: StreamTransition) => {
          if (t.nodeId !== id) return;
          const row = {
            ...t,
            id: t.id ?? 0,
            detectionMs: t.detectionMs ?? null,
            downForMs: t.downForMs ?? null,
          } as TransitionRow;
          if (rows.some((r) => r.id === row.id && row.id !== 0)) return;
          rows = [row, ...rows];
          transitions.prepend(transitionRow(row));
          renderStrip(rows);
          void poll();
        },
      });
      void poll();
      void pollArrivals();
      void loadTransitions(null);
      timers.push(every(() => void poll(), POLL_MS));
      timers.push(every(() => void pollArrivals(), ARRIVALS_POLL_MS));
    },
    unmount() {
      abort.abort();
      for (const t of timers) cancel(t);
      for (const c of charts) c.destroy();
      unsubscribe?.();
    },
  };
}

function fact(name: string, value: string): HTMLElement[] {
  return [el('dt', {}, name), el('dd', {}, value)];
}
