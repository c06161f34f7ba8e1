/**
 * A time limit for one benchmark cell: every wait of the cell is raced
 * against it, so a message lost on the way (or a stuck process) ends the
 * cell with a failure instead of hanging the run.
 */
export class Deadline {
  private readonly timer: NodeJS.Timeout;
  private readonly expired: Promise<never>;

  constructor(milliseconds: number, what: string) {
    let expire!: (error: Error) => void;
    this.expired = new Promise<never>((_, reject) => (expire = reject));
    // Nobody may be waiting at the moment it expires: that must not count as an unhandled rejection.
    this.expired.catch(() => {});
    this.timer = setTimeout(() => expire(new Error(`${what} not done within ${milliseconds / 1000} s`)), milliseconds);
  }

  race<T>(wait: Promise<T>): Promise<T> {
    return Promise.race([wait, this.expired]);
  }

  clear(): void {
    clearTimeout(this.timer);
  }
}
