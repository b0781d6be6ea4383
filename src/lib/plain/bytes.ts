/** Bytes backed by a plain ArrayBuffer: what WebCrypto accepts as a BufferSource under TypeScript 5.9. */
export type Bytes = Uint8Array<ArrayBuffer>;

export const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((byte, i) => byte === b[i]);

/** Lower-case hex, two digits a byte (serial numbers, key identifiers, map keys). */
export const toHex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
