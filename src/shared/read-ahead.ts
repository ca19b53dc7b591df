/**
 * Ordered read-ahead: start reading the next inputs while the caller is still
 * busy with the current one, so a CPU-bound consumer (extract, clean-text)
 * never sits idle waiting for the disk. At most `depth` reads are in flight,
 * which bounds memory to `depth` inputs beyond the one being processed.
 */
export async function* readAhead<T, R>(items: AsyncIterable<T>, read: (item: T) => Promise<R>, depth: number): AsyncGenerator<R> {
  const pending: Promise<R>[] = [];
  for await (const item of items) {
    const next = read(item);
    next.catch(() => {}); // a failure surfaces when its turn comes, not as an unhandled rejection
    pending.push(next);
    if (pending.length > depth) yield await pending.shift()!;
  }
  while (pending.length > 0) yield await pending.shift()!;
}
