/** Keeps a list page's search box in step with the URL, debounced so typing does not spam the API. */
import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useRef, useState } from 'react';

export function useDebouncedSearchText(
  urlValue: string | undefined,
  onCommit: (value: string | undefined) => void,
): [string, (value: string) => void] {
  const [text, setText] = useState(urlValue ?? '');
  const [debounced] = useDebouncedValue(text, 350);
  const committed = useRef(urlValue);

  // The URL changed from outside (back button, "clear filters"): follow it.
  useEffect(() => {
    if (urlValue !== committed.current) {
      committed.current = urlValue;
      setText(urlValue ?? '');
    }
  }, [urlValue]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: only the debounced text triggers a commit
  useEffect(() => {
    const next = debounced.trim() || undefined;
    if (next !== committed.current) {
      committed.current = next;
      onCommit(next);
    }
  }, [debounced]);

  return [text, setText];
}
