import { describe, expect, it } from 'vitest';
import { IdentityGraph, personIdFor, type IdentityMessage, type MessageOutcome } from '../../src/identity/index.ts';
import { anon, email, external, graph, msg, options, user } from './helpers.ts';

function applyAll(g: IdentityGraph, messages: readonly IdentityMessage[]): MessageOutcome[] {
  return messages.map((m) => g.applyMessage(m));
}

const merges = (outcomes: readonly MessageOutcome[]) => outcomes.flatMap((o) => o.merges);
const conflicts = (outcomes: readonly MessageOutcome[]) => outcomes.flatMap((o) => o.conflicts);

describe('anonymous browsing then login', () => {
  it('the anonymous visitor becomes the customer: one person, no merge', () => {
    const g = graph();
    const out = applyAll(g, [
      msg(0, { type: 'page', anonymousId: 'a1' }),
      msg(1, { type: 'page', anonymousId: 'a1' }),
      msg(5, { type: 'identify', anonymousId: 'a1', userId: 'u1', traits: { email: 'Jane@Example.com' } }),
      msg(6, { type: 'track', anonymousId: 'a1', userId: 'u1' }),
    ]);
    const person = personIdFor(anon('a1'));
    expect(out.map((o) => o.personId)).toEqual([person, person, person, person]);
    expect(g.personOf(user('u1'))).toBe(person);
    expect(g.personOf(email('jane@example.com'))).toBe(person);
    expect(merges(out)).toEqual([]);
    expect(g.personCount).toBe(1);
  });

  it('links only what the login message carries when the browsing was never seen by the graph', () => {
    const g = graph();
    const [o] = applyAll(g, [msg(5, { type: 'identify', anonymousId: 'a1', userId: 'u1' })]);
    expect(o.personId).toBe(personIdFor(user('u1')));
    expect(o.created).toHaveLength(1);
    expect(o.added.map((a) => a.identifier)).toEqual([user('u1'), anon('a1')]);
  });
});

describe('two devices then login', () => {
  it('both anonymous devices end in the customer; the later device merges into the older person', () => {
    const g = graph();
    const out = applyAll(g, [
      msg(0, { type: 'page', anonymousId: 'phone' }),
      msg(10, { type: 'page', anonymousId: 'laptop' }),
      msg(20, { type: 'identify', anonymousId: 'phone', userId: 'u1' }),
      msg(30, { type: 'identify', anonymousId: 'laptop', userId: 'u1', messageId: 'login-laptop' }),
    ]);
    const person = personIdFor(anon('phone'));
    for (const id of [anon('phone'), anon('laptop'), user('u1')]) expect(g.personOf(id)).toBe(person);
    expect(merges(out)).toEqual([
      {
        into: person,
        from: personIdFor(anon('laptop')),
        reason: 'link',
        via: anon('laptop'),
        messageId: 'login-laptop',
        at: out[3].merges[0].at,
        identifiers: [anon('laptop')],
      },
    ]);
    expect(g.personCount).toBe(1);
  });

  it('an e-mail typed anonymously on a second device joins it to the customer', () => {
    const g = graph();
    applyAll(g, [
      msg(0, { type: 'identify', anonymousId: 'd1', userId: 'u1', traits: { email: 'jane@example.com' } }),
      msg(5, { type: 'identify', anonymousId: 'd2', traits: { email: ' JANE@example.com' } }),
    ]);
    expect(g.personOf(anon('d2'))).toBe(g.personOf(user('u1')));
    expect(g.linkCount(email('jane@example.com'))).toBe(2);
  });
});

describe('alias', () => {
  it('links a previous userId to the new one (an explicit merge across userIds)', () => {
    const g = graph();
    const out = applyAll(g, [
      msg(0, { type: 'identify', anonymousId: 'a1', userId: 'guest_1', traits: { email: 'g@example.com' } }),
      msg(5, { type: 'identify', anonymousId: 'a2', userId: 'u_new' }),
      msg(9, { type: 'alias', anonymousId: 'a2', previousId: 'guest_1', userId: 'u_new', messageId: 'alias-1' }),
    ]);
    const person = personIdFor(user('guest_1'));
    for (const id of [user('guest_1'), user('u_new'), anon('a1'), anon('a2'), email('g@example.com')]) expect(g.personOf(id)).toBe(person);
    expect(merges(out)).toMatchObject([{ into: person, from: personIdFor(user('u_new')), reason: 'alias', via: user('guest_1'), messageId: 'alias-1' }]);
    expect(conflicts(out)).toEqual([]);
  });

  it('resolves previousId as a known anonymousId, else as a new userId', () => {
    const g = graph();
    applyAll(g, [
      msg(0, { type: 'page', anonymousId: 'anon-9' }),
      msg(1, { type: 'alias', previousId: 'anon-9', userId: 'u9' }),
      msg(2, { type: 'alias', previousId: 'legacy-7', userId: 'u7' }),
    ]);
    expect(g.personOf(user('u9'))).toBe(g.personOf(anon('anon-9')));
    expect(g.personOf(user('anon-9'))).toBeUndefined();
    expect(g.personOf(user('legacy-7'))).toBe(g.personOf(user('u7')));
  });
});

