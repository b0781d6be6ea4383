import { applyExpected } from '../../lib/verify/expected';
import type { FileReport } from '../../lib/verify/fileReport';
import { batchRows, countRows, sortRows, type Counts, type SortKey } from '../../lib/verify/summary';
import type { Entry } from './entry';

/** The Verify screen's rows: the core's summary (summary.ts) over the files checked so far, then the files still waiting. */

export interface ChainFile {
  entry: Entry;
  report: FileReport;
  /** The chain file with the same certificate, when this is a second copy of it. */
  copyOf: Entry | null;
}

export interface ViewRow {
  entry: Entry;
  /** Judged against the expected UUID and with the batch's issuer; null while the file waits for its first check. */
  report: FileReport | null;
  /** The files of the batch that make its chain, its issuer first. */
  chain: ChainFile[];
}

export interface BatchView {
  rows: ViewRow[];
  /** Over every checked file, whatever the filter. */
  counts: Counts;
}

export function batchView(
  entries: Entry[],
  expected: string | null,
  issuerOf: (id: number) => number | null,
  sort: SortKey,
  onlyFailures: boolean,
): BatchView {
  const judged = entries.filter((e) => e.report !== null);
  const reports = judged.map((e) => applyExpected(e.report!, expected));
  const position = new Map(judged.map((e, i) => [e.id, i]));
  const rows = batchRows(reports, (i) => {
    const issuer = issuerOf(judged[i].id);
    return issuer === null ? null : (position.get(issuer) ?? null);
  });
  const shown = sortRows(rows, sort, onlyFailures).map((row) => ({
    entry: judged[row.index],
    report: row.report,
    chain: row.chain.map((i) => {
      const original = row.copyOf(i);
      return { entry: judged[i], report: reports[i], copyOf: original === null ? null : judged[original] };
    }),
  }));
  const waiting = entries.filter((e) => e.report === null).map((entry) => ({ entry, report: null, chain: [] }));
  return { rows: [...shown, ...waiting], counts: countRows(rows, judged.length) };
}
