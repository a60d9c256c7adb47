// A tiny router on the history API: the current path, links that navigate without a reload, and the route table.

import { type ClientPage, clientPageAt, normalisePagePath } from '@ticketing/shared';
import { type AnchorHTMLAttributes, type MouseEvent, useSyncExternalStore } from 'react';
import { AttendeePage } from '../pages/attendee-page.tsx';
import { NotFoundPage } from '../pages/not-found-page.tsx';
import { StaffPage } from '../pages/staff-page.tsx';
import { SummaryPage } from '../pages/summary-page.tsx';

/** pushState fires no event of its own, so navigate() announces itself with this one. */
const NAVIGATE_EVENT = 'ticketing:navigate';

const ROUTES: Record<ClientPage, () => React.JSX.Element> = {
  '/': AttendeePage,
  '/summary': SummaryPage,
  '/staff': StaffPage,
};

function subscribe(listener: () => void): () => void {
  window.addEventListener('popstate', listener);
  window.addEventListener(NAVIGATE_EVENT, listener);
  return () => {
    window.removeEventListener('popstate', listener);
    window.removeEventListener(NAVIGATE_EVENT, listener);
  };
}

const currentPath = () => normalisePagePath(window.location.pathname);

export function usePathname(): string {
  return useSyncExternalStore(subscribe, currentPath, () => '/');
}

export function navigate(to: string): void {
  if (to === window.location.pathname + window.location.search + window.location.hash) return;
  window.history.pushState(null, '', to);
  window.scrollTo(0, 0);
  window.dispatchEvent(new Event(NAVIGATE_EVENT));
}

type LinkProps = Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'> & { to: string };

/** An ordinary link (so open-in-new-tab, copy link and middle click work) that navigates in place on a plain click. */
export function Link({ to, onClick, ...props }: LinkProps) {
  const handleClick = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    const modified = event.metaKey || event.ctrlKey || event.shiftKey || event.altKey;
    if (event.defaultPrevented || event.button !== 0 || modified || props.target) return;
    event.preventDefault();
    navigate(to);
  };
  return <a href={to} onClick={handleClick} {...props} />;
}

/** The page for the current path. */
export function RouteView() {
  const page = clientPageAt(usePathname());
  const Page = page ? ROUTES[page] : NotFoundPage;
  return <Page />;
}
