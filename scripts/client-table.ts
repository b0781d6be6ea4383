// Prints docs/pkcs12-clients.md from the client table: npx tsx scripts/client-table.ts > docs/pkcs12-clients.md
import { clientTableMarkdown } from '../src/lib/clientTable.ts';

process.stdout.write(clientTableMarkdown());
