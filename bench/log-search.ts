// What the staff page's log search costs on a long journal, while the sale goes on: the page asks its search
// again every 5 s, and the journal grows between two asks. Measured against the built server, one request at a
// time, beside the newest page of the unsearched log (served from memory) as this machine's floor.

import { startProduct } from './children.ts';
import { makeTempDir, removeTempDir } from './cleanup.ts';
import { writeJournal } from './journal.ts';
import { formatMs, formatNumber, formatPowerOfTen, median } from './numbers.ts';
import type { Table } from './report.ts';

export interface LogSearchOptions {
  events: number;
  /** times the journal grows (registrations in between) and the searches are asked again */
  rounds: number;
  registrationsPerRound: number;
}

/** Last names of the generated journals (bench/journal.ts): each is in one registration in nine. */
const SEARCHES = ['hopper', 'knuth', 'turing'];
const PAGE = 50;

interface Answer {
  ms: number;
  total: number;
  items: number;
}

export async function runLogSearch(options: LogSearchOptions): Promise<Table[]> {
  const dataDir = makeTempDir('log-search');
  try {
    await writeJournal(dataDir, { events: options.events, kind: 'sale' });
    const server = await startProduct({ dataDir });
    try {
      const ask = async (query: string): Promise<Answer> => {
        const started = performance.now();
        const response = await fetch(`${server.url}/api/transactions?${query}`, {
          headers: { authorization: `Bearer ${server.staffToken}` },
        });
        const body = (await response.json()) as { total: number; items: unknown[] };
        if (response.status !== 200) throw new Error(`GET /api/transactions?${query}: ${response.status}`);
        return { ms: performance.now() - started, total: body.total, items: body.items.length };
      };
      const register = async (n: number) => {
        const response = await fetch(`${server.url}/api/register`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ first_name: `Late${n}`, last_name: 'Arrival', ticket_type: 'Regular' }),
        });
        if (response.status !== 201) throw new Error(`POST /api/register: ${response.status}`);
      };

      const latest: Answer[] = [];
      for (let i = 0; i < 5; i++) latest.push(await ask(`limit=${PAGE}`));
      const first: Answer[] = [];
      for (const q of SEARCHES) first.push(await ask(`q=${q}&limit=${PAGE}`));
      const again: Answer[] = [];
      let registered = 0;
      for (let round = 0; round < options.rounds; round++) {
        for (let i = 0; i < options.registrationsPerRound; i++) await register(registered++);
        for (const q of SEARCHES) again.push(await ask(`q=${q}&limit=${PAGE}`));
      }
      const deep: Answer[] = [];
      const matches = (again.at(-1) as Answer).total;
      for (const share of [0.25, 0.5, 0.75]) {
        deep.push(await ask(`q=${SEARCHES.at(-1)}&limit=${PAGE}&offset=${Math.floor(matches * share)}`));
      }
      // Beyond the newest events the server keeps in memory (5 000), the whole log's pages come from the journal.
      const wholeLog: Answer[] = [];
      for (const share of [0.9, 0.5, 0.1, 0]) {
        wholeLog.push(await ask(`limit=${PAGE}&offset=${Math.floor(options.events * share)}`));
      }
      const row = (what: string, answers: Answer[]) => ({
        cells: [
          what,
          formatMs(median(answers.map((a) => a.ms))),
          formatMs(Math.max(...answers.map((a) => a.ms))),
          String(answers.length),
          formatNumber(median(answers.map((a) => a.total))),
        ],
        target: '',
      });
      return [
        {
          title: `Transaction log search on a journal of ${formatPowerOfTen(options.events)} events (staff page)`,
          columns: ['request', 'median', 'slowest', 'requests', 'matches'],
          rows: [
            row('reference: the newest page, unsearched (from memory)', latest),
            row('a search asked for the first time', first),
            row(`the same search again, after ${options.registrationsPerRound} more registrations`, again),
            row('a page of it a quarter, half and three quarters deep', deep),
            row('the whole log, unsearched, a page beyond those in memory: the first', wholeLog.slice(0, 1)),
            row(
              'the whole log, unsearched: the pages after it (half, nine tenths deep, the oldest)',
              wholeLog.slice(1),
            ),
          ],
          notes: [
            `Searches for ${SEARCHES.map((q) => `"${q}"`).join(', ')}, each in one registration in nine, ${PAGE} to a page, one request at a time. The staff page asks its search again every 5 s while it is open, and the journal grows in between: ${options.rounds} rounds of ${options.registrationsPerRound} registrations, each followed by the three searches again.`,
            'A first search reads the whole journal; asked again, only the lines appended since; a page reads only its own lines. The unsearched log is read the same way for its pages beyond the newest 5 000 events, which are served from memory.',
          ],
        },
      ];
    } finally {
      await server.stop();
    }
  } finally {
    removeTempDir(dataDir);
  }
}
