import { describe, expect, it } from 'vitest';
import type { CreatedIdentity, CreateOutcome } from '../../src/lib/create';
import type { CreateRequest } from '../../src/lib/plain/createRequest';
import { fieldsFailure } from '../../src/lib/plain/result';
import { CONFIRM_ID, CreateForm } from '../../src/ui/create/createForm.svelte';
import { CreateOutput, LoadError } from '../../src/ui/create/createOutput.svelte';
import { readExisting } from '../../src/lib/renew';
import { identity } from '../interop/identities';

// The Create screen's state, driven without a page: what the form asks for, when a field shows
// its problems, the previews, and when a result stops matching the form.

const APP_ID = 'acc15bf3-e626-47aa-9373-7b08b3f26ee8';
const PASSWORD = 'Correct-Horse-Battery-9';

function validForm(): CreateForm {
  const form = new CreateForm();
  form.appIdText = APP_ID;
  form.subject.commonName = 'payments.example.com';
  form.password = PASSWORD;
  form.confirmation = PASSWORD;
  return form;
}

describe('CreateForm', () => {
  it('starts with the recommended choices and the request they mean', () => {
    const form = new CreateForm();
    expect(form.request).toMatchObject({
      appId: '',
      placement: 'oid',
      oidStringType: 'UTF8String',
      keyType: 'rsa-2048',
      mode: 'self-signed',
      days: 365,
      keyPassword: '',
    });
    expect(form.subjectPreview).toBeNull();
    expect(form.altNamesPreview).toBe('');
  });

  it('shows a field its problems only once it was left, and every field after a Generate attempt', () => {
    const form = new CreateForm();
    expect(form.problems.map((p) => p.id)).toEqual(['create-appId', 'create-keyPassword']);
    expect(form.errorsFor('create-appId')).toEqual([]);
    form.touched.add('create-appId');
    expect(form.errorsFor('create-appId')).toEqual([expect.stringMatching(/^Enter the app UUID/)]);
    expect(form.errorFor('create-keyPassword')).toBeNull();
    expect(form.attempt()).toBe(false);
    expect(form.errorFor('create-keyPassword')).toMatch(/Enter a password/);
  });

  it('lists problems in the order of the inputs, the confirmation last', () => {
    const form = new CreateForm();
    form.password = 'pw-1';
    form.confirmation = 'pw-2';
    form.daysText = 'a year';
    form.subject.country = 'USA';
    expect(form.problems.map((p) => p.id)).toEqual(['create-appId', 'create-country', 'create-days', CONFIRM_ID]);
  });

  it('asks for no password or confirmation when the key is to be unencrypted', () => {
    const form = validForm();
    form.confirmation = 'different';
    expect(form.problems.map((p) => p.id)).toEqual([CONFIRM_ID]);
    form.unencrypted = true;
    expect(form.problems).toEqual([]);
    expect(form.request.keyPassword).toBeNull();
    expect(form.attempt()).toBe(true);
  });

  it('previews the subject with the cleaned UUID, and the alternative names as OpenSSL prints them', () => {
    const form = validForm();
    form.appIdText = `{${APP_ID.toUpperCase()}}`;
    expect(form.checked.notes).toEqual([`Using ${APP_ID}: the same UUID without the curly braces and in lower case, as DSM shows it.`]);
    expect(form.subjectPreview).toBe(`subject=CN = payments.example.com, 1.3.6.1.4.1.49690.1.2.1 = ${APP_ID}`);
    form.altNamesText = 'payments.example.com 10.0.0.1';
    expect(form.altNamesPreview).toBe('DNS:payments.example.com, IP Address:10.0.0.1');
    form.altNamesText = '10.0.0.999';
    expect(form.altNamesPreview).toBeNull();
    form.subject.country = 'X';
    expect(form.subjectPreview).toBeNull();
  });

  it('reads the days as a whole number or as no number at all', () => {
    const form = validForm();
    form.daysText = ' 30 ';
    expect(form.request.days).toBe(30);
    form.daysText = '30.5';
    expect(form.request.days).toBeNaN();
  });

  it('changes its fingerprint with every input that changes what is made, and not with the confirmation', () => {
    const form = validForm();
    const before = form.fingerprint;
    form.confirmation = 'typo';
    expect(form.fingerprint).toBe(before);
    for (const change of [
      () => (form.subject.organization = 'Example'),
      () => (form.altNamesText = 'a.example.com'),
      () => (form.placement = 'cn'),
      () => (form.oidStringType = 'PrintableString'),
      () => (form.keyType = 'ec-p256'),
      () => (form.mode = 'csr'),
      () => (form.daysText = '30'),
      () => (form.password = 'another password'),
      () => (form.unencrypted = true),
      () => (form.appIdText = APP_ID.toUpperCase()),
    ]) {
      const previous = form.fingerprint;
      change();
      expect(form.fingerprint).not.toBe(previous);
    }
  });
});

