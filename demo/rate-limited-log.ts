/**
 * Wraps a line logger so that at most `linesPerSecond` lines get through per
 * second; the rest are counted and summed up in one line when the next
 * second starts. One chatty (or hostile) client cannot flood the log.
 */
export function rateLimitedLog(log: (line: string) => void, linesPerSecond = 20): (line: string) => void {
  let windowStart = 0;
  let linesInWindow = 0;
  let suppressed = 0;
  return (line: string) => {
    const now = Date.now();
    if (now - windowStart >= 1000) {
      if (suppressed > 0) log(`... ${suppressed} more log lines suppressed`);
      windowStart = now;
      linesInWindow = 0;
      suppressed = 0;
    }
    if (linesInWindow < linesPerSecond) {
      linesInWindow++;
      log(line);
    } else {
      suppressed++;
    }
  };
}