describe('shared device with two users', () => {
  const messages = () => [
    msg(0, { type: 'identify', anonymousId: 'family-tablet', userId: 'alice' }),
    msg(10, { type: 'track', anonymousId: 'family-tablet', userId: 'bob', messageId: 'bob-login' }),
    msg(20, { type: 'track', anonymousId: 'family-tablet', userId: 'bob' }),
  ];

  it('keeps the two users apart and records the refused link once', () => {
    const g = graph();
    const out = applyAll(g, messages());
    const alice = g.personOf(user('alice'))!;
    const bob = g.personOf(user('bob'))!;
    expect(alice).not.toBe(bob);
    expect(g.personOf(anon('family-tablet'))).toBe(alice);
    expect(out[1].personId).toBe(bob);
    expect(conflicts(out)).toEqual([
      { identifier: anon('family-tablet'), personId: alice, otherPersonId: bob, reason: 'distinct_user_ids', messageId: 'bob-login', at: out[1].conflicts[0].at },
    ]);
    expect(merges(out)).toEqual([]);
  });

  it('merges them when mergeDistinctUserIds is on', () => {
    const g = graph({ mergeDistinctUserIds: true });
    const out = applyAll(g, messages());
    expect(g.personOf(user('bob'))).toBe(g.personOf(user('alice')));
    expect(conflicts(out)).toEqual([]);
  });

  it('never merges two external ids through a shared e-mail either', () => {
    const g = graph();
    const out = applyAll(g, [
      msg(0, { type: 'import', externalId: 'crm-1', traits: { email: 'family@example.com' } }),
      msg(1, { type: 'import', externalId: 'crm-2', traits: { email: 'family@example.com' } }),
    ]);
    expect(g.personOf(external('crm-1'))).not.toBe(g.personOf(external('crm-2')));
    expect(conflicts(out).map((c) => c.reason)).toEqual(['distinct_external_ids']);
  });
});

describe('CRM import matching on hashed email', () => {
  it('a customer row with the same address in other case and whitespace joins the online person', () => {
    const g = graph();
    applyAll(g, [
      msg(0, { type: 'identify', anonymousId: 'a1', userId: 'u1', traits: { email: 'jane.doe@example.com', phone: '+1 212 555 0100' } }),
      msg(60, { type: 'import', externalId: 'crm-00000001', traits: { email: '  Jane.Doe@EXAMPLE.com ' } }),
      msg(61, { type: 'import', externalId: 'crm-00000002', traits: { phone: '(212) 555-0100' } }),
    ]);
    expect(g.personOf(external('crm-00000001'))).toBe(g.personOf(user('u1')));
    // The second row's phone is the same person's: it links too, but two external ids in one
    // person are refused (the CRM says they are different customers).
    expect(g.personOf(external('crm-00000002'))).not.toBe(g.personOf(user('u1')));
  });

  it('ignores a group call\'s traits (they describe the company)', () => {
    const g = graph();
    applyAll(g, [
      msg(0, { type: 'identify', userId: 'u1', traits: { email: 'owner@acme.com' } }),
      msg(1, { type: 'group', userId: 'u2', traits: { email: 'owner@acme.com' } }),
    ]);
    expect(g.linkCount(email('owner@acme.com'))).toBe(1);
    expect(g.personOf(user('u2'))).not.toBe(g.personOf(user('u1')));
  });

  it('reads e-mail and phone from context.traits on any message', () => {
    const g = graph();
    applyAll(g, [
      msg(0, { type: 'identify', userId: 'u1', traits: { email: 'jane@example.com' } }),
      msg(1, { type: 'track', anonymousId: 'tv', contextTraits: { email: 'Jane@example.com' } }),
    ]);
    expect(g.personOf(anon('tv'))).toBe(g.personOf(user('u1')));
  });
});

describe('merge chain A–B–C', () => {
  it('three people linked by two messages end as one (the oldest), with two merges recorded', () => {
    const g = graph();
    const out = applyAll(g, [
      msg(0, { type: 'identify', userId: 'A' }),
      msg(1, { type: 'page', anonymousId: 'B' }),
      msg(2, { type: 'identify', anonymousId: 'C', traits: { email: 'c@example.com' } }),
      msg(3, { type: 'track', anonymousId: 'B', userId: 'A', messageId: 'link-ab' }),
      msg(4, { type: 'identify', anonymousId: 'B', traits: { email: 'c@example.com' }, messageId: 'link-bc' }),
    ]);
    const a = personIdFor(user('A'));
    for (const id of [user('A'), anon('B'), anon('C'), email('c@example.com')]) expect(g.personOf(id)).toBe(a);
    expect(merges(out).map((m) => [m.into, m.from, m.messageId])).toEqual([
      [a, personIdFor(anon('B')), 'link-ab'],
      [a, personIdFor(anon('C')), 'link-bc'],
    ]);
    expect(merges(out)[1].identifiers).toEqual([anon('C'), email('c@example.com')]);
    expect(g.personCount).toBe(1);
  });

  it('on equal creation times the smaller id survives', () => {
    const g = graph();
    const out = applyAll(g, [
      msg(0, { type: 'page', anonymousId: 'x' }),
      msg(0, { type: 'page', anonymousId: 'y' }),
      msg(1, { type: 'identify', anonymousId: 'x', traits: { email: 'e@example.com' } }),
      msg(2, { type: 'identify', anonymousId: 'y', traits: { email: 'e@example.com' } }),
    ]);
    const [px, py] = [personIdFor(anon('x')), personIdFor(anon('y'))];
    expect(merges(out)[0].into).toBe(px < py ? px : py);
  });
});

