/**
 * The memory model behind every detector's `memoryBytes()`: a fixed cost per object and per field
 * plus the bytes of its typed arrays. It is a model, deliberately simple and stable across Node
 * versions; bench/suites/detectors.ts measures the real V8 heap per detector beside it, and
 * docs/DETECTORS.md lists both.
 */

/** Header of a plain object (map pointer, properties, elements, slack). */
export const OBJECT_HEADER_BYTES = 32;

/** One field: a tagged pointer or an unboxed number. */
export const FIELD_BYTES = 8;

/** A typed array view plus its ArrayBuffer and the backing-store record, without the data. */
export const TYPED_ARRAY_HEADER_BYTES = 160;

/** Bytes of a plain object with `fields` fields. */
export function objectBytes(fields: number): number {
  return OBJECT_HEADER_BYTES + fields * FIELD_BYTES;
}
