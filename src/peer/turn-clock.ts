/**
 * A counter that advances once per turn of the event loop (in its check
 * phase), so a connection can give each socket a budget of work per turn:
 * libuv may read one socket many times in one poll phase, and a flooding
 * peer must not hold the loop for all of them. The clock only ticks while
 * somebody reads it: one setImmediate per busy turn, none while idle.
 */
export class TurnClock {
  private turn = 0;
  private ticking = false;

  now(): number {
    if (!this.ticking) {
      this.ticking = true;
      setImmediate(this.advance);
    }
    return this.turn;
  }

  private readonly advance = (): void => {
    this.ticking = false;
    this.turn++;
  };
}
