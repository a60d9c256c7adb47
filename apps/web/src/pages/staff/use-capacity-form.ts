// The capacity editor's state: drafts that follow the live figures until edited, and the seats-sold rule.

import {
  CAPACITY_MAX,
  type CapacityResponse,
  capacityBelowSoldMessage,
  type SummaryData,
  TICKET_TYPES,
  type TicketType,
} from '@ticketing/shared';
import { type FormEvent, useState } from 'react';
import { useUpdateCapacity } from '../../api/capacity.ts';
import { formatCount } from '../../lib/format.ts';

type PerType<T> = Record<TicketType, T>;

export interface CapacityFigures {
  capacity: PerType<number>;
  sold: PerType<number>;
}

export function capacityFigures(summary: SummaryData): CapacityFigures {
  return {
    capacity: { VIP: summary.vip_capacity, Regular: summary.regular_capacity },
    sold: { VIP: summary.vip_sold, Regular: summary.regular_sold },
  };
}

/** The API's own rule and wording, checked before sending so the answer is known without a round trip. */
export function checkCapacity(type: TicketType, input: string, sold: number): string | null {
  const trimmed = input.trim();
  if (trimmed === '') return `Enter the ${type} capacity`;
  if (/^-\d+$/.test(trimmed)) return `${type} capacity cannot be negative`;
  if (!/^\d+$/.test(trimmed)) return `${type} capacity must be a whole number`;
  const wanted = Number(trimmed);
  if (wanted > CAPACITY_MAX) return `${type} capacity can be at most ${CAPACITY_MAX.toLocaleString('en')}`;
  if (wanted < sold) return capacityBelowSoldMessage(type, wanted, sold);
  return null;
}

export function useCapacityForm(token: string, summary: SummaryData | undefined) {
  const figures = summary ? capacityFigures(summary) : null;
  // null = not edited: the field shows the live capacity and keeps following it.
  const [drafts, setDrafts] = useState<PerType<string | null>>({ VIP: null, Regular: null });
  const [errors, setErrors] = useState<PerType<string | null>>({ VIP: null, Regular: null });
  const [saved, setSaved] = useState('');
  const save = useUpdateCapacity();

  const draftValue = (type: TicketType) => drafts[type] ?? (figures ? String(figures.capacity[type]) : '');

  const change = (type: TicketType, value: string) => {
    setDrafts((d) => ({ ...d, [type]: value }));
    setSaved('');
    // Errors are first shown on submit; after that they follow the typing, so a fix clears at once.
    if (errors[type] && figures) setErrors((e) => ({ ...e, [type]: checkCapacity(type, value, figures.sold[type]) }));
  };

  const handleSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!figures) return;
    const next = { VIP: checkCapacity('VIP', draftValue('VIP'), figures.sold.VIP), Regular: null as string | null };
    next.Regular = checkCapacity('Regular', draftValue('Regular'), figures.sold.Regular);
    setErrors(next);
    const invalid = TICKET_TYPES.find((type) => next[type]);
    if (invalid) {
      document.getElementById(fieldId(invalid))?.focus();
      return;
    }
    const capacities = { VIP: Number(draftValue('VIP')), Regular: Number(draftValue('Regular')) };
    save.mutate(
      { token, capacities },
      {
        onSuccess: (result) => {
          setDrafts({ VIP: null, Regular: null });
          setSaved(savedMessage(result));
        },
      },
    );
  };

  return { figures, draftValue, errors, change, handleSubmit, save, saved };
}

export const fieldId = (type: TicketType) => `capacity-${type.toLowerCase()}`;

/** "Capacity saved: VIP 510, Regular 20,000. 10 on the VIP waitlist got seats." */
function savedMessage({ vip_capacity, regular_capacity, promoted }: CapacityResponse): string {
  const seated = TICKET_TYPES.filter((type) => promoted[type] > 0).map(
    (type) => `${formatCount(promoted[type])} on the ${type} waitlist`,
  );
  const saved = `Capacity saved: VIP ${formatCount(vip_capacity)}, Regular ${formatCount(regular_capacity)}.`;
  return seated.length > 0 ? `${saved} ${seated.join(' and ')} got seats.` : saved;
}
