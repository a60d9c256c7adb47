// VIP-first priority as two attendees in two browsers experience it.

import { expect, test } from './fixtures.ts';
import { registerThroughForm, servedUpToYou, uniqueTag } from './ui.ts';

test('a VIP who registers after a Regular is served before the Regular', async ({ newPersonPage }) => {
  const tag = uniqueTag();
  const regular = { first_name: 'Rosa', last_name: `Diaz ${tag}`, ticket_type: 'Regular' as const };
  const vip = { first_name: 'Victor', last_name: `Ip ${tag}`, ticket_type: 'VIP' as const };
  // Two browser contexts are two people: separate storage, so each page holds only its own ticket.
  const regularPage = await newPersonPage();
  await regularPage.goto('/');
  const { card: regularCard } = await registerThroughForm(regularPage, regular);

  const vipPage = await newPersonPage();
  await vipPage.goto('/');
  const { card: vipCard } = await registerThroughForm(vipPage, vip);
  await expect(vipPage.getByRole('region', { name: 'My tickets' }).getByRole('article')).toHaveCount(1);

  await regularCard.getByRole('button', { name: 'Purchase' }).click();
  const served = servedUpToYou(regularPage).getByRole('listitem');
  await expect(served.last()).toContainText(`Rosa Diaz ${tag} (Regular) — `);
  const lines = await served.allInnerTexts();
  const vipLine = lines.findIndex((line) => line.includes(`Victor Ip ${tag} (VIP) — `));
  const regularLine = lines.findIndex((line) => line.includes(`Rosa Diaz ${tag} (Regular) — `));
  expect(vipLine, `the VIP is in the served list:\n${lines.join('\n')}`).toBeGreaterThanOrEqual(0);
  expect(vipLine).toBeLessThan(regularLine);

  // The VIP's own page learns about it too, without anyone reloading it.
  await expect(vipCard).not.toContainText('Queued');
});
