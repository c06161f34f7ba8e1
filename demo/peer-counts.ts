/**
 * How many peers an endpoint has right now, kept from its join and leave
 * events: `server.on('clientConnected', count.joined)`. A set of ids, so a
 * repeated event cannot skew the count.
 */
export class PeerCount {
  private readonly ids = new Set<number>();
  readonly joined = (id: number): void => void this.ids.add(id);
  readonly left = (id: number): void => void this.ids.delete(id);
  get size(): number {
    return this.ids.size;
  }
}
