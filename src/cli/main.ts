import { complete } from './complete.ts';
import { convert } from './convert.ts';
import { dsmRegister } from './dsmRegister.ts';
import { generate } from './generate.ts';
import { shown } from './output.ts';
import { renew } from './renew.ts';
import { verify } from './verify.ts';
import { EXIT, USAGE, UsageError } from './usage.ts';

const COMMANDS: Record<string, (args: string[]) => Promise<number>> = {
  generate,
  verify,
  renew,
  'dsm-register': dsmRegister,
  complete,
  convert,
};

/** Runs one command; returns the exit code. User mistakes print a message, never a stack trace. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    console.log(USAGE);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const command = COMMANDS[name];
  if (!command) {
    console.error(`appcert: unknown command "${shown(name)}".\n\n${USAGE}`);
    return EXIT.usage;
  }
  try {
    return await command(args);
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`appcert ${name}: ${shown((error as Error).message)}\nRun "appcert help" for the options.`);
      return EXIT.usage;
    }
    console.error(`appcert ${name}: ${shown(String((error as Error).message ?? error))}`);
    return EXIT.failed;
  }
}
