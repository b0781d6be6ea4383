/// <reference types="vitest/config" />
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { readFileSync } from 'node:fs';
import { defineConfig, type Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY_HEADER } from './src/ui/about/csp.ts';

/**
 * Offline use: Workbox precaches every file of the build (lazy screen chunks, workers, icons) and
 * waits for the user before switching versions (registerType 'prompt'); src/ui/pwa registers it
 * with workbox-window. Relative start_url and scope keep the app working from any sub-path.
 */
const offlineApp = () =>
  VitePWA({
    registerType: 'prompt',
    injectRegister: false,
    // globPatterns below already lists the icons; the plugin adds the manifest itself.
    includeManifestIcons: false,
    manifest: {
      name: 'appcert — Fortanix DSM client certificates',
      short_name: 'appcert',
      description: 'Make and check Fortanix DSM mutual-TLS client certificates in your browser, offline. Keys never leave the page.',
      id: './',
      start_url: './',
      scope: './',
      display: 'standalone',
      theme_color: '#1f5fbf',
      background_color: '#f7f8fa',
      icons: [
        { src: 'icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
        { src: 'icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
        { src: 'icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        { src: 'icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' },
      ],
    },
    workbox: {
      globPatterns: ['**/*.{js,css,html,svg,png}'],
      // Take control of the page on the first visit, so it works offline without a reload.
      clientsClaim: true,
      // One service worker file: nothing for the policy's script-src to allow besides 'self'.
      inlineWorkboxRuntime: true,
    },
  });

/** The policy as a meta tag in the built page; the dev server goes without, as Vite injects inline styles there. */
const contentSecurityPolicy = (): Plugin => ({
  name: 'appcert-csp',
  apply: 'build',
  transformIndexHtml: () => [
    { tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY }, injectTo: 'head-prepend' },
  ],
});

export default defineConfig({
  base: './',
  // The About screen shows which version is running (declared in src/ui/about/version.d.ts).
  define: { __APPCERT_VERSION__: JSON.stringify(JSON.parse(readFileSync('package.json', 'utf8')).version) },
  plugins: [svelte(), contentSecurityPolicy(), offlineApp()],
  // `vite preview` sends the policy as a header too, so tests prove the header a host should send.
  preview: { headers: { 'Content-Security-Policy': CONTENT_SECURITY_POLICY_HEADER } },
  build: { target: 'es2022', assetsInlineLimit: 0, outDir: process.env.APPCERT_DIST ?? 'dist' },
  worker: { format: 'es' },
  test: {
    // A test that asserts nothing proves nothing.
    expect: { requireAssertions: true },
    projects: [
      { extends: true, test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], environment: 'node' } },
      {
        extends: true,
        test: { name: 'interop', include: ['tests/interop/**/*.test.ts'], environment: 'node', testTimeout: 120_000, hookTimeout: 120_000 },
      },
    ],
  },
});