describe('an identifier linked to too many people', () => {
  it('is flagged at the limit and links nobody afterwards', () => {
    const g = graph({ maxPeoplePerIdentifier: 3 });
    const out = applyAll(
      g,
      ['k1', 'k2', 'k3', 'k4', 'k5'].map((a, i) => msg(i, { type: 'identify', anonymousId: a, traits: { email: 'test@test.com' }, messageId: `kiosk-${i}` })),
    );
    const first = g.personOf(anon('k1'));
    expect(['k1', 'k2', 'k3'].map((a) => g.personOf(anon(a)))).toEqual([first, first, first]);
    expect(g.personOf(anon('k4'))).not.toBe(first);
    expect(g.personOf(anon('k5'))).not.toBe(first);
    expect(g.personOf(anon('k5'))).not.toBe(g.personOf(anon('k4')));
    expect(out.flatMap((o) => o.flags)).toEqual([
      { identifier: email('test@test.com'), personId: first, reason: 'max_people', linkCount: 3, messageId: 'kiosk-3', at: out[3].flags[0].at },
    ]);
    expect(g.isFlagged(email('test@test.com'))).toBe(true);
  });

  it('counts a shared device linked to many users even when the links are refused', () => {
    const g = graph({ maxPeoplePerIdentifier: 2 });
    const out = applyAll(g, ['u1', 'u2', 'u3', 'u4'].map((u, i) => msg(i, { type: 'identify', anonymousId: 'kiosk', userId: u })));
    expect(conflicts(out)).toHaveLength(1);
    expect(out.flatMap((o) => o.flags).map((f) => f.messageId)).toEqual([out[2].flags[0].messageId]);
    expect(out[3].flags).toEqual([]);
    expect(out[3].conflicts).toEqual([]);
    // The flagged device no longer links anything, not even a new e-mail to its first user.
    const after = g.applyMessage(msg(9, { type: 'identify', anonymousId: 'kiosk', traits: { email: 'visitor@example.com' } }));
    expect(after.personId).toBe(g.personOf(email('visitor@example.com')));
    expect(g.personOf(email('visitor@example.com'))).not.toBe(g.personOf(user('u1')));
  });
});

describe('determinism and persistence', () => {
  const stream = () => [
    msg(0, { type: 'page', anonymousId: 'a', messageId: 'd1' }),
    msg(1, { type: 'identify', anonymousId: 'a', userId: 'u', traits: { email: 'u@example.com' }, messageId: 'd2' }),
    msg(2, { type: 'identify', anonymousId: 'b', traits: { email: 'u@example.com' }, messageId: 'd3' }),
    msg(3, { type: 'track', anonymousId: 'b', userId: 'v', messageId: 'd4' }),
    msg(4, { type: 'alias', previousId: 'v', userId: 'u', messageId: 'd5' }),
  ];

  it('the same messages give the same people and the same changes', () => {
    const one = applyAll(graph(), stream());
    const two = applyAll(graph(), stream());
    expect(two).toEqual(one);
    const [pa, pv] = [personIdFor(anon('a')), personIdFor(user('v'))];
    // d4: 'b' belongs to u's person, so v (another userId) starts its own; d5 aliases them.
    expect(one.map((o) => o.personId)).toEqual([pa, pa, pa, pv, pa]);
    expect(one[3].conflicts).toHaveLength(1);
    expect(one[4].merges).toMatchObject([{ into: pa, from: pv, reason: 'alias' }]);
  });

  it('a graph restored from its snapshot continues exactly like the live one', () => {
    const live = graph();
    const first = stream().slice(0, 3);
    applyAll(live, first);
    const identities = [anon('a'), user('u'), email('u@example.com'), anon('b')].map((id) => ({
      ...id,
      personId: live.personOf(id)!,
      linkCount: live.linkCount(id),
    }));
    const restored = new IdentityGraph(options(), {
      identities,
      people: [{ personId: live.personOf(anon('a'))!, createdAt: live.createdAt(live.personOf(anon('a'))!)! }],
      flagged: [],
      conflictKeys: [],
    });
    const rest = stream().slice(3);
    expect(applyAll(restored, rest)).toEqual(applyAll(live, rest));
  });
});
