import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { runCli } from '../helpers/cli.ts';
import { makeTestDataDir, removeTestDataDir } from '../helpers/server.ts';

let parent: string;
let dataDir: string;
beforeAll(async () => {
  parent = makeTestDataDir();
  dataDir = path.join(parent, 'data');
  const init = await runCli('init', '--data', dataDir, '--json');
  expect(init.code, init.stderr).toBe(0);
});
afterAll(() => removeTestDataDir(parent));

const json = async (...args: string[]) => {
  const run = await runCli(...args, '--data', dataDir, '--json');
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout);
};

describe('tributary users | tokens | keys | audit (on the file)', () => {
  it('adds a user with a generated password shown once, lists and removes it', async () => {
    const added = await json('users', 'add', '--email', 'Mia@Example.com', '--role', 'marketer', '--name', 'Mia');
    expect(added.user).toMatchObject({ email: 'mia@example.com', role: 'marketer', name: 'Mia' });
    expect(added.password).toMatch(/^[\w-]{20}$/);
    expect((await json('users', 'list')).users.map((u: { email: string }) => u.email)).toEqual(['mia@example.com']);
    const bad = await runCli('users', 'add', '--email', 'x@example.com', '--role', 'owner', '--data', dataDir);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('role: "owner" is not a role');
    expect((await json('users', 'remove', '--email', 'mia@example.com')).removed.email).toBe('mia@example.com');
    expect((await json('users', 'list')).users).toEqual([]);
    const missing = await runCli('users', 'remove', '--email', 'mia@example.com', '--data', dataDir);
    expect(missing.stderr).toContain('no user with e-mail mia@example.com');
  });

  it('creates a token (secret once), lists it without the secret, revokes it', async () => {
    const created = await json('tokens', 'create', '--name', 'bi export', '--role', 'analyst');
    expect(created.token).toMatch(/^trb_/);
    const listed = (await json('tokens', 'list')).tokens.find((t: { id: string }) => t.id === created.id);
    expect(listed).toMatchObject({ name: 'bi export', role: 'analyst', keyHint: '…' + created.token.slice(-4) });
    expect(JSON.stringify(listed)).not.toContain(created.token);
    await json('tokens', 'revoke', created.id);
    expect((await json('tokens', 'list')).tokens.some((t: { id: string }) => t.id === created.id)).toBe(false);
    expect((await runCli('tokens', 'revoke', created.id, '--data', dataDir)).stderr).toContain('no live token');
  });

  it('creates, rotates and revokes a write key', async () => {
    const created = await json('keys', 'create', '--name', 'ios app');
    expect(created.writeKey).toMatch(/^wk_/);
    const rotated = await json('keys', 'rotate', created.source.id);
    expect(rotated.writeKey).not.toBe(created.writeKey);
    expect(rotated.source.keyHint).toBe('…' + rotated.writeKey.slice(-4));
    const revoked = await json('keys', 'revoke', created.source.id);
    expect(revoked.source.revoked).toBe(true);
    const sources = (await json('keys', 'list')).sources;
    expect(sources.map((s: { name: string }) => s.name)).toEqual(['default', 'ios app']);
  });

  it('records every change in the audit log, newest first, as the CLI', async () => {
    const { entries } = await json('audit', '--limit', '20');
    expect(entries.map((e: { action: string }) => e.action)).toEqual([
      'key.revoke', 'key.rotate', 'key.create', 'token.revoke', 'token.create', 'user.remove', 'user.add',
    ]);
    expect(entries.every((e: { actor: string }) => e.actor === 'cli')).toBe(true);
    expect((await json('audit', '--action', 'user')).entries).toHaveLength(2);
  });

  it('lists the personal data keys and rotates them, audited', async () => {
    const before = (await json('privacy', 'keys')).keys;
    expect(before).toEqual([{ id: 'k1', createdAt: expect.any(String), current: true }]);
    expect(await json('privacy', 'rotate-key')).toEqual({ current: 'k2', previous: 'k1' });
    expect((await json('privacy', 'keys')).keys.map((k: { id: string; current: boolean }) => [k.id, k.current])).toEqual([['k1', false], ['k2', true]]);
    expect((await json('audit', '--action', 'pii_key')).entries).toEqual([expect.objectContaining({ action: 'pii_key.rotate', target: 'k2', actor: 'cli' })]);
  });

  it('refuses a data directory that was never initialised', async () => {
    const run = await runCli('users', 'list', '--data', path.join(parent, 'nothing-here'));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('is not initialised');
  });
});
