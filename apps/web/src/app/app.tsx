// The frame around every page: skip link, site header with the main navigation, and the page itself.

import { useEffect, useRef } from 'react';
import { ConnectionBanner } from '../components/connection-banner.tsx';
import { SITE_NAME } from '../components/page-title.tsx';
import { Link, RouteView, usePathname } from './router.tsx';

const NAV_ITEMS = [
  { to: '/', label: 'Tickets' },
  { to: '/summary', label: 'Live sales' },
  { to: '/staff', label: 'Staff' },
] as const;

export function App() {
  const path = usePathname();
  const mainRef = useFocusPageOnNavigation(path);
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="site-header">
        <div className="site-header__inner">
          {/* Plain text, not a link: "Tickets" in the nav must stay the only link with that name. */}
          <span className="site-header__brand">{SITE_NAME}</span>
          <nav aria-label="Main">
            <ul className="nav">
              {NAV_ITEMS.map((item) => (
                <li key={item.to}>
                  <Link to={item.to} className="nav__link" aria-current={path === item.to ? 'page' : undefined}>
                    {item.label}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
        </div>
      </header>
      <ConnectionBanner />
      <main id="main" ref={mainRef} className="page">
        <RouteView />
      </main>
    </>
  );
}

/**
 * After an in-app navigation the new page's h1 takes focus, as a full page load would put a screen
 * reader at the top; the first render leaves focus where the browser put it.
 */
function useFocusPageOnNavigation(path: string) {
  const mainRef = useRef<HTMLElement>(null);
  const firstPath = useRef(path);
  useEffect(() => {
    if (path === firstPath.current) return;
    firstPath.current = '';
    mainRef.current?.querySelector<HTMLElement>('h1')?.focus();
  }, [path]);
  return mainRef;
}
