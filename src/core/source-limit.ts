/**
 * Connections per source address, for the TCP listener and the HTTP server: one client must
 * not hold every slot. A connection beyond `max` from one address is refused at once (the
 * caller closes it and counts it); the others are never affected.
 */
export class SourceLimit {
  private readonly open = new Map<string, number>();

  constructor(readonly max: number) {}

  /** Takes a slot for `address`; false when it already holds `max`. */
  take(address: string): boolean {
    const held = this.open.get(address) ?? 0;
    if (held >= this.max) return false;
    this.open.set(address, held + 1);
    return true;
  }

  /** Gives back a slot `take` granted. */
  release(address: string): void {
    const held = this.open.get(address) ?? 0;
    if (held <= 1) this.open.delete(address);
    else this.open.set(address, held - 1);
  }
}
