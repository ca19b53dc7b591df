/**
 * A minimal async queue: producers push, one consumer drains until close.
 * Back-pressure: `full()` once `highWater` items wait (the consumer, which
 * writes each line to disk, is behind); `onRoom` is called when the
 * consumer has taken it back under, so producers start more work.
 */
export function createChannel<T>(highWater: number, onRoom: () => void) {
  const items: T[] = [];
  let closed = false;
  let wake: (() => void) | null = null;
  const signal = (): void => {
    wake?.();
    wake = null;
  };
  return {
    push(item: T): void {
      items.push(item);
      signal();
    },
    full: (): boolean => items.length >= highWater,
    close(): void {
      closed = true;
      signal();
    },
    async *drain(): AsyncGenerator<T> {
      for (;;) {
        while (items.length > 0) {
          const wasFull = items.length >= highWater;
          yield items.shift()!;
          if (wasFull && items.length < highWater) onRoom();
        }
        if (closed) return;
        await new Promise<void>((resolve) => (wake = resolve));
      }
    },
  };
}
