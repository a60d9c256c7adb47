// Serving the line: "Process next", "Process all" with its progress bar and Stop, and what just happened.

import { useId, useRef } from 'react';
import { type ProcessNextResult, useProcessNext } from '../../api/process-next.ts';
import { Button } from '../../components/button.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { MeterBar } from '../../components/meter-bar.tsx';
import { formatCount, fullName, plural } from '../../lib/format.ts';
import { useUnansweredAction } from '../../lib/use-action-error.ts';
import { type ProcessAllState, useProcessAll } from './use-process-all.ts';

export const MAYBE_SERVED =
  'The server is reachable again, but your last press of Process next got no answer and may have served someone. Press Process next again: if it did, you see whom, and nobody else is served.';

export function ProcessingPanel({ token }: { token: string }) {
  const headingId = useId();
  const next = useProcessNext();
  const all = useProcessAll(token);
  const { running, stopping, done, total } = all.state;
  const { error, maybeDone } = useUnansweredAction(next.error ?? all.state.error);
  // A press of Process next whose answer never came may have served someone: the lists show who, not that this
  // press did. Pressed again, it is sent under the same key (process-next.ts); Process all's requests are not.
  const maybeServed = maybeDone && next.error !== null;
  const processAllRef = useRef<HTMLButtonElement>(null);

  const nextMessage = next.data ? processNextMessage(next.data) : '';

  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>Processing</h2>
      <p className="muted small card__lead">
        VIP tickets are served first, then Regular, each in the order they registered.
      </p>
      <div className="button-row">
        <Button
          variant="primary"
          busy={next.isPending}
          disabled={running}
          onClick={() => {
            // A finished run's outcome and error are superseded by this press.
            all.dismiss();
            next.mutate(token);
          }}
        >
          Process next
        </Button>
        <Button
          ref={processAllRef}
          busy={running}
          disabled={next.isPending}
          onClick={() => {
            next.reset();
            void all.start();
          }}
        >
          Process all
        </Button>
      </div>
      <div className="processing-status">
        {running ? (
          <div className="processing-status__run">
            <div className="processing-status__label">
              <span id={`${headingId}-progress`}>
                {stopping ? 'Stopping once the requests under way are answered…' : 'Processing…'}
              </span>
              <span className="num">
                {formatCount(done)} / {formatCount(total)}
              </span>
            </div>
            <MeterBar
              role="progressbar"
              label="Processing progress"
              value={done}
              max={Math.max(total, done)}
              valueText={`${done} of ${Math.max(total, done)} processed`}
            />
            <Button
              variant="danger-outline"
              disabled={stopping}
              onClick={() => {
                all.stop();
                // Stop goes once the run ends: focus waits on the button that starts another.
                processAllRef.current?.focus();
              }}
            >
              Stop processing
            </Button>
          </div>
        ) : null}
        <p role="status" className="processing-status__message">
          {running
            ? ''
            : next.isPending
              ? 'Serving the next person in line…'
              : // Only this page's presses: another staff member may be serving meanwhile (the log shows all).
                nextMessage ||
                processAllMessage(all.state) ||
                (next.error ? '' : 'Nothing processed from this page yet.')}
        </p>
        {maybeServed ? (
          <p role="alert" className="alert">
            {MAYBE_SERVED}
          </p>
        ) : (
          <ErrorAlert error={error} />
        )}
      </div>
    </section>
  );
}

function processNextMessage({ processed, message, replayed }: ProcessNextResult): string {
  if (replayed) {
    // Pressed again after a press whose answer was lost: the server sent that press's answer, serving nobody new.
    const outcome = processed
      ? `served ${fullName(processed)} (${processed.ticket_type}): ${processed.status}`
      : 'found nobody in the queue';
    return `Your earlier press, whose answer had not arrived, ${outcome}. Nobody else was served.`;
  }
  if (!processed) return message ?? 'No users in queue.';
  return `Served ${fullName(processed)} (${processed.ticket_type}): ${processed.status}.`;
}

function processAllMessage(state: ProcessAllState): string {
  const served = plural(state.done, 'ticket');
  switch (state.outcome) {
    case 'emptied':
      return state.done === 0 ? 'No users in queue.' : `Processed ${served}. The queue is empty.`;
    case 'stopped':
      return `Stopped after ${served}.`;
    case 'failed':
      return `Stopped after ${served} because of an error.`;
    default:
      return '';
  }
}
