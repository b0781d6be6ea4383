import { readFileSync } from 'node:fs';
import { verifyFile } from '/work/main/src/lib/verify/verify.ts';
const pem = new Uint8Array(readFileSync('/tmp/fx/out/cn-ok.pem'));
const t = performance.now();
for (let i = 0; i < 300; i++) await verifyFile('x', pem);
console.log((performance.now() - t) / 300, 'ms per file');
