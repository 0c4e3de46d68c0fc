import { describe, expect, it } from 'vitest';
import { hasIngestKey } from '@/ingest/http/bearer-key';
import { parseEventsBody, splitArrayElements } from '@/ingest/http/parse-events-body';

const parse = (text: string, contentType?: string) => parseEventsBody(Buffer.from(text), contentType);

describe('events body', () => {
  it.each<[string, string, string | undefined, number]>([
    ['a JSON array', '[{"id":"a"},{"id":"b"}]', 'application/json', 2],
    ['NDJSON by content type', '{"id":"a"}\n{"id":"b"}\n', 'application/x-ndjson', 2],
    ['NDJSON by sniffing, CRLF and blank lines', '{"id":"a"}\r\n\r\n{"id":"b"}\r\n', undefined, 2],
    ['a single object', '{"id":"a"}', 'application/json', 1],
    ['an array with whitespace first', '  \n [ {"id":"a"} ]', undefined, 1],
  ])('reads %s', (_case, text, contentType, count) => {
    expect(parse(text, contentType).items.length).toBe(count);
  });

  it.each<[string, string, string | undefined, string]>([
    ['an empty body', '   ', undefined, 'the body is empty'],
    ['a broken JSON array', '[{"id":"a"},\n {"id": }]', 'application/json', 'the body is not valid JSON'],
    [
      'a broken NDJSON line',
      '{"id":"a"}\n{"id":"b"}\n{"id":\n',
      'application/x-ndjson',
      'NDJSON line 3 is not valid JSON',
    ],
  ])('refuses %s and says where', (_case, text, contentType, message) => {
    expect(() => parse(text, contentType)).toThrow(message);
  });

  it('points at the line and column of a JSON error', () => {
    expect(() => parse('[{"id":"a"},\n {"id": }]')).toThrow(/event at index 1, starting at line 2, column 2/);
  });

  it('gives back each item exactly as it was sent', () => {
    const text = '[ {"id":"a", "n": 1.50, "s":"x,]}\\""} ,{"id":"b","nested":[1,[2]]}, 3 ]';
    expect(splitArrayElements(text)).toEqual([
      '{"id":"a", "n": 1.50, "s":"x,]}\\""}',
      '{"id":"b","nested":[1,[2]]}',
      '3',
    ]);
    expect(parse(text).textOf(0)).toBe('{"id":"a", "n": 1.50, "s":"x,]}\\""}');
    expect(parse('{"id": "a" }\n{"id":"b"}', 'application/x-ndjson').textOf(0)).toBe('{"id": "a" }');
  });
});

describe('ingest key check', () => {
  const key = 'k'.repeat(40);
  it.each<[string, string | undefined, boolean]>([
    ['the right key', `Bearer ${key}`, true],
    ['a lower-case scheme', `bearer ${key}`, true],
    ['no header', undefined, false],
    ['another key', `Bearer ${'j'.repeat(40)}`, false],
    ['a prefix of the key', `Bearer ${key.slice(0, 39)}`, false],
    ['the key without the scheme', key, false],
    ['basic auth', `Basic ${key}`, false],
  ])('%s → %s', (_case, header, expected) => {
    expect(hasIngestKey(header, key)).toBe(expected);
  });
});
