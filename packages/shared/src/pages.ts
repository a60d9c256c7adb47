// The web client's pages. The client's router shows them; the server answers any other page address
// with the client too (it says "Page not found"), but with the status 404 that says so to everyone else.

export const CLIENT_PAGES = ['/', '/summary', '/staff'] as const;
export type ClientPage = (typeof CLIENT_PAGES)[number];

/** "/summary/" and "/summary" are the same page. */
export function normalisePagePath(path: string): string {
  return path.length > 1 ? path.replace(/\/+$/, '') || '/' : path;
}

/** The page a path shows, or undefined when the client has no page there. */
export function clientPageAt(path: string): ClientPage | undefined {
  const normalised = normalisePagePath(path);
  return CLIENT_PAGES.find((page) => page === normalised);
}
