import type { Component } from 'svelte';

/** The app's screens, each loaded on first visit so the first page stays small. */
export interface Screen {
  id: string;
  title: string;
  load: () => Promise<{ default: Component }>;
}

export const SCREENS: Screen[] = [
  { id: 'create', title: 'Create', load: () => import('./create/CreateScreen.svelte') },
  { id: 'complete', title: 'Complete a CSR', load: () => import('./complete/CompleteScreen.svelte') },
  { id: 'convert', title: 'Convert PKCS#12', load: () => import('./convert/ConvertScreen.svelte') },
  { id: 'verify', title: 'Verify', load: () => import('./verify/VerifyScreen.svelte') },
  { id: 'about', title: 'About & privacy', load: () => import('./about/AboutScreen.svelte') },
];

/** The screen named by the URL hash (#verify), or `fallback` for any other hash. */
export const screenFromHash = (hash: string, fallback: Screen = SCREENS[0]): Screen => SCREENS.find((s) => `#${s.id}` === hash) ?? fallback;
