// The "Capacity" section: seats per type, never below seats sold (checked here, and by the API).

import { type SummaryData, TICKET_TYPES } from '@ticketing/shared';
import { useId } from 'react';
import { Button } from '../../components/button.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { formatCount } from '../../lib/format.ts';
import { useActionError } from '../../lib/use-action-error.ts';
import { fieldId, useCapacityForm } from './use-capacity-form.ts';

export function CapacityPanel({ token, summary }: { token: string; summary: SummaryData | undefined }) {
  const headingId = useId();
  const form = useCapacityForm(token, summary);
  const saveError = useActionError(form.save.error);
  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>Capacity</h2>
      <form className="form" noValidate onSubmit={form.handleSubmit} aria-labelledby={headingId}>
        <div className="form__row">
          {TICKET_TYPES.map((type) => {
            const error = form.errors[type];
            return (
              <div key={type} className="field">
                <label htmlFor={fieldId(type)} className="field__label">
                  {type} capacity
                </label>
                <p id={`${fieldId(type)}-hint`} className="field__hint">
                  {form.figures ? `${formatCount(form.figures.sold[type])} sold, cannot go lower` : 'Loading…'}
                </p>
                <input
                  id={fieldId(type)}
                  type="number"
                  inputMode="numeric"
                  min={form.figures?.sold[type] ?? 0}
                  step={1}
                  className="field__input field__input--number"
                  value={form.draftValue(type)}
                  disabled={!form.figures}
                  aria-invalid={error ? true : undefined}
                  aria-describedby={`${fieldId(type)}-hint${error ? ` ${fieldId(type)}-error` : ''}`}
                  onChange={(event) => form.change(type, event.target.value)}
                />
                {/* The same sentence the API answers with a 409, so it is announced like the API's would be. */}
                <div className="field__error-slot">
                  {error && (
                    <p id={`${fieldId(type)}-error`} role="alert" className="field__error">
                      {error}
                    </p>
                  )}
                </div>
              </div>
            );
          })}
        </div>
        <div className="form__actions">
          <Button type="submit" variant="primary" busy={form.save.isPending} disabled={!form.figures}>
            Save capacity
          </Button>
        </div>
        <p role="status" className="form__status">
          {form.saved}
        </p>
        <ErrorAlert error={saveError} />
      </form>
    </section>
  );
}
