import { createReadStream, fstatSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import { terminalText } from '../lib/escape.ts';
import { UsageError } from './usage.ts';

/**
 * Passwords given to the command line, in OpenSSL's `-passin` forms (openssl-passphrase-options(1)):
 *
 *   pass:TEXT   the password itself (visible to other users in `ps`, like a bare value)
 *   env:NAME    the environment variable NAME
 *   file:PATH   the first line of the file PATH
 *   fd:N        the first line read from file descriptor N
 *   stdin       the first line of standard input
 *
 * Anything else is the password itself, as before these forms existed. A line is taken without its
 * "\n" and nothing else, as OpenSSL does, so a password reads the same in both. When several options
 * read the same descriptor (`stdin` twice), each takes the next line, as OpenSSL's -passin and -passout do.
 */

/** Longer than any password a person or a vault writes; a bigger "first line" is the wrong file. */
const MAX_LINE = 64 * 1024;

/** Descriptors already being read, so the next option gets the next line, not lost bytes. */
const readers = new Map<number, LineReader>();

/** Reads a stream line by line on demand, pausing in between so an idle descriptor does not hold the process. */
class LineReader {
  private buffer = Buffer.alloc(0);
  private ended = false;
  private failure: Error | null = null;

  constructor(private readonly stream: Readable) {
    stream.pause();
    stream.on('end', () => void (this.ended = true));
    stream.on('error', (error) => void (this.failure = error));
  }

  /** The next line without its "\n"; null when the stream ended before any byte. */
  async next(): Promise<string | null> {
    for (;;) {
      const newline = this.buffer.indexOf(0x0a);
      if (newline >= 0 || this.ended || this.failure || this.buffer.length > MAX_LINE) {
        if (this.failure) throw this.failure;
        if (this.buffer.length > MAX_LINE && (newline < 0 || newline > MAX_LINE)) throw new RangeError('line too long');
        if (newline < 0 && this.ended && this.buffer.length === 0) return null;
        const end = newline >= 0 ? newline : this.buffer.length;
        const line = this.buffer.subarray(0, end).toString('utf8');
        this.buffer = this.buffer.subarray(Math.min(end + 1, this.buffer.length));
        return line;
      }
      await new Promise<void>((resolve) => {
        const done = () => {
          this.stream.off('data', onData).off('end', done).off('error', done);
          this.stream.pause();
          resolve();
        };
        const onData = (chunk: Buffer) => {
          this.buffer = Buffer.concat([this.buffer, chunk]);
          if (this.buffer.includes(0x0a) || this.buffer.length > MAX_LINE) done();
        };
        this.stream.on('data', onData).once('end', done).once('error', done);
        this.stream.resume();
      });
    }
  }
}

/** A stream over descriptor `fd`: a pipe or socket through net (reads never block the event loop), a file or terminal through fs. */
function streamFor(fd: number): Readable {
  if (fd === 0) return process.stdin;
  const info = fstatSync(fd);
  if (info.isFIFO() || info.isSocket()) return new Socket({ fd, readable: true, writable: false });
  return createReadStream('', { fd, autoClose: false });
}

async function lineFrom(fd: number): Promise<string | null> {
  let reader = readers.get(fd);
  if (!reader) {
    reader = new LineReader(streamFor(fd));
    readers.set(fd, reader);
  }
  return reader.next();
}

/** The first line of a file; read from where it starts, so a pipe such as bash's `file:<(vault read …)` works too. */
async function firstLineOfFile(path: string): Promise<string> {
  const file = await open(path, 'r');
  try {
    const chunk = Buffer.alloc(MAX_LINE + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await file.read(chunk, length, chunk.length - length, null);
      const newline = chunk.subarray(length, length + bytesRead).indexOf(0x0a);
      if (newline >= 0) return chunk.subarray(0, length + newline).toString('utf8');
      length += bytesRead;
      if (bytesRead === 0) return chunk.subarray(0, length).toString('utf8');
      if (length > MAX_LINE) throw new RangeError('line too long');
    }
  } finally {
    await file.close();
  }
}

/** Why a read failed, in words; never the secret, which was not read. */
function reason(error: unknown): string {
  if (error instanceof RangeError) return `its first line is longer than ${MAX_LINE / 1024} KiB, so it is not a password`;
  const code = (error as { code?: string }).code;
  const words: Record<string, string> = {
    ENOENT: 'it does not exist',
    EACCES: 'it cannot be read (permission denied)',
    EISDIR: 'it is a folder',
    EBADF: 'it is not open',
  };
  return (code && words[code]) ?? (code ? `it cannot be read (${code})` : String(error));
}

/**
 * The password an option names, or undefined when the option was not given. Errors are usage
 * errors (exit code 2) that name the option and say what to do; they never include a password.
 */
export async function readSecret(option: string, value: string | undefined): Promise<string | undefined> {
  if (value === undefined) return undefined;
  const colon = value.indexOf(':');
  const form = value === 'stdin' ? 'stdin' : colon > 0 ? value.slice(0, colon) : '';
  const argument = value.slice(colon + 1);
  switch (form) {
    case 'pass':
      return argument;
    case 'env': {
      const secret = process.env[argument];
      if (secret === undefined) {
        throw new UsageError(
          `${option} env:${terminalText(argument)}: the environment variable ${terminalText(argument) || '(empty name)'} is not set. Set it, or give the password another way (file:PATH, fd:N or stdin).`,
        );
      }
      return secret;
    }
    case 'file':
      try {
        return await firstLineOfFile(argument);
      } catch (error) {
        throw new UsageError(
          `${option} file:${terminalText(argument)}: the password file cannot be used: ${reason(error)}. Name a readable file whose first line is the password.`,
        );
      }
    case 'fd':
    case 'stdin': {
      const fd = form === 'stdin' ? 0 : /^\d{1,9}$/.test(argument) ? Number(argument) : NaN;
      const where = form === 'stdin' ? 'stdin (standard input)' : `fd:${terminalText(argument)}`;
      if (Number.isNaN(fd)) throw new UsageError(`${option} ${where}: fd: needs a file descriptor number, e.g. fd:3 with 3<password.txt.`);
      let line: string | null;
      try {
        line = await lineFrom(fd);
      } catch (error) {
        throw new UsageError(
          `${option} ${where}: the password cannot be read: ${reason(error)}. Give the password on it as its first line.`,
        );
      }
      if (line === null)
        throw new UsageError(`${option} ${where}: nothing to read, the input ended. Give the password on it as its first line.`);
      return line;
    }
    default:
      // A bare password, as before the forms existed.
      return value;
  }
}
