// A page's h1 and the document title that goes with it; the h1 takes focus after in-app navigation.

export const SITE_NAME = 'Event tickets';

export function PageTitle({ children, lead }: { children: string; lead?: string }) {
  return (
    <header className="page-title">
      <title>{`${children} · ${SITE_NAME}`}</title>
      <h1 tabIndex={-1}>{children}</h1>
      {lead && <p className="page-title__lead">{lead}</p>}
    </header>
  );
}
