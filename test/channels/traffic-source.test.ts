import { describe, expect, it } from 'vitest';
import { classifyChannel, deriveTrafficSource, isOwnHost, referrerHost } from '../../src/channels/index.ts';

const SITE = { siteHosts: ['example.com'] };

describe('referrer derivation (no utm, no click id)', () => {
  it.each([
    ['https://www.google.com/search?q=shoes', 'google', 'organic', 'Organic Search'],
    ['https://www.google.co.uk/', 'google', 'organic', 'Organic Search'],
    ['https://search.yahoo.com/search?p=shoes', 'yahoo', 'organic', 'Organic Search'],
    ['https://duckduckgo.com/', 'duckduckgo', 'organic', 'Organic Search'],
    ['https://cn.bing.com/search?q=x', 'cn.bing.com', 'organic', 'Organic Search'],
    ['google.com', 'google', 'organic', 'Organic Search'],
    ['https://l.facebook.com/l.php?u=https%3A%2F%2Fexample.com', 'l.facebook.com', 'referral', 'Organic Social'],
    ['https://t.co/AbC123', 't.co', 'referral', 'Organic Social'],
    ['https://www.linkedin.com/feed/', 'linkedin.com', 'referral', 'Organic Social'],
    ['https://m.youtube.com/watch?v=1', 'm.youtube.com', 'referral', 'Organic Video'],
    ['https://www.amazon.de/dp/B0', 'amazon.de', 'referral', 'Organic Shopping'],
    ['https://news.example.org/story', 'news.example.org', 'referral', 'Referral'],
    ['https://mail.google.com/mail/u/0/', 'mail.google.com', 'referral', 'Referral'],
    ['android-app://com.google.android.gm/', 'com.google.android.gm', 'referral', 'Referral'],
  ])('%s → %s / %s → %s', (referrer, source, medium, channel) => {
    const result = classifyChannel({ referrer }, undefined, SITE);
    expect(result).toMatchObject({ source, medium, channel, campaign: null });
  });

  it('ignores the site itself, its subdomains and www', () => {
    for (const referrer of ['https://example.com/pricing', 'https://www.example.com/', 'https://shop.example.com/cart']) {
      expect(classifyChannel({ referrer }, undefined, SITE)).toMatchObject({ source: '(direct)', medium: '(none)', channel: 'Direct' });
    }
  });

  it('does not mistake a look-alike host for the site', () => {
    expect(isOwnHost('example.com.evil.net', ['example.com'])).toBe(false);
    expect(isOwnHost('notexample.com', ['example.com'])).toBe(false);
    expect(classifyChannel({ referrer: 'https://example.com.evil.net/' }, undefined, SITE).channel).toBe('Referral');
  });

  it('accepts site hosts written as URLs', () => {
    expect(isOwnHost('example.com', ['https://www.example.com/'])).toBe(true);
  });

  it('is direct without referrer or with an unusable one', () => {
    for (const referrer of [undefined, null, '', '   ', 'not a url']) {
      expect(deriveTrafficSource({ referrer })).toEqual({ source: '(direct)', medium: '(none)', campaign: null, origin: 'direct' });
    }
  });

  it('parses hosts from URLs and bare hosts', () => {
    expect(referrerHost('HTTPS://WWW.Example.COM./a')).toBe('example.com');
    expect(referrerHost('www.bing.com')).toBe('bing.com');
    expect(referrerHost(undefined)).toBeNull();
  });
});

describe('manual tags', () => {
  it('win over the referrer', () => {
    const r = classifyChannel({ source: 'newsletter', medium: 'email', referrer: 'https://www.google.com/' });
    expect(r).toMatchObject({ source: 'newsletter', medium: 'email', channel: 'Email' });
  });

  it('are read from the page URL when not given, keeping the campaign case', () => {
    const r = classifyChannel({ pageUrl: '/landing?utm_source=Facebook&utm_medium=paid_social&utm_campaign=Spring%20Sale' });
    expect(r).toEqual({ channel: 'Paid Social', source: 'facebook', medium: 'paid_social', campaign: 'Spring Sale', rule: 'ga4/paid-social' });
  });

  it('given fields win over the page URL', () => {
    const r = deriveTrafficSource({ source: 'bing', medium: 'cpc', pageUrl: 'https://example.com/?utm_source=google&utm_medium=organic' });
    expect(r).toMatchObject({ source: 'bing', medium: 'cpc', origin: 'utm' });
  });

  it('fill a missing half with (not set)', () => {
    expect(deriveTrafficSource({ source: 'Newsletter' })).toMatchObject({ source: 'newsletter', medium: '(not set)' });
    expect(deriveTrafficSource({ medium: 'email' })).toMatchObject({ source: '(not set)', medium: 'email' });
  });

  it('treat blank values as absent', () => {
    expect(deriveTrafficSource({ source: '  ', medium: '', campaign: ' ' })).toMatchObject({ source: '(direct)', medium: '(none)', campaign: null });
  });

  it('tolerate a malformed page URL', () => {
    expect(deriveTrafficSource({ pageUrl: 'http://[::1' }).origin).toBe('direct');
  });
});

describe('auto-tagging click ids', () => {
  it.each([
    ['gclid', 'google', 'cpc', 'Paid Search'],
    ['gbraid', 'google', 'cpc', 'Paid Search'],
    ['wbraid', 'google', 'cpc', 'Paid Search'],
    ['msclkid', 'bing', 'cpc', 'Paid Search'],
    ['dclid', 'dfa', 'cpm', 'Display'],
    ['ttclid', 'tiktok', 'cpc', 'Paid Social'],
    ['fbclid', 'facebook', 'social', 'Organic Social'],
  ])('%s → %s / %s → %s', (param, source, medium, channel) => {
    const r = classifyChannel({ pageUrl: `https://example.com/p?${param}=abc123` });
    expect(r).toMatchObject({ source, medium, channel });
  });

  it('are ignored when utm tags are present', () => {
    const r = classifyChannel({ pageUrl: 'https://example.com/?utm_source=newsletter&utm_medium=email&gclid=x' });
    expect(r.channel).toBe('Email');
    expect(classifyChannel({ source: 'facebook', medium: 'paid_social', pageUrl: '/?fbclid=x' }).channel).toBe('Paid Social');
  });

  it('win over the referrer', () => {
    const r = classifyChannel({ pageUrl: '/?gclid=x', referrer: 'https://l.facebook.com/' });
    expect(r).toMatchObject({ source: 'google', medium: 'cpc', channel: 'Paid Search' });
  });

  it('follow precedence when several are present, and ignore case of the name', () => {
    expect(deriveTrafficSource({ pageUrl: '/?fbclid=a&GCLID=b' })).toMatchObject({ source: 'google', origin: 'click-id' });
  });

  it('need a value', () => {
    expect(deriveTrafficSource({ pageUrl: '/?gclid=' }).origin).toBe('direct');
  });

  it('keep the utm campaign', () => {
    expect(classifyChannel({ pageUrl: '/?gclid=x&utm_campaign=Brand' })).toMatchObject({ campaign: 'Brand', channel: 'Paid Search' });
    expect(classifyChannel({ pageUrl: '/?gclid=x&utm_campaign=PMax cross-network' }).channel).toBe('Cross-network');
  });
});
