#!/usr/bin/env node
// Renders public/icon.svg into the PNG icons the web app manifest names, with Debian's Chromium
// (no downloads). Run after editing the SVG: `npx tsx scripts/make-icons.mjs` (tsx reads the shared
// browser settings from TypeScript); commit the PNGs.
import { chromium } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../tests/e2e/browser.ts';

const svg = readFileSync(new URL('../public/icon.svg', import.meta.url), 'utf8');
const inner = svg.replace(/^[\s\S]*?<svg[^>]*>/, '').replace(/<\/svg>\s*$/, '');
// A maskable icon is cropped to a circle of 80% of its width by some launchers: fill the whole
// square and shrink the drawing into that safe zone.
const maskable = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512"><rect width="512" height="512" fill="#1f5fbf"/><g transform="translate(38.4 38.4) scale(0.85)">${inner}</g></svg>`;

const ICONS = [
  { file: 'icon-192.png', size: 192, source: svg, transparent: true },
  { file: 'icon-512.png', size: 512, source: svg, transparent: true },
  { file: 'icon-maskable-512.png', size: 512, source: maskable, transparent: false },
  { file: 'apple-touch-icon.png', size: 180, source: maskable, transparent: false },
];

const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
try {
  for (const icon of ICONS) {
    const page = await browser.newPage({ viewport: { width: icon.size, height: icon.size } });
    const src = `data:image/svg+xml;base64,${Buffer.from(icon.source).toString('base64')}`;
    await page.setContent(
      `<style>html,body{margin:0;background:transparent}img{display:block}</style><img width="${icon.size}" height="${icon.size}" src="${src}">`,
    );
    await page.locator('img').evaluate((img) => img.decode());
    await page.screenshot({ path: new URL(`../public/${icon.file}`, import.meta.url).pathname, omitBackground: icon.transparent });
    await page.close();
    console.log(`public/${icon.file} (${icon.size}×${icon.size})`);
  }
} finally {
  await browser.close();
}
