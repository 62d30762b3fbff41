import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readJson, send, startTestServer, type TestServer } from '../helpers/server.ts';

let server: TestServer;
const tokens: Record<string, string> = {};
let personId: string;

beforeAll(async () => {
  server = await startTestServer();
  for (const role of ['analyst', 'marketer']) tokens[role] = (await server.access.createToken(role, role)).token;
  await send(server, '/v1/identify', {
    userId: 'u-jane',
    traits: { email: 'jane.doe@example.com', phone: '+14155550123', firstName: 'Jane', plan: 'pro' },
    context: { ip: '203.0.113.9' },
  });
  await send(server, '/v1/track', { userId: 'u-jane', event: 'Form Sent', properties: { email: 'jane.doe@example.com', form: 'newsletter' } });
  await server.processNow();
  personId = (await readJson(await server.api('/api/people?userId=u-jane'))).personId;
});
afterAll(async () => {
  await server?.stop();
});

const as = (role: string, path: string) => fetch(server.url + path, { headers: { authorization: `Bearer ${tokens[role]}` } });

describe('personal data by role', () => {
  it('shows a marketer the profile with personal fields masked, an analyst in the clear', async () => {
    const marketer = await readJson(await as('marketer', `/api/people/${personId}`));
    expect(marketer.traits).toEqual({ email: 'j•••@example.com', phone: '••••••••0123', firstName: 'J•••', plan: 'pro' });
    const form = marketer.timeline.find((e: { event: string }) => e.event === 'Form Sent');
    expect(form.properties).toEqual({ email: 'j•••@example.com', form: 'newsletter' });
    const analyst = await readJson(await as('analyst', `/api/people/${personId}`));
    expect(analyst.traits.email).toBe('jane.doe@example.com');
    expect(JSON.stringify(marketer)).not.toContain('jane.doe');
  });

  it('masks the event stream (traits, properties, IP) for a marketer', async () => {
    const marketer = await readJson(await as('marketer', '/api/events?userId=u-jane'));
    const text = JSON.stringify(marketer.events);
    expect(text).not.toContain('jane.doe');
    expect(text).not.toContain('203.0.113.9');
    const identify = marketer.events.find((e: { type: string }) => e.type === 'identify');
    expect(identify.context.ip).toBe('2•••');
    const analyst = await readJson(await as('analyst', '/api/events?userId=u-jane'));
    expect(JSON.stringify(analyst.events)).toContain('jane.doe@example.com');
  });
});
