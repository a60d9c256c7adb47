// How numbers and times read on screen: waits, ages and timestamps, in plain words.

import { groupThousands } from '@ticketing/shared';

/**
 * The estimated wait of a queued ticket: "under a minute", "about 4 min", "about 2 h 5 min", "more than a day"
 * (a pace that slow, such as one measured long ago, says no more than that), or "not known yet" when the API
 * has no rate.
 */
export function formatEstimatedWait(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return 'not known yet';
  if (seconds < 60) return 'under a minute';
  if (seconds > 24 * 3600) return 'more than a day';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `about ${minutes} min`;
  const rest = minutes % 60;
  return `about ${Math.floor(minutes / 60)} h${rest > 0 ? ` ${rest} min` : ''}`;
}

/** A count as the pages show it, grouped in thousands ("1,250,000"); a dash until it is known. */
export function formatCount(value: number | undefined): string {
  return value === undefined ? '—' : groupThousands(value);
}

/**
 * How long someone has been waiting since `since` (ISO time): "< 1 min", "3 min", "2 h 5 min", and from a day
 * on "3 d 4 h" (short: it sits in a table, and registration may open days before the sale).
 */
export function formatWaiting(since: string, now: number): string {
  const start = Date.parse(since);
  if (Number.isNaN(start)) return '—';
  const minutes = Math.floor(Math.max(0, now - start) / 60_000);
  if (minutes < 1) return '< 1 min';
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ${minutes % 60} min`;
  return `${groupThousands(Math.floor(hours / 24))} d ${hours % 24} h`;
}

/** Seconds elapsed since a moment, never negative (clocks of tabs and timers drift by a few ms). */
export function secondsSince(time: number, now: number): number {
  return Math.max(0, Math.floor((now - time) / 1000));
}

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

/** A log time: only the clock time for today, the date too for older entries. */
export function formatLogTime(iso: string, now: Date = new Date()): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toDateString() === now.toDateString() ? timeFormat.format(date) : dateTimeFormat.format(date);
}

/** "1 seat" / "3 seats" / "2,665 seats". */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${formatCount(count)} ${count === 1 ? one : many}`;
}

export function fullName(person: { first_name: string; last_name: string }): string {
  return `${person.first_name} ${person.last_name}`;
}
