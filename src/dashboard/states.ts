/**
 * How the dashboard shows a node's state: a word, a glyph and a colour, always together, so a
 * state is never told by colour alone (the map draws a pattern per state instead of a glyph).
 * The order is by urgency: what needs looking at first comes first.
 */
import type { NodeState } from '../membership/types.js';

export const STATES: readonly NodeState[] = ['dead', 'suspect', 'unknown', 'alive', 'left'];

/** A glyph per state: shapes that differ without colour. */
export const GLYPH: Record<NodeState, string> = {
  alive: '●',
  suspect: '▲',
  dead: '✖',
  unknown: '?',
  left: '◇',
};

/** What each state means, for legends and tooltips. */
export const MEANING: Record<NodeState, string> = {
  alive: 'heartbeats arrive as expected',
  suspect: 'the detector suspects it',
  dead: 'suspected for longer than the dead grace, or never came up',
  unknown: 'registered, never heard from',
  left: 'said goodbye; not a failure',
};

/** Sorting rank: dead first. */
export const RANK: Record<NodeState, number> = {
  dead: 0,
  suspect: 1,
  unknown: 2,
  alive: 3,
  left: 4,
};

/** Whether `text` names a state. */
export function isState(text: string): text is NodeState {
  return (STATES as readonly string[]).includes(text);
}
