/**
 * A counter that advances once per turn of the event loop (in its check
 * phase), so a connection can give each socket a budget of work per turn:
 * libuv may read one socket many times in one poll phase, and a flooding
 * peer must not hold the loop for all of them. The clock only ticks while
 * somebody reads it: one setImmediate per busy turn, none while idle.
 */
let turn = 0;
let ticking = false;

export function currentTurn(): number {
  if (!ticking) {
    ticking = true;
    setImmediate(advance);
  }
  return turn;
}

function advance(): void {
  ticking = false;
  turn++;
}