describe('CreateOutput', () => {
  const identity = { appId: APP_ID } as CreatedIdentity;
  const made = (): CreateOutcome => ({ ok: true, value: identity });

  function output(create: (request: CreateRequest) => Promise<CreateOutcome> = async () => made()) {
    const keys: string[] = [];
    const result = new CreateOutput({
      create,
      keys: { pending: (id) => keys.push(`pending ${id}`), saved: (id) => keys.push(`saved ${id}`) },
    });
    return { result, keys };
  }

  it('is out of date as soon as the form differs from what made it, and up to date again when it is back', async () => {
    const form = validForm();
    const { result } = output();
    expect(result.isStale(form.fingerprint)).toBe(false);
    expect(await result.generate(form.request, form.fingerprint)).toBe(true);
    expect(result.isStale(form.fingerprint)).toBe(false);
    form.subject.organization = 'E';
    expect(result.isStale(form.fingerprint)).toBe(true);
    result.staleDownloadsAllowed = true;
    form.subject.organization = '';
    expect(result.isStale(form.fingerprint)).toBe(false);
    form.keyType = 'ec-p384';
    expect(await result.generate(form.request, form.fingerprint)).toBe(true);
    expect(result.isStale(form.fingerprint)).toBe(false);
    expect(result.staleDownloadsAllowed).toBe(false);
  });

  it('tracks the key until it is saved, and lets a new key replace the old one', async () => {
    const form = validForm();
    const { result, keys } = output();
    await result.generate(form.request, form.fingerprint);
    expect(result.keyDownloaded).toBe(false);
    await result.generate(form.request, form.fingerprint);
    result.keySaved();
    expect(result.keyDownloaded).toBe(true);
    expect(keys).toEqual(['pending create-1', 'saved create-1', 'pending create-2', 'saved create-2']);
  });

  it('says why nothing was made, keeping the previous result', async () => {
    const form = validForm();
    let next: () => Promise<CreateOutcome> = async () => made();
    const { result } = output(() => next());
    await result.generate(form.request, form.fingerprint);
    next = async () => {
      throw new LoadError('offline');
    };
    expect(await result.generate(form.request, form.fingerprint)).toBe(false);
    expect(result.failure).toMatch(/^The certificate code could not be loaded/);
    next = async () => {
      throw new Error('OperationError');
    };
    expect(await result.generate(form.request, form.fingerprint)).toBe(false);
    expect(result.failure).toMatch(/^Generating failed: OperationError\. Nothing was created and your input is kept/);
    next = async () => fieldsFailure([{ field: 'days', code: 'days-out-of-range', message: 'Validity must be a whole number.' }]);
    expect(await result.generate(form.request, form.fingerprint)).toBe(false);
    expect(result.failure).toBe('Nothing was generated: Validity must be a whole number.');
    expect(result.identity).toBe(identity);
    expect(result.generating).toBe(false);
  });

  it('says what it is doing while busy and refuses a second press meanwhile', async () => {
    const form = validForm();
    form.keyType = 'rsa-4096';
    let finish: (outcome: CreateOutcome) => void = () => {};
    const { result } = output(() => new Promise((resolve) => (finish = resolve)));
    const first = result.generate(form.request, form.fingerprint);
    expect(result.generating).toBe(true);
    expect(result.busyText).toBe('Generating an RSA 4096-bit key… This can take a few seconds.');
    expect(await result.generate(form.request, form.fingerprint)).toBe(false);
    finish(made());
    expect(await first).toBe(true);
  });
});

describe('CreateForm started from an existing certificate', () => {
  it('fills the form as the certificate was made, writes its subject DER, and "Change subject" returns to the fields', async () => {
    const old = await identity({ placement: 'cn', keyType: 'ec-p384', days: 90, altNames: { dns: ['a.example.com'], email: [] } });
    const read = await readExisting({ name: 'old.crt', bytes: old.certificate?.der as Uint8Array<ArrayBuffer> });
    if (!read.ok) throw new Error(read.message);
    const form = validForm();
    form.subject.commonName = '';
    form.startFrom(read.value);
    expect(form.request).toMatchObject({
      appId: old.appId,
      placement: 'cn',
      keyType: 'ec-p384',
      days: 90,
      altNames: { dns: ['a.example.com'] },
      keyPassword: PASSWORD,
      keptSubject: { line: old.subjectLine },
    });
    expect(Buffer.from(form.request.keptSubject?.der ?? [])).toEqual(Buffer.from(read.value.subjectDer));
    expect(form.subjectPreview).toBe(`subject=${old.subjectLine}`);
    expect(form.attempt()).toBe(true);
    const renewing = form.fingerprint;
    form.keepKey = true;
    expect(form.fingerprint).not.toBe(renewing);

    form.changeSubject();
    expect(form.request.keptSubject).toBeUndefined();
    expect(form.keepKey).toBe(false);
    expect(form.subject.organization).toBe('Example Corp');
    expect(form.password).toBe(PASSWORD);
  });

  it('keeps the key read from its key file, with its type, and forgets it when another certificate is chosen', async () => {
    const old = await identity({ placement: 'oid', keyType: 'ec-p256' });
    const read = await readExisting({ name: 'old.crt', bytes: old.certificate?.der as Uint8Array<ArrayBuffer> });
    if (!read.ok) throw new Error(read.message);
    const form = validForm();
    form.startFrom(read.value);
    form.keyType = 'rsa-2048';
    const keyPair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
    form.keepKeyFrom('old.key', keyPair);
    expect(form.renewing?.keyPair).toBe(keyPair);
    expect(form.renewing?.sha256).toBe(read.value.sha256);
    expect(form).toMatchObject({ keepKey: true, keyFileName: 'old.key', keyType: 'ec-p256' });

    form.startFrom(read.value);
    expect(form.renewing?.keyPair).toBeNull();
    expect(form).toMatchObject({ keepKey: false, keyFileName: null });
  });
});
