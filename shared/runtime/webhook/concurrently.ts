/**
 * `work` for every item, at most `limit` at once, results in the items' order. After a failure
 * no further item is started, and the first failure is thrown once the calls already started
 * have settled (none is left running behind the caller).
 */
export async function mapConcurrently<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const index = next++;
      try {
        results[index] = await work(items[index] as T, index);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  const workers = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker);
  const rejected = (await Promise.allSettled(workers)).find((r) => r.status === "rejected");
  if (rejected) throw rejected.reason;
  return results;
}
