import { readFileSync, readdirSync } from 'node:fs';
import { verifyFile } from '/work/main/src/lib/verify/verify.ts';
const dir = '/tmp/fx/out';
for (const f of readdirSync(dir).sort()) {
  const r = await verifyFile(f, new Uint8Array(readFileSync(`${dir}/${f}`)), { expected: 'da7f2800-4122-4681-aebf-90beb779b73f', password: f.endsWith('.p12') ? 'correct horse' : undefined });
  console.log(f.padEnd(24), r.kind.padEnd(11), r.appIdLocation.padEnd(9), JSON.stringify(r.problems.map(p=>p.code)), JSON.stringify(r.warnings.map(p=>p.code)), r.signatureValid, r.key?.description);
}
