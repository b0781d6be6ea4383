import type { CreatedIdentity } from '../../lib/create';
import type { CreateRequest } from '../../lib/plain/createRequest';
import { KEY_TYPES } from '../../lib/plain/keys';
import type { Result } from '../../lib/plain/result';
import { markKeyDownloaded, markKeyPending } from '../unsaved.svelte';

export interface OutputDeps {
  /** Loads and runs the core's createIdentity (with pkijs), only when Generate is pressed. */
  /** Makes the files: a new identity, or a renewal (whose failures have their own codes). */
  create: (request: CreateRequest) => Promise<Result<CreatedIdentity>>;
  /** Keys that exist only in the page, so leaving it asks first (unsaved.svelte.ts). */
  keys?: { pending(id: string): void; saved(id: string): void };
}

/**
 * What Generate made, and whether it still matches the form. The identity stays on screen after
 * the form changes (its key may not be downloaded yet), marked out of date until the form is
 * back to what made it or Generate runs again.
 */
export class CreateOutput {
  identity = $state.raw<CreatedIdentity | null>(null);
  /** The form's fingerprint when the identity was made. */
  madeFrom = $state<string | null>(null);
  generating = $state(false);
  busyText = $state('');
  failure = $state<string | null>(null);
  keyDownloaded = $state(false);
  /** The mutual-TLS endpoint typed in the result, kept across generations (it changes no file). */
  endpoint = $state('');
  /** The user asked to download files that no longer match the form. */
  staleDownloadsAllowed = $state(false);

  #keyId: string | null = null;
  #generation = 0;
  readonly #deps: Required<OutputDeps>;

  constructor(deps: OutputDeps) {
    this.#deps = { keys: { pending: markKeyPending, saved: markKeyDownloaded }, ...deps };
  }

  /** True when there is a result and the form has changed since it was made. */
  isStale(fingerprint: string): boolean {
    return this.identity !== null && this.madeFrom !== fingerprint;
  }

  /** Makes the key and certificate or CSR; true when a new identity is shown. */
  async generate(request: CreateRequest, fingerprint: string): Promise<boolean> {
    if (this.generating) return false;
    this.failure = null;
    this.generating = true;
    const slow = request.keyType === 'rsa-3072' || request.keyType === 'rsa-4096';
    this.busyText = `Generating an ${KEY_TYPES[request.keyType].label} key…${slow ? ' This can take a few seconds.' : ''}`;
    try {
      const outcome = await this.#deps.create(request);
      if (!outcome.ok) {
        this.failure = `Nothing was generated: ${outcome.message}`;
        return false;
      }
      // The previous key (if any) is replaced; only the new one is worth a warning now.
      if (this.#keyId) this.#deps.keys.saved(this.#keyId);
      this.#keyId = `create-${++this.#generation}`;
      this.#deps.keys.pending(this.#keyId);
      this.keyDownloaded = false;
      this.staleDownloadsAllowed = false;
      this.madeFrom = fingerprint;
      this.identity = outcome.value;
      return true;
    } catch (error) {
      this.failure =
        error instanceof LoadError
          ? 'The certificate code could not be loaded. Check the connection and press Generate again; once appcert has loaded fully it also works offline.'
          : `Generating failed: ${error instanceof Error ? error.message : String(error)}. Nothing was created and your input is kept; press Generate again or choose another key type.`;
      return false;
    } finally {
      this.generating = false;
    }
  }

  /** The key left the page as a file (PEM or PKCS#12). */
  keySaved(): void {
    if (this.#keyId) this.#deps.keys.saved(this.#keyId);
    this.keyDownloaded = true;
  }
}

/** The code for generating could not be fetched (offline before it was stored): not the user's input. */
export class LoadError extends Error {}
