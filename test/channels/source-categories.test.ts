import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SOURCE_CATEGORIES,
  lookupSourceCategory,
  SOURCE_CATEGORY_ORDER,
  siteNameOf,
  stripNoisePrefixes,
} from '../../src/channels/index.ts';

describe('source category lists', () => {
  it('are lower-case, trimmed, unique and disjoint, a reasonable few dozen each', () => {
    const seen = new Map<string, string>();
    for (const category of SOURCE_CATEGORY_ORDER) {
      const list = DEFAULT_SOURCE_CATEGORIES[category];
      expect(list.length, category).toBeGreaterThanOrEqual(20);
      for (const entry of list) {
        expect(entry, category).toBe(entry.trim().toLowerCase());
        expect(seen.get(entry), `${entry} in ${category}`).toBeUndefined();
        seen.set(entry, category);
      }
    }
  });

  it('are listed in full in the README', () => {
    const readme = readFileSync(new URL('../../src/channels/README.md', import.meta.url), 'utf8');
    for (const category of SOURCE_CATEGORY_ORDER) {
      const list = DEFAULT_SOURCE_CATEGORIES[category];
      expect(readme).toContain(`**${category}** (${list.length}): ${list.map((e) => `\`${e}\``).join(', ')}`);
    }
  });

  it('classify every entry as its own category, also with www., m. and a TLD added', () => {
    for (const category of SOURCE_CATEGORY_ORDER) {
      for (const entry of DEFAULT_SOURCE_CATEGORIES[category]) {
        const variants = entry.includes('.') ? [entry, `www.${entry}`] : [entry, `${entry}.com`, `www.${entry}.com`, `m.${entry}.co.uk`];
        for (const v of variants) expect(lookupSourceCategory(v), v).toBe(category);
      }
    }
  });
});

describe('lookupSourceCategory', () => {
  it.each([
    ['google', 'search'],
    [' Google.com ', 'search'],
    ['www.google.com.br', 'search'],
    ['search.yahoo.co.jp', 'search'],
    ['yandex.com.tr', 'search'],
    ['m.facebook.com', 'social'],
    ['l.facebook.com', 'social'],
    ['lm.facebook.com', 'social'],
    ['t.co', 'social'],
    ['mobile.x.com', 'social'],
    ['lnkd.in', 'social'],
    ['youtu.be', 'video'],
    ['m.youtube.com', 'video'],
    ['shopping.google.com', 'shopping'],
    ['amazon.co.uk', 'shopping'],
  ])('%s → %s', (source, category) => {
    expect(lookupSourceCategory(source)).toBe(category);
  });

  it.each(['mail.google.com', 'docs.google.com', 'x', 'googleblog.com', 'notfacebook.com', 'example.com', '', '  ', null, undefined])(
    '%s has no category',
    (source) => {
      expect(lookupSourceCategory(source)).toBeNull();
    },
  );

  it('uses custom lists', () => {
    const lists = { search: [], social: ['intranet-wall'], video: [], shopping: [] };
    expect(lookupSourceCategory('intranet-wall', lists)).toBe('social');
    expect(lookupSourceCategory('google', lists)).toBeNull();
  });
});

describe('host helpers', () => {
  it('strip noise prefixes and find site names', () => {
    expect(stripNoisePrefixes('www.m.facebook.com')).toBe('facebook.com');
    expect(siteNameOf('www.google.co.uk')).toBe('google');
    expect(siteNameOf('mail.google.com')).toBeNull();
    expect(siteNameOf('google')).toBeNull();
  });
});
