import { describe, expect, it } from 'vitest';
import { OrderedLane } from '../../src/peer/ordered-lane.js';

/** Items tagged 1 travel (their trip ends when the test says); the others pass straight on. */
class TestLane extends OrderedLane<Buffer> {
  readonly out: string[] = [];
  readonly dropped_: string[] = [];
  drains = 0;
  add(text: string, travels: boolean): void {
    this.enqueue(Buffer.from(text), travels ? 1 : 0);
  }
  finishTrip(): void {
    this.out.push(`${this.current.toString()}*`);
    this.arrived();
  }
  get backlog(): [number, number] {
    return [this.waitingCount, this.waitingBytes];
  }
  protected travels(_item: Buffer, tag: number): boolean {
    return tag === 1;
  }
  protected startTrip(): void {}
  protected passOn(item: Buffer): void {
    this.out.push(item.toString());
  }
  protected override drained(): void {
    this.drains++;
  }
  protected override dropped(item: Buffer): void {
    this.dropped_.push(item.toString());
  }
}

describe('OrderedLane', () => {
  it('hands items on in arrival order around async trips, then runs whenIdle callbacks', () => {
    const lane = new TestLane();
    const idle: string[] = [];
    lane.add('a', false);
    lane.add('b', true);
    lane.add('c', false);
    lane.add('d', true);
    lane.add('e', false);
    lane.whenIdle(() => idle.push('idle'));
    expect(lane.out).toEqual(['a']);
    expect(lane.backlog).toEqual([3, 3]);
    lane.finishTrip();
    expect(lane.out).toEqual(['a', 'b*', 'c']);
    expect(idle).toEqual([]);
    lane.finishTrip();
    expect(lane.out).toEqual(['a', 'b*', 'c', 'd*', 'e']);
    expect(idle).toEqual(['idle']);
    expect(lane.backlog).toEqual([0, 0]);
    expect(lane.drains).toBe(2);
    lane.whenIdle(() => idle.push('at once'));
    expect(idle).toEqual(['idle', 'at once']);
  });

  it('drops what is pending on dispose, the travelling item first, and takes nothing afterwards', () => {
    const lane = new TestLane();
    const idle: string[] = [];
    lane.add('a', true);
    lane.add('b', false);
    lane.whenIdle(() => idle.push('idle'));
    lane.dispose();
    lane.add('c', false);
    expect(lane.dropped_).toEqual(['a', 'b']);
    expect(lane.out).toEqual([]);
    expect(idle).toEqual([]);
    expect(lane.busy).toBe(false);
  });
});
