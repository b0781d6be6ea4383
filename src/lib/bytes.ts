/** Bytes backed by a plain ArrayBuffer: what WebCrypto accepts as a BufferSource under TypeScript 5.9. */
export type Bytes = Uint8Array<ArrayBuffer>;
