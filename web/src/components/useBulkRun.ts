// A bulk action over many items, sent in batches: the progress while it runs, then one result
// per item (or the error that stopped it).
import { useState } from 'react';
import type { ItemResult } from './BulkProgress';

export function useBulkRun() {
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [results, setResults] = useState<ItemResult[] | null>(null);
  const [error, setError] = useState<unknown>(null);

  async function run<T>(targets: T[], batchSize: number, send: (batch: T[]) => Promise<ItemResult[]>) {
    setResults(null);
    setError(null);
    setProgress({ done: 0, total: targets.length });
    const out: ItemResult[] = [];
    try {
      for (let i = 0; i < targets.length; i += batchSize) {
        out.push(...(await send(targets.slice(i, i + batchSize))));
        setProgress({ done: Math.min(i + batchSize, targets.length), total: targets.length });
      }
    } catch (e) {
      setError(e);
    }
    setResults(out);
    setProgress(null);
  }
  return { progress, results, error, run };
}
