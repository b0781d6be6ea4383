import { SvelteSet } from 'svelte/reactivity';

/**
 * Private keys made in this page that the user has not downloaded yet. They exist only in memory,
 * so a reload (e.g. for an app update) or closing the tab would lose them: the update prompt
 * waits while `unsavedWork.keys > 0`, and the browser asks before the page is left (`warnBeforeLeaving`).
 */
const pendingKeys = new SvelteSet<string>();

export const unsavedWork = {
  /** How many generated keys are still only in memory (reactive). */
  get keys(): number {
    return pendingKeys.size;
  },
};

/** The window's beforeunload handler (App.svelte attaches it): asks before leaving while a key is unsaved. */
export function warnBeforeLeaving(event: BeforeUnloadEvent): void {
  if (pendingKeys.size === 0) return;
  event.preventDefault();
  event.returnValue = ''; // Older browsers show their "leave site?" dialog only when this is set.
}

/** A key named `id` was generated and is not saved anywhere yet. */
export function markKeyPending(id: string): void {
  pendingKeys.add(id);
}

/** The key named `id` was downloaded, or deliberately thrown away (e.g. replaced by a new one). */
export function markKeyDownloaded(id: string): void {
  pendingKeys.delete(id);
}
