import * as pkijs from 'pkijs';
import * as asn1js from 'asn1js';
import { readFileSync } from 'node:fs';
import { parsePem } from '/work/main/src/lib/pem.ts';
const engine = new pkijs.CryptoEngine({ name: 'x', crypto: globalThis.crypto });
for (const f of ['cn-ok','md5','sha1','ed25519','ec-p256','bad-signature','type-bmp','type-universal','type-teletex','type-ia5']) {
  const p = parsePem(readFileSync(`/tmp/fx/out/${f}.pem`, 'utf8'));
  if (!p.ok) throw 1;
  const c = pkijs.Certificate.fromBER(p.value[0].der);
  let v; try { v = await c.verify(undefined, engine); } catch (e) { v = 'throw ' + (e as Error).message; }
  console.log(f, v, c.signatureAlgorithm.algorithmId, c.subject.typesAndValues.map(t => `${t.type}:${t.value.idBlock.tagNumber}:${(t.value as any).valueBlock.value}:${(t.value as any).valueBlock.valueHexView?.length}`).join(' | '));
}
