import type { Workbox } from 'workbox-window';

/** Where offline use stands, as the status line shows it. */
export type OfflineState = 'off-in-dev' | 'unsupported' | 'saving' | 'ready' | 'failed';

/** A new version: waiting for the user's go-ahead, or already switched on by another tab. */
export type UpdateState = 'none' | 'waiting' | 'active-elsewhere';

export const offline = $state({ state: 'saving' as OfflineState, problem: '', update: 'none' as UpdateState });

let workbox: Workbox | null = null;
let started: Promise<void> | null = null;
/** Set only by the user's click, so no other path ever reloads the page. */
let reloadRequested = false;

/**
 * Registers the service worker that stores appcert for offline use, once. Registration waits for
 * the page's load event (workbox-window's default), so it never competes with the first paint.
 */
export const startOffline = (): Promise<void> => (started ??= start());

async function start(): Promise<void> {
  if (!import.meta.env.PROD) return void (offline.state = 'off-in-dev');
  if (!('serviceWorker' in navigator)) return void (offline.state = 'unsupported');
  try {
    // Loaded apart from the first page: nothing of it is needed before the page has loaded.
    const { Workbox } = await import('workbox-window');
    workbox = new Workbox('./sw.js', { scope: './' });
  } catch {
    offline.state = 'failed';
    offline.problem = 'the offline code did not load';
    return;
  }
  workbox.addEventListener('waiting', () => (offline.update = 'waiting'));
  // A worker that fails to install (e.g. a host policy blocks its downloads) is discarded at once.
  workbox.addEventListener('redundant', () => {
    if (offline.state !== 'saving') return;
    offline.state = 'failed';
    offline.problem = 'the browser could not store its files';
  });
  let controlled = navigator.serviceWorker.controller !== null;
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    // The first visit's worker taking control is no update; a later switch is.
    const wasControlled = controlled;
    controlled = true;
    if (!wasControlled) return;
    if (reloadRequested) location.reload();
    else offline.update = 'active-elsewhere';
  });
  try {
    await workbox.register();
    await navigator.serviceWorker.ready;
    offline.state = 'ready';
  } catch (error) {
    offline.state = 'failed';
    offline.problem = error instanceof Error ? error.message : String(error);
  }
}

/**
 * Switches to the new version and reloads, at the user's request only. The caller asks first
 * when generated keys are not downloaded yet.
 */
export function applyUpdate(): void {
  reloadRequested = true;
  if (offline.update === 'waiting' && workbox) workbox.messageSkipWaiting();
  else location.reload();
}
