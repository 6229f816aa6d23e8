/**
 * The `cursor` of GET /v1/nodes: opaque to clients, it holds where the last page ended in the
 * node table's slot order (NodeTable.page) and which table that was. Slots mean nothing to
 * another table, so a cursor from before a monitor restart (or from another monitor) is refused
 * with a 400 that says to start the walk again, instead of silently skipping or repeating nodes.
 */
import { DecodeError } from '../core/errors.js';

/** Tells apart tables made in the same millisecond (several monitors in one process). */
let made = 0;

export class NodeCursors {
  /** Names the table: its API's creation time and a sequence number, in base 36. */
  private readonly epoch: string;

  constructor(wallMs: number) {
    this.epoch = `${Math.floor(wallMs).toString(36)}${(made++).toString(36)}`;
  }

  /** The cursor of a page that ended at `slot`. */
  encode(slot: number): string {
    return `${this.epoch}.${slot.toString(36)}`;
  }

  /** The slot a cursor names, or undefined for none; throws DecodeError `bad-field`. */
  decode(cursor: string | undefined): number | undefined {
    if (cursor === undefined) return undefined;
    const dot = cursor.indexOf('.');
    const slotText = cursor.slice(dot + 1);
    const slot = Number.parseInt(slotText, 36);
    if (dot < 0 || !/^[0-9a-z]{1,11}$/.test(slotText) || !Number.isSafeInteger(slot)) {
      throw new DecodeError('bad-field', 'cursor is not one this API gave (pass nextCursor as is)');
    }
    if (cursor.slice(0, dot) !== this.epoch) {
      throw new DecodeError(
        'bad-field',
        'cursor is from another run of the monitor (it restarted): start the walk again without one',
      );
    }
    return slot;
  }
}
