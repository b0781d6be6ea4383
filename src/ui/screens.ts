import type { Component } from 'svelte';

/** The app's screens, each loaded on first visit so the first page stays small. */
export interface Screen {
  id: string;
  title: string;
  /** The start of the title, all a narrow navigation shows (the rest stays in the link's name). */
  short: string;
  load: () => Promise<{ default: Component }>;
}

export const SCREENS: Screen[] = [
  { id: 'create', title: 'Create', short: 'Create', load: () => import('./create/CreateScreen.svelte') },
  { id: 'complete', title: 'Complete a CSR', short: 'Complete', load: () => import('./complete/CompleteScreen.svelte') },
  { id: 'convert', title: 'Convert PKCS#12', short: 'Convert', load: () => import('./convert/ConvertScreen.svelte') },
  { id: 'verify', title: 'Verify', short: 'Verify', load: () => import('./verify/VerifyScreen.svelte') },
  { id: 'about', title: 'About & privacy', short: 'About', load: () => import('./about/AboutScreen.svelte') },
];

/** The screen named by the URL hash (#verify), or `fallback` for any other hash. */
export const screenFromHash = (hash: string, fallback: Screen = SCREENS[0]): Screen => SCREENS.find((s) => `#${s.id}` === hash) ?? fallback;
