// A value that follows `v` once it has not changed for `ms` (a search box asks the server
// when the admin pauses typing, not at every key).
import { useEffect, useState } from 'react';

export function useDebounced<T>(v: T, ms: number): T {
  const [d, setD] = useState(v);
  useEffect(() => {
    const t = setTimeout(() => setD(v), ms);
    return () => clearTimeout(t);
  }, [v, ms]);
  return d;
}
