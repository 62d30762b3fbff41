import { describe, expect, it } from 'vitest';
import { applyBatch, applyBatchSteps, foldPeople, personIdFor, type PersonRow } from '../../src/identity/index.ts';
import { anon, graph, msg, user } from './helpers.ts';

describe('applyBatch', () => {
  it('writes new identifiers with the person they end in and re-points merged people to the final survivor', () => {
    const g = graph();
    const plan = applyBatch(g, [
      msg(0, { type: 'identify', userId: 'A', traits: { plan: 'free' } }),
      msg(1, { type: 'page', anonymousId: 'B' }),
      msg(2, { type: 'identify', anonymousId: 'C', traits: { email: 'c@example.com', plan: 'trial' } }),
      msg(3, { type: 'track', anonymousId: 'B', userId: 'A' }),
      msg(4, { type: 'identify', anonymousId: 'B', traits: { email: 'c@example.com', plan: 'pro' } }),
    ]);
    const a = personIdFor(user('A'));
    expect(plan.messages).toBe(5);
    expect(plan.peopleCreated).toBe(3);
    expect(plan.newIdentities.map((n) => n.personId)).toEqual([a, a, a, a]);
    expect(plan.repoint).toEqual([
      { from: personIdFor(anon('B')), into: a },
      { from: personIdFor(anon('C')), into: a },
    ]);
    expect([...plan.people.keys()]).toEqual([a]);
    const patch = plan.people.get(a)!;
    expect(patch.mergedFrom).toEqual([personIdFor(anon('B')), personIdFor(anon('C'))]);
    expect(patch.traits).toEqual([{ plan: 'free' }, { email: 'c@example.com', plan: 'trial' }, { email: 'c@example.com', plan: 'pro' }]);
  });

  it('reports link-count changes of identifiers stored before the batch only', () => {
    const g = graph();
    applyBatch(g, [msg(0, { type: 'identify', userId: 'u1', traits: { email: 'e@example.com' } })]);
    const plan = applyBatch(g, [msg(1, { type: 'identify', anonymousId: 'a9', traits: { email: 'e@example.com' } })]);
    expect(plan.newIdentities.map((n) => n.identifier)).toEqual([anon('a9')]);
    expect(plan.linkCounts).toEqual([{ identifier: { kind: 'email', value: expect.any(String) }, linkCount: 2 }]);
  });
});

describe('applyBatchSteps', () => {
  it('pauses after every step of messages and ends with the plan applyBatch gives', () => {
    const messages = [
      msg(0, { type: 'identify', userId: 'A', traits: { plan: 'free' } }),
      msg(1, { type: 'page', anonymousId: 'B' }),
      msg(2, { type: 'identify', anonymousId: 'C', traits: { email: 'c@example.com', plan: 'trial' } }),
      msg(3, { type: 'track', anonymousId: 'B', userId: 'A' }),
      msg(4, { type: 'identify', anonymousId: 'B', traits: { email: 'c@example.com', plan: 'pro' } }),
      msg(5, { type: 'page', anonymousId: 'D' }),
      msg(6, { type: 'alias', userId: 'A', previousId: 'D' }),
    ];
    const steps = applyBatchSteps(graph(), messages, 3);
    let pauses = 0;
    let step = steps.next();
    while (!step.done) {
      pauses++;
      step = steps.next();
    }
    expect(pauses).toBe(2);
    expect(step.value).toEqual(applyBatch(graph(), messages));
    expect(step.value.merges.length).toBeGreaterThan(0);
  });
});

describe('foldPeople', () => {
  it('folds stored rows of merged people into the survivor; the survivor wins shared traits, then the batch', () => {
    const g = graph();
    applyBatch(g, [msg(0, { type: 'identify', userId: 'A' }), msg(10, { type: 'identify', userId: 'Z', anonymousId: 'z' })]);
    const a = g.personOf(user('A'))!;
    const z = g.personOf(user('Z'))!;
    const stored = new Map<string, PersonRow>([
      [a, { personId: a, createdAt: 1000, firstSeen: 1000, lastSeen: 5000, traits: { tier: 'gold', city: 'Oslo' } }],
      [z, { personId: z, createdAt: 2000, firstSeen: 500, lastSeen: 9000, traits: { tier: 'bronze', name: 'Zed' } }],
    ]);
    const plan = applyBatch(g, [msg(20, { type: 'alias', previousId: 'Z', userId: 'A', traits: { ignored: true } })]);
    const { rows, replace } = foldPeople(plan, stored);
    expect(replace.sort()).toEqual([a, z].sort());
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ personId: a, firstSeen: 500, traits: { tier: 'gold', city: 'Oslo', name: 'Zed' } });
    expect(rows[0].lastSeen).toBe(plan.people.get(a)!.lastSeen);
  });
});
