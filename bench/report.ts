// What a section hands back (tables of rows, each against a target), and how the whole run is written to
// bench/RESULTS.md and printed.

import { execFileSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { REPO_ROOT } from './children.ts';
import { QUIET_BUSY_SHARE } from './machine-load.ts';
import { formatBytes } from './numbers.ts';

export interface Row {
  cells: string[];
  /** what the row must reach, in words; '' for a row that only informs */
  target: string;
  /** undefined for a row without a target */
  pass?: boolean;
}

export interface Table {
  title: string;
  columns: string[];
  rows: Row[];
  /** short remarks printed under the table */
  notes: string[];
}

export interface RunInfo {
  date: Date;
  flags: string[];
  durationSeconds: number;
  /** the share of the machine's CPU time busy in the second before the run started, when known */
  busyBefore: number | undefined;
}

export function failedRows(tables: readonly Table[]): Row[] {
  return tables.flatMap((table) => table.rows.filter((row) => row.pass === false));
}

export function renderMarkdown(tables: readonly Table[], run: RunInfo): string {
  const failed = failedRows(tables).length;
  const checked = tables.flatMap((table) => table.rows).filter((row) => row.pass !== undefined).length;
  const lines = [
    '# Benchmark results',
    '',
    `- Date: ${run.date.toISOString().replace('T', ' ').slice(0, 16)} UTC`,
    `- Commit: ${commit()}`,
    `- Machine: ${machine()}`,
    `- Before the run: ${quietness(run.busyBefore)}`,
    `- Run: \`pnpm bench${run.flags.length ? ` ${run.flags.join(' ')}` : ''}\`, ${Math.round(run.durationSeconds)} s`,
    `- Outcome: ${failed === 0 ? `all ${checked} targets met` : `${failed} of ${checked} targets missed`}`,
    '',
  ];
  for (const table of tables) lines.push(`## ${table.title}`, '', ...renderTable(table), '', ...notes(table));
  lines.push(
    '## How to read this',
    '',
    '- HTTP ratios are against a bare Fastify 5 route (`GET /` answering `{"ok":true}`) measured in the same run,',
    '  on the same machine, alternating baseline and target so that drift cancels; each ratio is the median of',
    '  the rounds. Absolute numbers (req/s, ms, µs) are only comparable within one run: the load generator,',
    '  the servers and anything else running share the same cores.',
    '- Every HTTP measurement is a series of autocannon runs of a fixed number of requests (each sized to last',
    '  about a second at the rate just seen) over 50 connections, and each run waits for all its answers, so',
    '  the counts of answers are exact. Latency is measured per request by autocannon, in the bench process.',
    "- The server's CPU time per request (its main thread, from /proc) is what a route itself costs: unlike req/s,",
    '  it hardly moves with the load generator, which takes much of the same two cores. While both servers are',
    "  busy, a route's ratio is about the bare route's cost over its own: 15 µs against 50 µs gives about 0.3.",
    '- Engine timings are in-process (no HTTP, no disk) with the queue held at the stated size: "typical" is the',
    '  median over groups of 10 operations (what the operation itself costs), "mean" also carries garbage',
    '  collection and time lost to other processes.',
    '- Recovery is the time from spawning `node apps/api/dist/server.js` on a generated journal to its',
    '  "running at" line; peak RSS is from `/usr/bin/time -v`.',
    '- Where does the time go? `node --import tsx bench/profile.ts register|process_next|summary|summary304|recovery`',
    '  runs one of these loads against the built server under `--cpu-prof` and lists the top self-time functions.',
    '',
  );
  return lines.join('\n');
}

/** How busy the machine was before the run, in words: a busy one makes every figure of the run slower. */
function quietness(busy: number | undefined): string {
  if (busy === undefined) return 'unknown how busy the machine was (no /proc/stat)';
  const share = `${Math.round(busy * 100)}% of the CPU time busy in the second before the run`;
  return busy > QUIET_BUSY_SHARE
    ? `**not quiet**: ${share}, with other work on the cores the run then shared, so its figures are slower than the machine's`
    : `quiet (${share})`;
}

/** Plain-text rendering for the terminal: the same tables, without the header. */
export function renderConsole(tables: readonly Table[]): string {
  return tables
    .map((table) => [table.title, ...renderTable(table), ...table.notes.map((note) => `- ${note}`)].join('\n'))
    .join('\n\n');
}

function renderTable(table: Table): string[] {
  const header = [...table.columns, 'target', 'result'];
  const body = table.rows.map((row) => [
    ...row.cells,
    row.target || '–',
    row.pass === undefined ? '–' : row.pass ? 'PASS' : '**FAIL**',
  ]);
  const widths = header.map((cell, i) => Math.max(cell.length, ...body.map((cells) => (cells[i] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((cell, i) => cell.padEnd(widths[i] as number)).join(' | ')} |`;
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...body.map(line)];
}

function notes(table: Table): string[] {
  return table.notes.length ? [...table.notes.map((note) => `- ${note}`), ''] : [];
}

function commit(): string {
  try {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
    const hash = git('rev-parse', '--short', 'HEAD');
    return git('status', '--porcelain') === '' ? hash : `${hash} (dirty)`;
  } catch {
    return 'unknown (not a git checkout)';
  }
}

function machine(): string {
  const cores = cpus();
  return `${cores.length} cores (${cores[0]?.model.trim() ?? 'unknown CPU'}), ${formatBytes(totalmem())} memory, Node ${process.version}`;
}
