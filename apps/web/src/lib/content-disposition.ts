// The file name a download's Content-Disposition header gives (RFC 6266), made safe to save under.

/** `; name=value` pairs after the disposition type; a value is a quoted string or a bare token. */
const PARAMETER = /;\s*([^\s=;]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)/g;
/** RFC 8187's ext-value of `filename*`: charset'language'percent-encoded bytes. */
const EXT_VALUE = /^([^']*)'[^']*'(.*)$/;

/**
 * `filename*` (any script, percent-encoded) wins over the plain `filename`, as RFC 6266 asks. Folders are
 * dropped and control characters removed; null when the header names no usable file.
 */
export function fileNameFromContentDisposition(header: string | null): string | null {
  if (!header) return null;
  const parameters = new Map<string, string>();
  for (const [, name = '', raw = ''] of header.matchAll(PARAMETER)) {
    const value = raw.trim();
    const unquoted = value.startsWith('"') ? value.slice(1, -1).replace(/\\(.)/g, '$1') : value;
    parameters.set(name.toLowerCase(), unquoted);
  }
  const extended = parameters.get('filename*');
  const candidates = [extended === undefined ? null : decodeExtValue(extended), parameters.get('filename') ?? null];
  for (const candidate of candidates) {
    const safe = candidate === null ? null : safeFileName(candidate);
    if (safe) return safe;
  }
  return null;
}

function decodeExtValue(value: string): string | null {
  const match = EXT_VALUE.exec(value);
  if (!match) return null;
  const [, charset = '', encoded = ''] = match;
  try {
    if (charset.toLowerCase() === 'utf-8') return decodeURIComponent(encoded);
    // The only other charset RFC 8187 requires: one byte per character.
    if (charset.toLowerCase() === 'iso-8859-1') {
      return encoded.replace(/%([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
    }
  } catch {
    // Malformed percent-encoding: fall back to the plain filename.
  }
  return null;
}

function safeFileName(name: string): string | null {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
  const base = (name.split(/[/\\]/).pop() ?? '').replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return base === '' || base === '.' || base === '..' ? null : base;
}
