import { lstat, mkdir, open, rmdir, unlink } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { terminalText } from '../lib/escape.ts';
import { UsageError } from './usage.ts';

/** Text for the terminal: its lines kept, anything in them that came from input shown, not obeyed. */
export const shown = (text: string): string => text.split('\n').map(terminalText).join('\n');

/** Prints a line of a command's text output: every value in it may have come from a file. */
export const say = (text: string): void => console.log(shown(text));

/** A file a command is about to write. */
export interface NewFile {
  path: string;
  data: string | Uint8Array;
  /** A private key or a PKCS#12 file: readable and writable by its owner only (mode 0600). */
  secret: boolean;
}

/** Why a name cannot be written, or null when nothing is there. */
async function occupied(path: string): Promise<'exists' | 'link' | null> {
  try {
    return (await lstat(path)).isSymbolicLink() ? 'link' : 'exists';
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return null;
    throw error;
  }
}

function refusal(found: { path: string; why: 'exists' | 'link' }[]): UsageError {
  const links = found.filter((f) => f.why === 'link').map((f) => terminalText(f.path));
  const files = found.filter((f) => f.why === 'exists').map((f) => terminalText(f.path));
  const lines: string[] = [];
  if (files.length > 0) lines.push(`${files.join(', ')} already exist${files.length === 1 ? 's' : ''}.`);
  if (links.length > 0)
    lines.push(
      `${links.join(', ')} ${links.length === 1 ? 'is a symbolic link' : 'are symbolic links'}: appcert never writes through a link, which could point anywhere.`,
    );
  return new UsageError(
    `${lines.join(' ')} appcert never overwrites keys or certificates: choose another --out folder, or move the old files away first. Nothing was written.`,
  );
}

/** Folders `mkdir -p` made for `folder`, deepest first, so a failed write can take them away again. */
async function makeFolder(folder: string): Promise<string[]> {
  const first = await mkdir(folder, { recursive: true });
  if (first === undefined) return [];
  const made: string[] = [];
  for (let dir = resolve(folder); dir.length >= first.length; dir = dirname(dir)) made.push(dir);
  return made;
}

/**
 * Writes every file, or none: each name is checked first (an existing file or a symbolic link,
 * dangling or not, refuses the whole set with exit code 2), then each file is created exclusively
 * (O_CREAT|O_EXCL, which also refuses a link planted in between, and never follows one), secrets
 * with mode 0600. If any write fails, the files and folders written so far are removed again.
 */
export async function writeNewFiles(files: NewFile[]): Promise<void> {
  const found: { path: string; why: 'exists' | 'link' }[] = [];
  for (const file of files) {
    const why = await occupied(file.path);
    if (why) found.push({ path: file.path, why });
  }
  if (found.length > 0) throw refusal(found);

  const folders: string[] = [];
  const written: string[] = [];
  try {
    for (const folder of new Set(files.map((file) => dirname(file.path)))) folders.push(...(await makeFolder(folder)));
    for (const file of files) {
      const handle = await open(file.path, 'wx', file.secret ? 0o600 : 0o644);
      written.push(file.path);
      try {
        await handle.writeFile(file.data);
      } finally {
        await handle.close();
      }
    }
  } catch (error) {
    for (const path of written) await unlink(path).catch(() => {});
    for (const folder of folders) await rmdir(folder).catch(() => {});
    if ((error as { code?: string }).code === 'EEXIST') {
      throw refusal([
        { path: (error as { path?: string }).path ?? '', why: (await occupied((error as { path?: string }).path ?? '')) ?? 'exists' },
      ]);
    }
    throw error;
  }
}
