import { expect, test, type Page } from '@playwright/test';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { axeViolations } from './axe';
import {
  APP_ID,
  checkCreatedFiles,
  createWithOid,
  expectVerified,
  exportPkcs12,
  openssl,
  P12_PASSWORD,
  PASSWORD,
  signWithTestCa,
  verifyCertificate,
} from './flows';
import { byButton, byId, keyboardUser } from './keyboard';

const SCREENS = [
  { id: 'create', title: 'Create' },
  { id: 'complete', title: 'Complete a CSR' },
  { id: 'convert', title: 'Convert PKCS#12' },
  { id: 'verify', title: 'Verify' },
  { id: 'about', title: 'About & privacy' },
];

async function open(page: Page, id: string, title: string) {
  await page.goto(`./#${id}`);
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await expect(page.getByText('Loading…')).toHaveCount(0);
}

for (const colorScheme of ['light', 'dark'] as const) {
  test.describe(`axe-core, ${colorScheme} theme`, () => {
    test.use({ colorScheme });

    for (const { id, title } of SCREENS) {
      test(`${title}: no violations`, async ({ page }) => {
        await open(page, id, title);
        expect(await axeViolations(page)).toEqual([]);
      });
    }

    test('Create with errors, Create with a result and PKCS#12 export, Verify with a result: no violations', async ({ page }) => {
      await open(page, 'create', 'Create');
      await page.getByRole('button', { name: 'Generate key and certificate' }).click();
      await expect(page.locator('[aria-invalid="true"]').first()).toBeVisible();
      expect(await axeViolations(page)).toEqual([]);
      const dir = await mkdtemp(join(tmpdir(), 'appcert-a11y-'));
      try {
        const created = await createWithOid(page, dir);
        await exportPkcs12(page, dir, created);
        expect(await axeViolations(page)).toEqual([]);
        await verifyCertificate(page, created.certificate);
        expect(await axeViolations(page)).toEqual([]);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  });
}

test.describe('layout', () => {
  for (const { viewport, deviceScaleFactor, what } of [
    { viewport: { width: 360, height: 740 }, deviceScaleFactor: 1, what: 'a 360 px wide phone' },
    // 200% zoom of a 1280 px window lays the page out in 640 CSS pixels.
    { viewport: { width: 640, height: 400 }, deviceScaleFactor: 2, what: '200% zoom' },
  ]) {
    test.describe(what, () => {
      test.use({ viewport, deviceScaleFactor });
      test(`no screen scrolls sideways at ${what}`, async ({ page }) => {
        for (const { id, title } of SCREENS) {
          await open(page, id, title);
          const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
          expect(overflow, `${title} is ${overflow}px too wide`).toBeLessThanOrEqual(0);
        }
      });
    });
  }
});

test.describe('keyboard only', () => {
  let dir: string;
  test.beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'appcert-keyboard-'));
  });
  test.afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** Fills in Create from the keyboard: UUID in the OID attribute, a CN, an encrypted key. */
  async function createByKeyboard(page: Page, user: ReturnType<typeof keyboardUser>, mode: 'certificate' | 'CSR') {
    await page.goto('./');
    await expect(page.getByRole('heading', { level: 1, name: 'Create' })).toBeVisible();
    await user.typeInto(byId('create-appId'), APP_ID);
    await user.press(byId('create-placement-oid'), 'Space');
    await user.typeInto(byId('create-commonName'), 'payments.example.com');
    if (mode === 'CSR') {
      // Tab enters a radio group at its checked button; the arrow keys choose.
      await user.press(byId('create-mode-self-signed'), 'ArrowDown');
      await expect(page.locator('#create-mode-csr')).toBeChecked();
    }
    await user.typeInto(byId('create-keyPassword'), PASSWORD);
    await user.typeInto(byId('create-keyPassword-confirm'), PASSWORD);
    await user.press(byButton(`Generate key and ${mode}`));
    await expect(page.getByTestId('result-summary')).toContainText(
      mode === 'CSR' ? 'certificate signing request' : `self-signed certificate for app ${APP_ID}`,
      {
        timeout: 30_000,
      },
    );
  }

  test('Create (with PKCS#12 and reminder), then Verify: a full run without the mouse', async ({ page }) => {
    const user = keyboardUser(page, dir);
    await createByKeyboard(page, user, 'certificate');
    const certificate = await user.download(`Download app-${APP_ID}.crt`);
    const privateKey = await user.download(`Download app-${APP_ID}.key`);
    await user.typeInto(byId('p12-password'), P12_PASSWORD);
    await user.typeInto(byId('p12-password-confirm'), P12_PASSWORD);
    const p12 = await user.download(`Download app-${APP_ID}.p12`);
    const calendar = await user.download('Add an expiry reminder to your calendar (.ics)');
    checkCreatedFiles({ certificate, privateKey, calendar });
    expect(openssl('pkcs12', '-in', p12, '-passin', `pass:${P12_PASSWORD}`, '-nokeys', '-clcerts')).toContain('BEGIN CERTIFICATE');

    await user.openScreen('Verify');
    await user.typeInto(byId('verify-expected'), APP_ID);
    await user.chooseFiles(byId('verify-files'), [certificate]);
    await expectVerified(page);
    expect(await user.download('Add an expiry reminder to your calendar (.ics)')).toMatch(new RegExp(`app-${APP_ID}-expiry\\.ics$`));
  });

  test('Create a CSR, have it signed, then Complete: a full run without the mouse', async ({ page }) => {
    const user = keyboardUser(page, dir);
    await createByKeyboard(page, user, 'CSR');
    const csr = await user.download(`Download app-${APP_ID}.csr`);
    const key = await user.download(`Download app-${APP_ID}.key`);
    const [leaf, ca] = signWithTestCa(dir, csr);

    await user.openScreen('Complete a CSR');
    await user.chooseFiles(byId('complete-key-file'), [key]);
    await user.typeInto(byId('complete-password'), PASSWORD);
    await user.chooseFiles(byId('complete-cert-files'), [ca, leaf]);
    await expect(page.locator('#complete-appId')).toHaveValue(APP_ID);
    await user.press(byButton('Check and join key and certificate'));
    await expect(page.getByTestId('complete-summary')).toContainText(
      `The key matches the certificate for app ${APP_ID}, with the UUID in the OID attribute. Chain: 2 certificates, leaf first.`,
    );
    expect(await user.download('Add an expiry reminder to your calendar (.ics)')).toMatch(new RegExp(`app-${APP_ID}-expiry\\.ics$`));
    expect(await axeViolations(page)).toEqual([]);
  });
});
