// The transaction log for staff: searchable and paged as JSON, or whole as a CSV download.

import { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  DomainError,
  ErrorSchema,
  type JournalEvent,
  MESSAGES,
  parseTicketType,
  TICKET_STATUSES,
  TRANSACTION_COLUMNS,
  TransactionsQuerySchema,
  TransactionsResponseSchema,
} from '@ticketing/shared';
import type { FastifyReply } from 'fastify';
import { encodeRecords } from '../lib/csv-cells.ts';
import { toTransaction } from '../store/engine-store.ts';

/** Tells Excel the file is UTF-8; without it, a double-clicked download shows "José" as "JosÃ©". */
const UTF8_BYTE_ORDER_MARK = '\uFEFF';

async function* csvLines(journal: AsyncIterable<JournalEvent>): AsyncGenerator<string> {
  yield `${UTF8_BYTE_ORDER_MARK}${TRANSACTION_COLUMNS.join(',')}\n`;
  let rows: (string | number | null)[][] = [];
  for await (const event of journal) {
    const transaction = toTransaction(event);
    rows.push(TRANSACTION_COLUMNS.map((column) => transaction[column]));
    if (rows.length === 1000) {
      yield encodeRecords(rows);
      rows = [];
    }
  }
  yield encodeRecords(rows);
}

const transactions: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/transactions',
    {
      schema: {
        querystring: TransactionsQuerySchema,
        response: { 200: TransactionsResponseSchema, 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema },
      },
      config: { auth: 'staff' },
    },
    async (request) => {
      const { status, limit = 50, offset = 0, up_to_seq } = request.query;
      // Names are kept composed (NFC): a query typed with combining accents must find them too.
      const q = request.query.q?.normalize('NFC');
      const ticket_type =
        request.query.ticket_type === undefined ? undefined : parseTicketType(request.query.ticket_type);
      if (request.query.ticket_type !== undefined && !ticket_type) {
        throw new DomainError('VALIDATION_ERROR', MESSAGES.invalidTicketType, { field: 'ticket_type' });
      }
      // An unknown status would match nothing, and read as "no such transactions".
      if (status !== undefined && !TICKET_STATUSES.some((known) => known.toLowerCase() === status.toLowerCase())) {
        throw new DomainError('VALIDATION_ERROR', `status must be one of ${TICKET_STATUSES.join(', ')}.`, {
          field: 'status',
        });
      }
      const page = await app.store.transactions({ q, ticket_type, status, limit, offset, up_to_seq });
      return { ...page, limit, offset };
    },
  );

  app.get(
    '/api/transactions.csv',
    { schema: { response: { 401: ErrorSchema, 403: ErrorSchema } }, config: { auth: 'staff' } },
    async (_request, reply) => {
      const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');
      reply
        .header('Content-Type', 'text/csv; charset=utf-8')
        .header('Content-Disposition', `attachment; filename="transactions-${stamp}.csv"`)
        .header('Cache-Control', 'no-store');
      return (reply as FastifyReply).send(Readable.from(csvLines(app.store.journal())));
    },
  );
};

export default transactions;
