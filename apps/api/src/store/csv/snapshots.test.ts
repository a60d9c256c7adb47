import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SnapshotScheduler } from './snapshots.ts';

describe('SnapshotScheduler', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('writes soon after a change, then waits nineteen times what the last write cost this thread', async () => {
    const costs = [50, 2];
    const write = vi.fn(async () => costs.shift() ?? 0);
    const scheduler = new SnapshotScheduler(write, () => {}, 100);

    scheduler.markDirty();
    await vi.advanceTimersByTimeAsync(99);
    expect(write).toHaveBeenCalledTimes(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(write).toHaveBeenCalledTimes(1);

    // Changes while a write is due are one write; after a write of 50 ms, the next comes 950 ms later.
    scheduler.markDirty();
    scheduler.markDirty();
    await vi.advanceTimersByTimeAsync(949);
    expect(write).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(write).toHaveBeenCalledTimes(2);

    // That one cost 2 ms: the pause is back to the least, 100 ms.
    scheduler.markDirty();
    await vi.advanceTimersByTimeAsync(100);
    expect(write).toHaveBeenCalledTimes(3);
    await scheduler.close();
  });

  it('writes once more on close when something changed since, and never after', async () => {
    const write = vi.fn(async () => 1);
    const scheduler = new SnapshotScheduler(write, () => {}, 100);
    scheduler.markDirty();
    await scheduler.close();
    expect(write).toHaveBeenCalledTimes(1);
    scheduler.markDirty();
    await vi.advanceTimersByTimeAsync(1000);
    expect(write).toHaveBeenCalledTimes(1);
  });

  it('reports a failed write and keeps going', async () => {
    const errors: unknown[] = [];
    const write = vi.fn().mockRejectedValueOnce(new Error('disk full')).mockResolvedValue(1);
    const scheduler = new SnapshotScheduler(write, (error) => errors.push(error), 100);
    scheduler.markDirty();
    await vi.advanceTimersByTimeAsync(100);
    expect(errors).toEqual([new Error('disk full')]);
    scheduler.markDirty();
    await vi.advanceTimersByTimeAsync(100);
    expect(write).toHaveBeenCalledTimes(2);
    await scheduler.close();
  });
});
