/** package.json's version, written in by Vite's `define` (vite.config.ts). */
declare const __APPCERT_VERSION__: string;
