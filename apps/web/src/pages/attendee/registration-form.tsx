// The "Register for a ticket" form: name, ticket type, inline errors, and the API's answer.

import { NAME_MAX_LENGTH, TICKET_TYPES } from '@ticketing/shared';
import { useId } from 'react';
import { useAvailability } from '../../api/availability.ts';
import { useRegister } from '../../api/register.ts';
import { Button } from '../../components/button.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { TextField } from '../../components/text-field.tsx';
import { formatCount } from '../../lib/format.ts';
import { useUnansweredAction } from '../../lib/use-action-error.ts';
import { useRegistrationForm } from './use-registration-form.ts';

const TYPE_HINT = { VIP: 'Served first', Regular: 'Standard entry' } as const;
/** Still a choice: a registration for a sold-out type waits on its waitlist for a seat to come free. */
const SOLD_OUT_HINT = 'Sold out: you join the waitlist';

const NAME_FIELDS = [
  { name: 'first_name', label: 'First name', autoComplete: 'given-name' },
  { name: 'last_name', label: 'Last name', autoComplete: 'family-name' },
] as const;

export const MAYBE_REGISTERED =
  'The server is reachable again, but your registration may not have reached it. Press Register again: if it did, you get that ticket, not a second one.';

export function RegistrationForm({ onRegistered }: { onRegistered: (id: string, announcement: string) => void }) {
  const headingId = useId();
  const typeLegendId = useId();
  const typeErrorId = useId();
  const register = useRegister();
  // The same polled answer as the Availability panel beside the form (one request for both).
  const availability = useAvailability();
  // Unlike a purchase or a cancellation, nothing else on the page would ever show a registration made unseen.
  const { error: registerError, maybeDone: maybeRegistered } = useUnansweredAction(register.error);
  const form = useRegistrationForm((registration) =>
    register.mutate(registration, {
      // Only while the form is on screen; the ticket itself is kept by the mutation, whatever page is open.
      onSuccess: (ticket) => {
        form.reset();
        onRegistered(
          ticket.id,
          `Ticket ${ticket.id} registered for ${ticket.first_name} ${ticket.last_name}: place in ${ticket.ticket_type} queue ${formatCount(ticket.queue_position)}.`,
        );
      },
    }),
  );
  const { values, errors } = form;

  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>Register for a ticket</h2>
      <form aria-labelledby={headingId} noValidate onSubmit={form.handleSubmit} className="form">
        <div className="form__row">
          {NAME_FIELDS.map((field) => (
            <TextField
              key={field.name}
              ref={(el) => {
                form.fieldRefs.current[field.name] = el;
              }}
              label={field.label}
              name={field.name}
              autoComplete={field.autoComplete}
              maxLength={NAME_MAX_LENGTH * 2}
              value={values[field.name]}
              error={errors[field.name]}
              onChange={(event) => form.change(field.name, event.target.value)}
              onBlur={() => form.blur(field.name)}
            />
          ))}
        </div>
        {/* A radiogroup rather than fieldset/legend: the contract selects it by that role and name. */}
        <div
          className="choice-group"
          role="radiogroup"
          aria-labelledby={typeLegendId}
          aria-describedby={errors.ticket_type ? typeErrorId : undefined}
        >
          <span id={typeLegendId} className="field__label">
            Ticket type
          </span>
          <div className="choice-group__options">
            {TICKET_TYPES.map((type) => {
              const soldOut = availability.data?.[type] === 0;
              return (
                // The whole card is the label, so a click anywhere on it (or on the radio itself) picks the type.
                <label key={type} className={`choice choice--${type.toLowerCase()}`}>
                  <input
                    type="radio"
                    name="ticket_type"
                    value={type}
                    checked={values.ticket_type === type}
                    onChange={() => form.change('ticket_type', type)}
                    // The type alone is the radio's name; the hint is its description, not part of the name.
                    aria-labelledby={`${typeLegendId}-${type}`}
                    aria-describedby={`${typeLegendId}-${type}-hint`}
                  />
                  <span id={`${typeLegendId}-${type}`} className="choice__label">
                    {type}
                  </span>
                  <span
                    id={`${typeLegendId}-${type}-hint`}
                    className={soldOut ? 'choice__hint choice__hint--sold-out' : 'choice__hint'}
                  >
                    {soldOut ? SOLD_OUT_HINT : TYPE_HINT[type]}
                  </span>
                </label>
              );
            })}
          </div>
          {errors.ticket_type && (
            <p id={typeErrorId} className="field__error">
              {errors.ticket_type}
            </p>
          )}
        </div>
        <div className="form__actions">
          <Button type="submit" variant="primary" busy={register.isPending}>
            Register
          </Button>
        </div>
        {maybeRegistered ? (
          <p role="alert" className="alert">
            {MAYBE_REGISTERED}
          </p>
        ) : (
          <ErrorAlert error={registerError} />
        )}
      </form>
    </section>
  );
}
