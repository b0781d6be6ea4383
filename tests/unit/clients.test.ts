/** The client table holds together: the picker, the generated document and the tests it names. */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { clientSteps } from '../../src/lib/clientSteps';
import { clientTableMarkdown } from '../../src/lib/clientTable';
import { CLIENT_TABLE_PATH, CLIENTS, clientFor, FORMATS, opensFormat } from '../../src/lib/clients';

const FILES = { pkcs12: 'app-x.p12', certificate: 'app-x.crt', privateKey: 'app-x.key' };

describe('the client table', () => {
  it('has unique ids usable as --for values', () => {
    const ids = CLIENTS.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9][a-z0-9.-]*$/);
  });

  it.each(CLIENTS.map((c) => [c.id, c] as const))('%s: the recommended file is one its row says opens', (_id, client) => {
    if (client.recommended) {
      expect(opensFormat(client.cells[client.recommended])).toBe(true);
    } else {
      // No recommendation only where nothing is known to open: a known working file is never hidden.
      expect(FORMATS.filter((f) => opensFormat(client.cells[f]))).toEqual([]);
    }
    expect(client.reason.length).toBeGreaterThan(20);
  });

  it('names, in every "tested here" cell, tests that exist', () => {
    for (const client of CLIENTS) {
      for (const format of FORMATS) {
        const cell = client.cells[format];
        if (cell.kind !== 'tested') continue;
        expect(cell.tests.length).toBeGreaterThan(0);
        for (const test of cell.tests) {
          expect(existsSync(test.file), test.file).toBe(true);
          const text = readFileSync(test.file, 'utf8');
          for (const part of test.name.split('%s')) expect(text, `${client.id}/${format}: ${test.name}`).toContain(part);
        }
      }
    }
  });

  it('gives every "reported" cell a public source', () => {
    for (const client of CLIENTS) {
      for (const format of FORMATS) {
        const cell = client.cells[format];
        if (cell.kind === 'reported') {
          expect(cell.sources.length, `${client.id}/${format}`).toBeGreaterThan(0);
          for (const source of cell.sources) expect(source.url).toMatch(/^https:\/\/[^\s)]+$/);
        }
      }
    }
  });

  it(`is what ${CLIENT_TABLE_PATH} says (regenerate with: npx tsx scripts/client-table.ts > ${CLIENT_TABLE_PATH})`, () => {
    expect(readFileSync(CLIENT_TABLE_PATH, 'utf8')).toBe(clientTableMarkdown());
  });

  it('recommends what the issue reports ask for: legacy for the macOS Keychain and Java 8, modern for Java 17', () => {
    expect(clientFor('macos-keychain')).toMatchObject({ ok: true, value: { recommended: 'legacy' } });
    expect(clientFor('java-8')).toMatchObject({ ok: true, value: { recommended: 'legacy' } });
    expect(clientFor('Java-17')).toMatchObject({ ok: true, value: { recommended: 'modern' } });
    expect(clientFor('windows-server-2016')).toMatchObject({ ok: true, value: { recommended: 'legacy' } });
  });

  it('refuses an unknown client and lists the known ones', () => {
    const result = clientFor('netscape');
    expect(result).toMatchObject({ ok: false, code: 'unknown-client' });
    expect(!result.ok && result.message).toContain('macos-keychain');
  });
});

describe('per-client next steps', () => {
  it.each(CLIENTS.map((c) => [c.id, c] as const))('%s has steps that name the files it uses', (_id, client) => {
    const { steps, code } = clientSteps(client, FILES);
    expect(steps.length).toBeGreaterThan(0);
    const text = [...steps, code ?? ''].join('\n');
    if (client.recommended === 'pem') expect(text).toMatch(/app-x\.crt|curl command/);
    if (client.recommended === 'modern' || client.recommended === 'legacy') expect(text).toContain('app-x.p12');
  });

  it('gives Java the keystore type and the javax.net.ssl.keyStore* properties', () => {
    const { code } = clientSteps(
      CLIENTS.find((c) => c.id === 'java-8')!,
      FILES,
    );
    expect(code).toContain(
      '-Djavax.net.ssl.keyStore=app-x.p12 -Djavax.net.ssl.keyStoreType=PKCS12 -Djavax.net.ssl.keyStorePassword=<p12 password>',
    );
  });

  it('cites the guide for PKCS#11 and KMIP and recommends no file it cannot back', () => {
    for (const id of ['fortanix-pkcs11', 'kmip']) {
      const { steps, code } = clientSteps(
        CLIENTS.find((c) => c.id === id)!,
        FILES,
      );
      expect(steps.join(' ')).toContain("Fortanix's mutual-TLS guide, section 3.6");
      expect(code).toBeNull();
    }
  });
});
