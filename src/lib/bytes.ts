/** Bytes backed by a plain ArrayBuffer: what WebCrypto accepts as a BufferSource under TypeScript 5.9. */
export type Bytes = Uint8Array<ArrayBuffer>;

export const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((byte, i) => byte === b[i]);
