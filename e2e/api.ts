// Direct HTTP calls to the app, for setting up and checking what the browser journeys cannot see.

import type { APIRequestContext, APIResponse } from '@playwright/test';
import type {
  Availability,
  CancelResponse,
  ProcessNextResponse,
  ProcessUserResponse,
  QueueResponse,
  RegisterResponse,
  SummaryData,
  Ticket,
  TicketType,
} from '@ticketing/shared';

export interface Person {
  first_name: string;
  last_name: string;
  ticket_type: TicketType;
}

/** Calls the API as staff unless a ticket token is given; every helper fails loudly on an unexpected status. */
export class Api {
  constructor(
    readonly request: APIRequestContext,
    readonly staffToken: string,
  ) {}

  register(person: Person): Promise<RegisterResponse> {
    return this.json(this.request.post('/api/register', { data: person }), 201);
  }

  processNext(): Promise<ProcessNextResponse> {
    return this.json(this.request.post('/api/process_next', { data: {}, headers: this.staff() }));
  }

  processUser(id: string, token = this.staffToken): Promise<ProcessUserResponse> {
    return this.json(this.request.post('/api/process_user', { data: { id }, headers: bearer(token) }));
  }

  cancel(id: string, token = this.staffToken): Promise<CancelResponse> {
    return this.json(this.request.delete('/api/cancel_ticket', { data: { id }, headers: bearer(token) }));
  }

  ticket(id: string, token = this.staffToken): Promise<Ticket> {
    return this.json(this.request.get(`/api/tickets/${encodeURIComponent(id)}`, { headers: bearer(token) }));
  }

  queue(): Promise<QueueResponse> {
    return this.json(this.request.get('/queue', { headers: this.staff() }));
  }

  summary(): Promise<SummaryData> {
    return this.json(this.request.get('/summary_data'));
  }

  availability(): Promise<Availability> {
    return this.json(this.request.get('/availability'));
  }

  /** Returns the raw response: callers check both the success and the 409 path. */
  putCapacity(capacity: Partial<Record<TicketType, number>>): Promise<APIResponse> {
    return this.request.put('/api/capacity', { data: capacity, headers: this.staff() });
  }

  /** Registers everyone in order, one after the other, so their queue order is the list order. */
  async registerAll(people: readonly Person[]): Promise<RegisterResponse[]> {
    const tickets: RegisterResponse[] = [];
    for (const person of people) tickets.push(await this.register(person));
    return tickets;
  }

  /** Processes the head of the queue until the queue is empty. */
  async processEveryone(): Promise<void> {
    for (;;) {
      const answer = await this.processNext();
      if (answer.processed === null) return;
    }
  }

  private staff() {
    return bearer(this.staffToken);
  }

  private async json<T>(pending: Promise<APIResponse>, expectedStatus = 200): Promise<T> {
    const response = await pending;
    if (response.status() !== expectedStatus) {
      throw new Error(
        `${response.url()} answered ${response.status()} (expected ${expectedStatus}): ${await response.text()}`,
      );
    }
    return (await response.json()) as T;
  }
}

export function bearer(token: string): Record<string, string> {
  return { Authorization: `Bearer ${token}` };
}
