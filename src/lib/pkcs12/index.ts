/** PKCS#12 (RFC 7292) in two profiles: modern (PBES2/AES, HMAC-SHA-256) and legacy (3DES, SHA-1). */
export {
  defaultFriendlyName,
  P12_PROFILES,
  PKCS12_ITERATIONS,
  writePkcs12,
  type P12Profile,
  type Pkcs12WriteError,
  type WritePkcs12Options,
} from './write';
export { readPkcs12, type Pkcs12Contents, type Pkcs12ReadError } from './read';
