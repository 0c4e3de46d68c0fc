/**
 * Keys of entities that are not one id (a SKU at a warehouse, a SKU's shipments of a day): the
 * parts joined by the ASCII unit separator, which no warehouse, SKU or date contains.
 */
export const COMPOSITE_KEY_SEPARATOR = '\u001f';

export function compositeKey(...parts: string[]): string {
  return parts.join(COMPOSITE_KEY_SEPARATOR);
}

export function compositeKeyParts(key: string): string[] {
  return key.split(COMPOSITE_KEY_SEPARATOR);
}
