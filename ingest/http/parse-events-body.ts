import { RequestError } from './request-error';

export interface EventsBody {
  items: unknown[];
  /** The text of item `index` exactly as received, for dead letters. */
  textOf(index: number): string;
}

/**
 * A JSON array or NDJSON (one event per line): NDJSON when the Content-Type says so or the body
 * does not start with `[`. Errors say where the body stops being readable.
 */
export function parseEventsBody(body: Buffer, contentType: string | undefined): EventsBody {
  const text = body.toString('utf8');
  const start = text.search(/\S/);
  if (start === -1)
    throw new RequestError(400, 'the body is empty; send a JSON array of events or NDJSON (one event per line)');
  const ndjson = /^application\/(x-)?ndjson\b|^application\/jsonl\b/i.test(contentType ?? '') || text[start] !== '[';
  return ndjson ? parseNdjson(text) : parseJsonArray(text);
}

function parseJsonArray(text: string): EventsBody {
  let items: unknown;
  try {
    items = JSON.parse(text);
  } catch (err) {
    throw new RequestError(400, `the body is not valid JSON: ${describeJsonError(err, text)}${locateBadElement(text)}`);
  }
  if (!Array.isArray(items))
    throw new RequestError(400, 'the body must be a JSON array of events (or NDJSON, one event per line)');
  let elements: string[] | null = null;
  return {
    items,
    textOf: (index) => (elements ??= splitArrayElements(text))[index] ?? JSON.stringify(items[index]),
  };
}

function parseNdjson(text: string): EventsBody {
  const items: unknown[] = [];
  const lines: string[] = [];
  let lineNumber = 0;
  for (const raw of text.split('\n')) {
    lineNumber++;
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') continue;
    try {
      items.push(JSON.parse(line));
    } catch (err) {
      throw new RequestError(400, `NDJSON line ${lineNumber} is not valid JSON: ${describeJsonError(err, line)}`);
    }
    lines.push(line);
  }
  return { items, textOf: (index) => lines[index] ?? '' };
}

function describeJsonError(err: unknown, text: string): string {
  const message = err instanceof Error ? err.message : '';
  const position = /position (\d+)/.exec(message);
  if (!position) return message;
  const before = text.slice(0, Number(position[1]));
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return `${message} (line ${line}, column ${column})`;
}

/** Which element of a JSON array breaks it, for engines whose error text carries no position. */
function locateBadElement(text: string): string {
  const spans = arrayElementSpans(text);
  for (let index = 0; index < spans.length; index++) {
    const { start, end } = spans[index];
    try {
      JSON.parse(text.slice(start, end));
    } catch {
      const before = text.slice(0, start);
      const line = before.split('\n').length;
      return ` (event at index ${index}, starting at line ${line}, column ${before.length - before.lastIndexOf('\n')})`;
    }
  }
  return '';
}

/** The source text of each top-level element of a JSON array already known to be valid. */
export function splitArrayElements(text: string): string[] {
  return arrayElementSpans(text).map(({ start, end }) => text.slice(start, end));
}

function arrayElementSpans(text: string): { start: number; end: number }[] {
  const elements: { start: number; end: number }[] = [];
  let depth = 0;
  let inString = false;
  let elementStart = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') {
      inString = true;
      continue;
    }
    if (c === '[' || c === '{') {
      depth++;
      if (depth === 1) elementStart = i + 1;
      continue;
    } else if (c === ']' || c === '}') {
      depth--;
      if (depth > 0) continue;
    } else if (c !== ',' || depth !== 1) continue;
    // At a top-level ',' or the closing ']': the element runs from elementStart to here.
    let start = elementStart;
    let end = i;
    while (start < end && /\s/.test(text[start])) start++;
    while (end > start && /\s/.test(text[end - 1])) end--;
    if (end > start) elements.push({ start, end });
    elementStart = i + 1;
  }
  return elements;
}
