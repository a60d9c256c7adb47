// The registration form's state: values, inline errors checked with the API's own rules, and submission.

import { checkName, checkRegistration, type Registration, type TicketType } from '@ticketing/shared';
import { type FormEvent, useRef, useState } from 'react';

export type RegistrationField = 'first_name' | 'last_name' | 'ticket_type';
export type RegistrationErrors = Partial<Record<RegistrationField, string>>;
export interface RegistrationValues {
  first_name: string;
  last_name: string;
  ticket_type: TicketType;
}

const INITIAL: RegistrationValues = { first_name: '', last_name: '', ticket_type: 'Regular' };
const FIELD_ORDER: RegistrationField[] = ['first_name', 'last_name', 'ticket_type'];

/** Every field's error at once (checkRegistration stops at the first), in the API's exact words. */
export function validateRegistration(values: RegistrationValues): RegistrationErrors {
  const errors: RegistrationErrors = {};
  const first = checkName(values.first_name);
  if (!first.ok) errors.first_name = first.message;
  const last = checkName(values.last_name);
  if (!last.ok) errors.last_name = last.message;
  const whole = checkRegistration(values);
  if (!whole.ok) errors[whole.field] ??= whole.message;
  return errors;
}

export function useRegistrationForm(submit: (registration: Registration) => void) {
  const [values, setValues] = useState<RegistrationValues>(INITIAL);
  const [errors, setErrors] = useState<RegistrationErrors>({});
  // Errors appear for a field once it was left after typing, or for all fields after a submit attempt;
  // until then an empty field the person has not reached yet is not an error.
  const [shown, setShown] = useState<Set<RegistrationField>>(() => new Set());
  const fieldRefs = useRef<Partial<Record<RegistrationField, HTMLInputElement | null>>>({});
  /** the values as the last submission sent them */
  const submitted = useRef<RegistrationValues | null>(null);
  // reset() runs from the answer's callback, made at submission: it must see the values typed since.
  const latest = useRef(values);
  latest.current = values;

  const visibleErrors = (next: RegistrationValues, visible: Set<RegistrationField>) => {
    const all = validateRegistration(next);
    const result: RegistrationErrors = {};
    for (const field of visible) if (all[field]) result[field] = all[field];
    return result;
  };

  const change = (field: RegistrationField, value: string) => {
    const next = { ...values, [field]: value } as RegistrationValues;
    setValues(next);
    setErrors(visibleErrors(next, shown));
  };

  const blur = (field: RegistrationField) => {
    if (values[field] === INITIAL[field]) return;
    const visible = new Set(shown).add(field);
    setShown(visible);
    setErrors(visibleErrors(values, visible));
  };

  const handleSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const visible = new Set(FIELD_ORDER);
    setShown(visible);
    const all = validateRegistration(values);
    setErrors(all);
    const firstInvalid = FIELD_ORDER.find((field) => all[field]);
    if (firstInvalid) {
      fieldRefs.current[firstInvalid]?.focus();
      return;
    }
    const checked = checkRegistration(values);
    if (!checked.ok) return;
    submitted.current = values;
    submit(checked.value);
  };

  /**
   * Clears the names for the next person once the registration submitted went through; the ticket type stays,
   * as it usually repeats. Names typed while it was on its way (the next person's) are kept.
   */
  const reset = () => {
    const sent = submitted.current;
    if (!sent || FIELD_ORDER.some((field) => latest.current[field] !== sent[field])) return;
    setValues((current) => ({ ...INITIAL, ticket_type: current.ticket_type }));
    setErrors({});
    setShown(new Set());
  };

  return { values, errors, change, blur, handleSubmit, reset, fieldRefs };
}
