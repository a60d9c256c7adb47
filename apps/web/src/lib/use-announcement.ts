// The text of a polite live region and the function that changes it.

import { useCallback, useState } from 'react';

export function useAnnouncement(): [message: string, announce: (message: string) => void] {
  const [message, setMessage] = useState('');
  const announce = useCallback((next: string) => setMessage(next), []);
  return [message, announce];
}

/**
 * What a live region says about a result that polling keeps refreshing: its `text` once for each `key` (a
 * search, a page), as soon as that is ready (not null), and nothing more as later polls change the figures.
 * Announcing every refresh would talk over whatever the person is doing.
 */
export function useResultAnnouncement(key: string, text: string | null): string {
  const [said, setSaid] = useState<{ key: string; text: string } | null>(null);
  if (text !== null && said?.key !== key) {
    // State that follows a value is updated while rendering, as React recommends over an effect.
    setSaid({ key, text });
    return text;
  }
  return said?.text ?? '';
}
