import fs from 'node:fs';
import type { Command } from 'commander';
import { loadConfig } from '../../config/index.ts';
import { TributaryError } from '../../errors/index.ts';
import { databasePath } from '../../store/index.ts';
import { AuditLog, loadOrCreateSecret, PiiKeyring, type PiiKeyInfo } from '../../privacy/index.ts';
import { findPersonId, type ErasureReport, type PersonExport } from '../../profiles/index.ts';
import { createServices } from '../../server/services.ts';
import { note, printJson, printTable } from '../output.ts';
import { withDataDir, type ServerClient } from '../target.ts';

interface SubjectOptions {
  userId?: string;
  anonymousId?: string;
  email?: string;
  phone?: string;
  personId?: string;
  data?: string;
  json?: boolean;
}

/** The one identifier given (the e-mail and phone are hashed before any lookup). */
function subjectOf(opts: SubjectOptions): { kind: 'userId' | 'anonymousId' | 'email' | 'phone' | 'personId'; value: string } {
  const given = (['userId', 'anonymousId', 'email', 'phone', 'personId'] as const).filter((k) => opts[k] !== undefined && opts[k] !== '');
  if (given.length !== 1) throw new TributaryError('bad_request', 'give exactly one of --user-id, --anonymous-id, --email, --phone, --person-id');
  return { kind: given[0], value: opts[given[0]]! };
}

/** Runs a right-of-access or erasure request on the running server or on the file. */
async function forSubject<T>(opts: SubjectOptions, viaServer: (personId: string, api: Parameters<Parameters<typeof withDataDir>[1]>[0]) => Promise<T>, viaFile: (personId: string, services: Awaited<ReturnType<typeof createServices>>) => Promise<T>): Promise<T> {
  const config = loadConfig({ dataDir: opts.data });
  if (!fs.existsSync(databasePath(config.dataDir))) throw new TributaryError('bad_request', `${config.dataDir} is not initialised: run "tributary init --data ${config.dataDir}" first`);
  const subject = subjectOf(opts);
  return withDataDir(
    config.dataDir,
    async (api) => {
      const personId =
        subject.kind === 'personId' ? subject.value : (await api.get<{ personId: string }>(`/api/people?${new URLSearchParams({ [subject.kind]: subject.value })}`)).personId;
      return viaServer(personId, api);
    },
    async (store) => {
      const services = await createServices(store, config, loadOrCreateSecret(config.dataDir, config.secret));
      await services.ingest.loadSuppressions();
      const personId = subject.kind === 'personId' ? subject.value : await findPersonId(services.identity, { [subject.kind]: subject.value } as never);
      if (!personId) throw new TributaryError('not_found', 'no person has that identifier');
      return viaFile(personId, services);
    },
  );
}

function subjectOptions(command: Command): Command {
  return command
    .option('--user-id <id>', 'the person by userId')
    .option('--anonymous-id <id>', 'the person by anonymousId')
    .option('--email <email>', 'the person by e-mail (matched by keyed hash)')
    .option('--phone <phone>', 'the person by phone number (matched by keyed hash)')
    .option('--person-id <id>', 'the person by Tributary person id')
    .option('--data <dir>', 'data directory (env TRIBUTARY_DATA_DIR, default ./data)');
}

export function registerPrivacy(program: Command): void {
  const privacy = program.command('privacy').description("data subjects' rights (erase a person, export a person's data) and the keys that encrypt personal data");
  subjectOptions(privacy.command('erase'))
    .description("erase a person's events, identifiers, traits and derived data, and drop later messages for them")
    .option('--json', 'print the erasure report as JSON')
    .action(async (opts: SubjectOptions) => {
      const report = await forSubject<ErasureReport>(
        opts,
        (id, api) => api.send<ErasureReport>('DELETE', `/api/people/${encodeURIComponent(id)}`),
        (id, services) => services.erasure.erase(id, { name: 'cli' }),
      );
      if (opts.json) printJson(report);
      else {
        note(`erased ${report.personId}: ${report.identifiers} identifiers, now suppressed`);
        printTable(Object.entries(report.deleted).filter(([, n]) => n > 0).map(([table, rows]) => ({ table, rows })));
      }
    });
  subjectOptions(privacy.command('export'))
    .description('print everything stored about a person as JSON (right of access)')
    .action(async (opts: SubjectOptions) => {
      const data = await forSubject<PersonExport>(
        opts,
        (id, api) => api.get<PersonExport>(`/api/people/${encodeURIComponent(id)}/export`),
        (id, services) => services.erasure.export(id, { name: 'cli' }),
      );
      printJson(data);
    });
  privacy
    .command('keys')
    .description('list the keys that encrypt personal data (ids and dates only)')
    .option('--data <dir>', 'data directory (default: TRIBUTARY_DATA_DIR or ./data)')
    .option('--json', 'print JSON')
    .action(async (opts: { data?: string; json?: boolean }) => {
      const keys = await forKeyring(
        opts.data,
        async (api) => (await api.get<{ keys: PiiKeyInfo[] }>('/api/privacy/keys')).keys,
        async (ring) => ring.list(),
      );
      if (opts.json) printJson({ keys });
      else printTable(keys.map((k) => ({ id: k.id, created: k.createdAt, current: k.current ? 'yes' : '' })));
    });
  privacy
    .command('rotate-key')
    .description('add a new key for personal data and seal new data with it (older keys stay to read older data)')
    .option('--data <dir>', 'data directory (default: TRIBUTARY_DATA_DIR or ./data)')
    .option('--json', 'print JSON')
    .action(async (opts: { data?: string; json?: boolean }) => {
      const result = await forKeyring(
        opts.data,
        (api) => api.send<{ current: string; previous: string }>('POST', '/api/privacy/keys/rotate'),
        async (ring, audit) => {
          const previous = ring.current.id;
          const current = await ring.rotate();
          await audit.record({ actor: 'cli', ip: null, action: 'pii_key.rotate', target: current, details: { previous } });
          return { current, previous };
        },
      );
      if (opts.json) printJson(result);
      else note(`personal data is now sealed with key ${result.current} (${result.previous} still reads older data)`);
    });
}

/** Runs a keyring command on the running server or on the file. */
async function forKeyring<T>(dataDir: string | undefined, viaServer: (api: ServerClient) => Promise<T>, viaFile: (ring: PiiKeyring, audit: AuditLog) => Promise<T>): Promise<T> {
  const config = loadConfig({ dataDir });
  if (!fs.existsSync(databasePath(config.dataDir))) throw new TributaryError('bad_request', `${config.dataDir} is not initialised: run "tributary init --data ${config.dataDir}" first`);
  return withDataDir(config.dataDir, viaServer, async (store) =>
    viaFile(await PiiKeyring.open(store, loadOrCreateSecret(config.dataDir, config.secret)), new AuditLog(store)),
  );
}
