// One notice for the whole page while the server cannot be reached. The page's panels poll on by themselves,
// so each leaves a lost connection to this notice rather than asking people to "try again" in every panel.

import { useConnectionLost } from '../lib/use-connection.ts';

export const CONNECTION_LOST_MESSAGE =
  'Cannot reach the server. The page keeps trying; until it answers, what you see here may be out of date.';

export function ConnectionBanner() {
  const lost = useConnectionLost();
  // Always in the page, so that a screen reader announces the text as it appears.
  return (
    <div className={lost ? 'connection-banner' : undefined} role="alert">
      {lost && <p className="connection-banner__inner">{CONNECTION_LOST_MESSAGE}</p>}
    </div>
  );
}
