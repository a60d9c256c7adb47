// What an unknown address shows: where to go instead.

import { Link } from '../app/router.tsx';
import { PageTitle } from '../components/page-title.tsx';

export function NotFoundPage() {
  return (
    <>
      <PageTitle>Page not found</PageTitle>
      <p>
        There is nothing at this address. <Link to="/">Go to the ticket page</Link>.
      </p>
    </>
  );
}
