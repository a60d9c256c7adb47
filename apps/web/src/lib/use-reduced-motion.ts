// Whether the person asked their system for less motion; animations then show their end state at once.

import { useMediaQuery } from './use-media-query.ts';

export function usePrefersReducedMotion(): boolean {
  return useMediaQuery('(prefers-reduced-motion: reduce)');
}
