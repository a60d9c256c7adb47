// The text of a polite live region and the function that changes it.

import { useCallback, useState } from 'react';

export function useAnnouncement(): [message: string, announce: (message: string) => void] {
  const [message, setMessage] = useState('');
  const announce = useCallback((next: string) => setMessage(next), []);
  return [message, announce];
}
