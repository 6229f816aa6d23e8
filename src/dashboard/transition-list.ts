/**
 * One transition as a table row, for the Node and Events views: when, the change (glyphs and
 * words), why (the reason in words) and the evidence in plain words, with the detection time
 * or the time down where the monitor measured one.
 */
import type { TransitionRow } from './api.js';
import { el } from './dom.js';
import { evidenceText, reasonText } from './evidence-text.js';
import { duration, wallTime } from './format.js';
import { GLYPH } from './states.js';

export function transitionRow(t: TransitionRow, withNode = false): HTMLTableRowElement {
  const measured =
    t.detectionMs !== null && t.detectionMs !== undefined
      ? ` Detected ${duration(t.detectionMs)} after the last heartbeat.`
      : t.downForMs !== null && t.downForMs !== undefined
        ? ` Down for ${duration(t.downForMs)}.`
        : '';
  return el(
    'tr',
    { class: `tr-${t.to}`, 'data-id': t.id },
    el(
      'td',
      { class: 'when' },
      el('time', { datetime: new Date(t.wallMs).toISOString() }, wallTime(t.wallMs)),
    ),
    withNode
      ? el(
          'td',
          { class: 'node' },
          el('a', { href: `#/node/${encodeURIComponent(t.nodeId)}` }, t.nodeId),
        )
      : null,
    el(
      'td',
      { class: 'change' },
      el(
        'span',
        { class: `st-${t.from}` },
        el('span', { class: 'glyph', 'aria-hidden': 'true' }, GLYPH[t.from]),
        ` ${t.from}`,
      ),
      ' → ',
      el(
        'span',
        { class: `st-${t.to}` },
        el('span', { class: 'glyph', 'aria-hidden': 'true' }, GLYPH[t.to]),
        ` ${t.to}`,
      ),
    ),
    el(
      'td',
      { class: 'why' },
      t.from === t.to ? 'first heard from: it joined' : reasonText(t.reason),
    ),
    el('td', { class: 'evidence' }, evidenceText(t.evidence) + measured),
  );
}
