// The staff page ("/staff"): the sign-in form, or the dashboard once the staff token is accepted.

import { PageTitle } from '../components/page-title.tsx';
import { useStaffSession } from '../lib/staff-session.ts';
import { StaffDashboard } from './staff/staff-dashboard.tsx';
import { StaffSignIn } from './staff/staff-sign-in.tsx';
import { useStaffSignIn } from './staff/use-staff-sign-in.ts';

export function StaffPage() {
  const session = useStaffSession();
  const signIn = useStaffSignIn();
  return (
    <>
      {session.token ? (
        <StaffDashboard token={session.token} />
      ) : (
        <>
          <PageTitle lead="Serve the line, look after tickets, and change capacity.">Staff dashboard</PageTitle>
          <StaffSignIn signIn={signIn} notice={session.notice} />
        </>
      )}
    </>
  );
}
