import type * as pkijs from 'pkijs';
import { isTooMuchWork, WORK_LIMITS, WorkBudget, type WorkKind } from '../budget';
import { isSelfIssued, issuedBy, nameKey, readCertificate } from '../chain';
import { fromBase64 } from '../pem';
import type { FileReport } from './fileReport';
import { checkSignature } from './signature';

/**
 * A chain dropped as separate files is one submission: the files of a batch whose certificate
 * issued another file's certificate (names and key identifiers link up, and the signature verifies)
 * are that file's chain, not submissions of their own. Files arrive one by one (from a worker
 * queue), so the links are found as they arrive: each file is indexed by name, and looks up only the
 * same-named files, as an issuer and as a certificate waiting for its issuer.
 */

/** Work allowed for linking: a start, and more for each file, so a batch of many same-named certificates stops early. */
const START: Partial<Record<WorkKind, number>> = { signatures: 16, 'chain-steps': 1_000 };
const PER_FILE: Partial<Record<WorkKind, number>> = { signatures: 2, 'chain-steps': 20 };

interface Linkable {
  id: number;
  /** The judged certificate: what this file can have issued. */
  leaf: pkijs.Certificate;
  /** The last certificate of the file's own chain, whose issuer is looked for in the batch; null when self-issued (a root). */
  top: pkijs.Certificate | null;
}

function addTo(index: Map<string, Set<number>>, key: string, id: number): void {
  const bucket = index.get(key);
  if (bucket) bucket.add(id);
  else index.set(key, new Set([id]));
}

/** The links of one batch, kept up to date as files arrive, are checked again or leave. */
export class BatchChains {
  readonly #files = new Map<number, Linkable>();
  /** Files by their leaf's subject: who may have issued a certificate with that issuer name. */
  readonly #bySubject = new Map<string, Set<number>>();
  /** Files without an issuer yet, by their top certificate's issuer name. */
  readonly #waiting = new Map<string, Set<number>>();
  readonly #issuer = new Map<number, number>();
  readonly #limits: Record<WorkKind, number> = { ...WORK_LIMITS, ...START } as Record<WorkKind, number>;
  /** What linking has cost so far (tests count it). */
  readonly budget = new WorkBudget(this.#limits);
  /** True once the budget ran out: later files are not linked. */
  stopped = false;

  constructor(private readonly crypto: Crypto = globalThis.crypto) {}

  /** The file in the batch whose certificate issued this file's chain, or null. */
  issuerOf = (id: number): number | null => this.#issuer.get(id) ?? null;

  /**
   * Adds a file's report (again after a retry), linking it to the files already here; resolves to
   * whether any link changed. Reports without certificates take no part.
   */
  async add(id: number, report: FileReport): Promise<boolean> {
    let changed = this.remove(id);
    const ders = report.chainDer.map(fromBase64);
    const leaf = ders[0] ? readCertificate(ders[0]) : null;
    // One certificate (most files) is read once.
    const top = ders.length > 1 ? readCertificate(ders[ders.length - 1]!) : leaf;
    if (!leaf || !top) return changed;
    for (const [kind, more] of Object.entries(PER_FILE)) this.#limits[kind as WorkKind] += more;
    const file: Linkable = { id, leaf, top: isSelfIssued(top) ? null : top };
    this.#files.set(id, file);
    addTo(this.#bySubject, nameKey(leaf.subject), id);
    if (file.top) addTo(this.#waiting, nameKey(file.top.issuer), id);
    try {
      if (file.top) {
        for (const candidate of this.#candidates(this.#bySubject, file.top.issuer)) {
          if (await this.#link(file, candidate)) {
            changed = true;
            break;
          }
        }
      }
      for (const waiting of this.#candidates(this.#waiting, leaf.subject)) {
        if (await this.#link(this.#files.get(waiting), id)) changed = true;
      }
    } catch (error) {
      if (!isTooMuchWork(error)) throw error;
      this.stopped = true;
    }
    return changed;
  }

  /** Takes a file out (a retry replaces its report); resolves whether links changed. */
  remove(id: number): boolean {
    const file = this.#files.get(id);
    if (!file) return false;
    this.#files.delete(id);
    this.#bySubject.get(nameKey(file.leaf.subject))?.delete(id);
    if (file.top) this.#waiting.get(nameKey(file.top.issuer))?.delete(id);
    let changed = this.#issuer.delete(id);
    for (const [child, issuer] of this.#issuer) {
      if (issuer !== id) continue;
      this.#issuer.delete(child);
      const top = this.#files.get(child)?.top;
      if (top) addTo(this.#waiting, nameKey(top.issuer), child);
      changed = true;
    }
    return changed;
  }

  /** The ids in a name bucket, each charged as a chain step (a copy: links change the buckets). */
  #candidates(index: Map<string, Set<number>>, name: pkijs.RelativeDistinguishedNames): number[] {
    const bucket = [...(index.get(nameKey(name)) ?? [])];
    this.budget.spend('chain-steps', bucket.length, () => `${bucket.length} certificates of one name in the batch`);
    return bucket;
  }

  /** Links `child` to the file `issuerId` when that file's certificate signed the child's top certificate. */
  async #link(child: Linkable | undefined, issuerId: number): Promise<boolean> {
    const issuer = this.#files.get(issuerId);
    if (!child?.top || !issuer || child.id === issuerId || this.#issuer.has(child.id)) return false;
    if (!issuedBy(child.top, issuer.leaf)) return false;
    this.budget.spend('signatures', 1, () => 'more signature checks than that batch can need');
    const check = await checkSignature(child.top, issuer.leaf.subjectPublicKeyInfo, this.crypto);
    // Either file may have left, or the child found its issuer, while the signature was checked.
    if (check.valid !== true || this.#files.get(child.id) !== child || this.#files.get(issuerId) !== issuer || this.#issuer.has(child.id))
      return false;
    this.#issuer.set(child.id, issuerId);
    this.#waiting.get(nameKey(child.top.issuer))?.delete(child.id);
    return true;
  }
}

/** Links a whole batch at once (the CLI, tests): the issuer of each report's file, by index. */
export async function linkBatch(reports: FileReport[], crypto: Crypto = globalThis.crypto): Promise<BatchChains> {
  const chains = new BatchChains(crypto);
  for (const [index, report] of reports.entries()) await chains.add(index, report);
  return chains;
}
