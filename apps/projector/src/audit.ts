import 'reflect-metadata';
import { readFileSync, writeFileSync } from 'node:fs';
import { loadConfig, openEventStore, readAnchor, signAnchor } from '@salesline/core';
import { runMain } from './cli';

const usage = `usage: npm run audit:verify [-- --anchor <file>]     walk the hash chain; exit 1 and name the first event that does not match
       npm run audit:anchor [-- --out <file>]        print (and write) the head of the chain, signed when AUDIT_ANCHOR_KEY is set
`;

const option = (args: string[], name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};

/** `npm run audit:verify` and `npm run audit:anchor` on the configured event store. */
async function main() {
  const [command, ...args] = process.argv.slice(2);
  if (command !== 'verify' && command !== 'anchor') {
    process.stderr.write(usage);
    process.exit(2);
  }
  const key = process.env.AUDIT_ANCHOR_KEY || undefined;
  const config = loadConfig();
  const events = await openEventStore(config);
  try {
    if (command === 'anchor') {
      if (!events.chainHead) throw new Error(`the ${events.kind} store keeps no global chain head: anchor per stream instead`);
      const anchor = signAnchor(await events.chainHead(), key);
      const text = `${JSON.stringify(anchor, null, 2)}\n`;
      const out = option(args, '--out');
      if (out) writeFileSync(out, text);
      process.stdout.write(text);
      return;
    }
    const anchorFile = option(args, '--anchor');
    const anchor = anchorFile ? readAnchor(JSON.parse(readFileSync(anchorFile, 'utf8')), key) : undefined;
    const report = await events.verifyIntegrity!({ anchor });
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    if (!report.ok) {
      const m = report.firstMismatch!;
      process.stderr.write(
        `salesline: the log does not verify: ${m.problem} at position ${m.position} (${m.streamName ?? '?'} revision ${m.revision ?? '?'}, event ${m.eventId ?? '?'}): ${m.detail}\n`,
      );
      process.exitCode = 1;
    } else {
      process.stderr.write(
        `salesline: ${report.checked} events verified; head ${report.head.position} ${report.head.hash}${anchor ? ', anchor matches' : ''}\n`,
      );
    }
  } finally {
    await events.close();
  }
}

runMain(main, 'audit');
