import { Command, CommanderError } from 'commander';
import { VERSION } from '../version.ts';
import { registerAccess } from './commands/access.ts';
import { registerPrivacy } from './commands/privacy.ts';
import { registerAttribute } from './commands/attribute.ts';
import { registerDemo } from './commands/demo.ts';
import { registerEvents } from './commands/events.ts';
import { registerQuarantine } from './commands/quarantine.ts';
import { registerExport } from './commands/export.ts';
import { registerFunnel } from './commands/funnel.ts';
import { registerJourneys } from './commands/journeys.ts';
import { registerRebuild } from './commands/rebuild.ts';
import { registerImport } from './commands/import.ts';
import { registerInit } from './commands/init.ts';
import { registerKpis } from './commands/kpis.ts';
import { registerRetention } from './commands/retention.ts';
import { registerServe } from './commands/serve.ts';
import { EXIT, reportError } from './output.ts';

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('tributary')
    .description('Tributary: self-hosted marketing data platform (collection, identity, attribution, analytics)')
    .version(VERSION)
    .showHelpAfterError()
    .exitOverride();
  registerInit(program);
  registerServe(program);
  registerEvents(program);
  registerQuarantine(program);
  registerImport(program);
  registerAttribute(program);
  registerFunnel(program);
  registerJourneys(program);
  registerKpis(program);
  registerRetention(program);
  registerRebuild(program);
  registerDemo(program);
  registerAccess(program);
  registerPrivacy(program);
  registerExport(program);
  return program;
}

/** Runs the CLI; returns the exit code (0 ok, 1 user error, 2 config error, 70 internal). */
export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync([...argv]);
    return EXIT.ok;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.ok : EXIT.user;
    return reportError(err, argv.includes('--json'));
  }
}
