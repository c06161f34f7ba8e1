import { afterEach, describe, expect, it, vi } from 'vitest';
import { FrameBufferPool, POOL_IDLE_MS, POOL_LIMIT_BUFFERS, POOL_LIMIT_BYTES } from '../../src/peer/frame-buffer-pool.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('FrameBufferPool', () => {
  it('hands out exactly the length asked for, in memory of its own', () => {
    const pool = new FrameBufferPool();
    const first = pool.take(100_000);
    const second = pool.take(100_000);
    expect(first.length).toBe(100_000);
    expect(first.buffer).not.toBe(second.buffer);
  });

  it('reuses memory given back, and never memory still out', () => {
    const pool = new FrameBufferPool();
    const out = pool.take(70_000);
    const other = pool.take(70_000);
    expect(other.buffer).not.toBe(out.buffer);
    pool.giveBack(out);
    const again = pool.take(69_000);
    expect(again.buffer).toBe(out.buffer);
    expect(again.length).toBe(69_000);
    // Given back once and taken again: no longer in the pool.
    expect(pool.take(69_000).buffer).not.toBe(out.buffer);
  });

  it('does not serve a small frame from a buffer more than twice its size', () => {
    const pool = new FrameBufferPool();
    const large = pool.take(1 << 20);
    pool.giveBack(large);
    expect(pool.take(100_000).buffer).not.toBe(large.buffer);
    expect(pool.take(600_000).buffer).toBe(large.buffer);
  });

  it('keeps at most its byte and buffer limits', () => {
    const pool = new FrameBufferPool();
    const many = Array.from({ length: POOL_LIMIT_BUFFERS + 5 }, () => pool.take(32 * 1024));
    for (const buffer of many) pool.giveBack(buffer);
    expect(pool.heldBytes).toBe(POOL_LIMIT_BUFFERS * 32 * 1024);
    const bigPool = new FrameBufferPool();
    const big = Array.from({ length: 6 }, () => bigPool.take(2 << 20));
    for (const buffer of big) bigPool.giveBack(buffer);
    expect(bigPool.heldBytes).toBeLessThanOrEqual(POOL_LIMIT_BYTES);
    expect(bigPool.heldBytes).toBe(Math.floor(POOL_LIMIT_BYTES / (2 << 20)) * (2 << 20));
  });

  it('drops its memory after a quiet spell, and keeps it while it is used', () => {
    vi.useFakeTimers();
    const pool = new FrameBufferPool();
    pool.giveBack(pool.take(50_000));
    vi.advanceTimersByTime(POOL_IDLE_MS - 1);
    pool.giveBack(pool.take(50_000));
    vi.advanceTimersByTime(2);
    expect(pool.heldBytes).toBeGreaterThan(0);
    vi.advanceTimersByTime(POOL_IDLE_MS);
    expect(pool.heldBytes).toBe(0);
  });
});
