// The ticket vocabulary shared by the engine, the API and the client: types, statuses and input rules.

export const TICKET_TYPES = ['VIP', 'Regular'] as const;
export type TicketType = (typeof TICKET_TYPES)[number];

export const TICKET_STATUSES = ['Queued', 'Confirmed', 'Sold Out', 'Cancelled'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

/** Who caused a change: the ticket holder, the staff, or the system itself (waitlist promotion, import). */
export const ACTORS = ['attendee', 'staff', 'system'] as const;
export type Actor = (typeof ACTORS)[number];

/** The original product's figures, used when a new event is created without other instructions. */
export const DEFAULT_CAPACITY: Readonly<Record<TicketType, number>> = { VIP: 3, Regular: 5 };

export const NAME_MAX_LENGTH = 100;
/** The largest capacity staff may set for one ticket type. */
export const CAPACITY_MAX = 1_000_000;

const countFormat = new Intl.NumberFormat('en');

/** A count as people read it, in the API's messages and on the pages: grouped in thousands ("1,250,000"). */
export function groupThousands(count: number): string {
  return countFormat.format(count);
}

/** Why a capacity below the seats already sold is refused, in the API's words and the staff form's. */
export function capacityBelowSoldMessage(type: TicketType, wanted: number, sold: number): string {
  return `${type} capacity cannot be ${groupThousands(wanted)}: ${sold === 1 ? '1 seat is' : `${groupThousands(sold)} seats are`} already sold`;
}

export const MESSAGES = {
  nameRequired: 'First name and last name are required',
  nameTooLong: `Names can be at most ${NAME_MAX_LENGTH} characters`,
  nameControlCharacters: 'Names cannot contain control or invisible formatting characters',
  nameNotText: 'Names must be sent as UTF-8 text',
  invalidTicketType: 'Invalid ticket type',
} as const;

/** Accepts any letter case and surrounding spaces ("vip", " REGULAR "); returns undefined for anything else. */
export function parseTicketType(input: unknown): TicketType | undefined {
  if (typeof input !== 'string') return undefined;
  const wanted = input.trim().toLowerCase();
  return TICKET_TYPES.find((type) => type.toLowerCase() === wanted);
}

// Cc covers C0/C1 controls (tab, newline, NUL...). Cf covers invisible format characters: bidi overrides that
// could disguise a name, zero-width spaces, soft hyphens. The zero-width joiner and non-joiner (U+200C, U+200D)
// are allowed: some scripts and emoji need them. Cs is a lone half of a surrogate pair: not text at all, and
// UTF-8 (the journal) cannot hold it. Zl and Zp are the line and paragraph separators (U+2028, U+2029): breaks
// that editors and spreadsheets may split a line of the journal at.
const FORBIDDEN_IN_NAME = /[\p{Cc}\p{Cs}\p{Zl}\p{Zp}]|(?![\u200C\u200D])\p{Cf}/u;
/** The same, to replace every one: kept apart, as .test on a global regex carries lastIndex between calls. */
const EVERY_FORBIDDEN_IN_NAME = new RegExp(FORBIDDEN_IN_NAME, 'gu');
/**
 * A name needs one character people can see: a letter, digit, symbol or punctuation that is not a filler (the
 * Braille blank, U+2800, is a symbol that shows nothing).
 */
const VISIBLE = /(?!\p{Default_Ignorable_Code_Point}|\u2800)[\p{L}\p{N}\p{S}\p{P}]/u;
/** What a decoder puts where the bytes were not UTF-8: the sender's encoding is wrong, not the name. */
const REPLACEMENT_CHARACTER = '\uFFFD';

export type NameCheck = { ok: true; value: string } | { ok: false; message: string };

/**
 * Trims a name and checks the product's rules: 1–100 characters of any script, something visible, no control
 * or invisible formatting characters. Names are kept in Unicode's composed form (NFC), so "José" typed with a
 * combining accent is the same name, of the same length, as "José" typed with the accented letter.
 */
export function checkName(input: unknown): NameCheck {
  if (typeof input !== 'string') return { ok: false, message: MESSAGES.nameRequired };
  const value = input.trim().normalize('NFC');
  if (value.length === 0) return { ok: false, message: MESSAGES.nameRequired };
  if (countCharacters(value) > NAME_MAX_LENGTH) return { ok: false, message: MESSAGES.nameTooLong };
  if (FORBIDDEN_IN_NAME.test(value)) return { ok: false, message: MESSAGES.nameControlCharacters };
  if (value.includes(REPLACEMENT_CHARACTER)) return { ok: false, message: MESSAGES.nameNotText };
  if (!VISIBLE.test(value)) return { ok: false, message: MESSAGES.nameRequired };
  return { ok: true, value };
}

/**
 * A name from data the product did not write (the original app's files) made to follow the rules: controls
 * become spaces, invisible formatting goes, and it is cut to length. A name with nothing visible left is
 * `fallback`.
 */
export function repairName(input: string, fallback: string): string {
  const cleaned = input
    .normalize('NFC')
    .replace(EVERY_FORBIDDEN_IN_NAME, (found) => (/[\p{Cc}\p{Zl}\p{Zp}]/u.test(found) ? ' ' : ''))
    .replaceAll(REPLACEMENT_CHARACTER, '?')
    .trim();
  const cut =
    countCharacters(cleaned) > NAME_MAX_LENGTH ? [...cleaned].slice(0, NAME_MAX_LENGTH).join('').trim() : cleaned;
  return VISIBLE.test(cut) ? cut : fallback;
}

/** Characters as people count them, near enough: code points, so an emoji outside the BMP is one, not two. */
function countCharacters(text: string): number {
  // Only a string with a surrogate pair has fewer code points than UTF-16 units.
  if (text.length <= NAME_MAX_LENGTH) return text.length;
  let count = 0;
  for (const _ of text) count++;
  return count;
}

export interface Registration {
  first_name: string;
  last_name: string;
  ticket_type: TicketType;
}

export type RegistrationCheck =
  | { ok: true; value: Registration }
  | { ok: false; message: string; field: 'first_name' | 'last_name' | 'ticket_type' };

/** Validates a registration form exactly as the API does, so the page can show the same message inline. */
export function checkRegistration(input: {
  first_name?: unknown;
  last_name?: unknown;
  ticket_type?: unknown;
}): RegistrationCheck {
  const first = checkName(input.first_name);
  if (!first.ok) return { ok: false, message: first.message, field: 'first_name' };
  const last = checkName(input.last_name);
  if (!last.ok) return { ok: false, message: last.message, field: 'last_name' };
  const ticketType = parseTicketType(input.ticket_type);
  if (!ticketType) return { ok: false, message: MESSAGES.invalidTicketType, field: 'ticket_type' };
  return { ok: true, value: { first_name: first.value, last_name: last.value, ticket_type: ticketType } };
}

/** Ticket ids: six characters from an alphabet without look-alikes (no 0/O, 1/I/L), shown as "ABC-DEF". */
export const TICKET_ID_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const TICKET_ID_PATTERN = '^[2-9A-HJKMNP-Z]{3}-[2-9A-HJKMNP-Z]{3}$';

/** Builds an id from a source of uniform random integers in [0, max), such as crypto.randomInt. */
export function generateTicketId(randomInt: (max: number) => number): string {
  let id = '';
  for (let i = 0; i < 6; i++) {
    if (i === 3) id += '-';
    id += TICKET_ID_ALPHABET[randomInt(TICKET_ID_ALPHABET.length)];
  }
  return id;
}

/** Normalises what a person types as a ticket id ("abc def", "abcdef") to the canonical "ABC-DEF". */
export function normaliseTicketId(input: string): string {
  const compact = input.toUpperCase().replace(/[^0-9A-Z]/g, '');
  return compact.length === 6 ? dashed(compact) : input.trim().toUpperCase();
}

const TICKET_ID = new RegExp(TICKET_ID_PATTERN);

/** What a person typed as a ticket id, in its canonical form when it can be one; undefined when it cannot. */
export function parseTicketId(input: string): string | undefined {
  const id = normaliseTicketId(input);
  return TICKET_ID.test(id) ? id : undefined;
}

/**
 * The start of a ticket id that a search names ("aaw", "AAW-G", "aawg f"), in the id's own form ("AAW", "AAW-G",
 * "AAW-GF"); undefined for a query too short or too long to be one, or with characters ids never have.
 */
export function ticketIdPrefix(query: string): string | undefined {
  const compact = query.toUpperCase().replace(/[\s-]/g, '');
  if (compact.length < 3 || compact.length > 6 || !/^[0-9A-Z]+$/.test(compact)) return undefined;
  return compact.length === 3 ? compact : dashed(compact);
}

/** An id's characters, without its dash, written as ids are ("ABCDEF" -> "ABC-DEF"). */
function dashed(compact: string): string {
  return `${compact.slice(0, 3)}-${compact.slice(3)}`;
}

/** The lists staff see (GET /queue), in serving order; "Confirmed" lists seat holders in the order they got their seat. */
export const QUEUE_LISTS = [
  'VIP Queue',
  'Regular Queue',
  'VIP Waitlist',
  'Regular Waitlist',
  'VIP Confirmed',
  'Regular Confirmed',
] as const;
export type QueueList = (typeof QUEUE_LISTS)[number];
