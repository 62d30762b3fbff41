/**
 * Static lists the demo world draws from: names, places, stores, user agents, referrers.
 * Kept apart from the behavioural model so the model reads as logic, not as word lists.
 * Everything here is invented; domains use reserved or obviously fictional names.
 */

export const FIRST_NAMES = [
  'Jane', 'John', 'Maria', 'James', 'Olivia', 'Liam', 'Emma', 'Noah', 'Ava', 'Lucas', 'Sophia',
  'Mason', 'Isabella', 'Ethan', 'Mia', 'Logan', 'Amelia', 'Elijah', 'Harper', 'Aiden', 'Evelyn',
  'Mateo', 'Abigail', 'Leo', 'Emily', 'Jack', 'Ella', 'Henry', 'Chloe', 'Owen', 'Grace', 'Samuel',
  'Zoe', 'David', 'Nora', 'Daniel', 'Lily', 'Joseph', 'Hannah', 'Carter', 'Aria', 'Wyatt', 'Layla',
  'Julian', 'Riley', 'Levi', 'Ellie', 'Isaac', 'Luna', 'Gabriel', 'Stella', 'Anna', 'Felix',
  'Lena', 'Jonas', 'Clara', 'Paul', 'Marie', 'Tom', 'Sofia', 'Priya', 'Arjun', 'Wei', 'Mei',
] as const;

export const LAST_NAMES = [
  'Doe', 'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez',
  'Martinez', 'Hernandez', 'Lopez', 'Gonzalez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore',
  'Jackson', 'Martin', 'Lee', 'Perez', 'Thompson', 'White', 'Harris', 'Sanchez', 'Clark', 'Ramirez',
  'Lewis', 'Robinson', 'Walker', 'Young', 'Allen', 'King', 'Wright', 'Scott', 'Torres', 'Nguyen',
  'Hill', 'Flores', 'Green', 'Adams', 'Nelson', 'Baker', 'Hall', 'Rivera', 'Campbell', 'Mitchell',
  'Carter', 'Roberts', 'Mueller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Patel', 'Chen',
  'Wang', 'Kim', 'Evans', 'Hughes', 'Edwards', 'Wood',
] as const;

export const EMAIL_DOMAINS = ['gmail.com', 'yahoo.com', 'outlook.com', 'icloud.com', 'hotmail.com', 'proton.me'] as const;

export type CountryCode = 'US' | 'CA' | 'GB' | 'DE';

export type Place = { city: string; country: CountryCode; storeId?: string };

/** Cities with a `storeId` have a physical store; only their residents become store shoppers. */
export const PLACES: readonly Place[] = [
  { city: 'New York', country: 'US', storeId: 'store-nyc-01' },
  { city: 'Los Angeles', country: 'US', storeId: 'store-lax-01' },
  { city: 'Chicago', country: 'US', storeId: 'store-chi-01' },
  { city: 'Austin', country: 'US', storeId: 'store-aus-01' },
  { city: 'Seattle', country: 'US' },
  { city: 'Denver', country: 'US' },
  { city: 'Boston', country: 'US' },
  { city: 'Miami', country: 'US' },
  { city: 'Atlanta', country: 'US' },
  { city: 'San Francisco', country: 'US', storeId: 'store-sfo-01' },
  { city: 'Toronto', country: 'CA' },
  { city: 'Vancouver', country: 'CA' },
  { city: 'London', country: 'GB', storeId: 'store-lon-01' },
  { city: 'Manchester', country: 'GB' },
  { city: 'Berlin', country: 'DE' },
  { city: 'Munich', country: 'DE' },
];

/** Relative population of each entry of PLACES (US-heavy, like a US-based shop). */
export const PLACE_WEIGHTS = [14, 10, 8, 5, 5, 4, 5, 4, 4, 6, 5, 3, 8, 3, 4, 2];

export const LOCALES: Record<CountryCode, readonly string[]> = {
  US: ['en-US', 'en-US', 'en-US', 'es-US'],
  CA: ['en-CA', 'en-CA', 'fr-CA'],
  GB: ['en-GB'],
  DE: ['de-DE', 'de-DE', 'en-GB'],
};

export const DESKTOP_AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:127.0) Gecko/20100101 Firefox/127.0',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0',
] as const;

export const MOBILE_AGENTS = [
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36',
  'Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/126.0.0.0 Mobile/15E148 Safari/604.1',
] as const;

export const TABLET_AGENTS = [
  'Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Linux; Android 13; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
] as const;

export type AppPlatform = {
  os: string;
  osVersion: string;
  manufacturer: string;
  model: string;
  library: string;
  libraryVersion: string;
};

export const APP_PLATFORMS: readonly AppPlatform[] = [
  { os: 'iOS', osVersion: '17.5', manufacturer: 'Apple', model: 'iPhone15,2', library: 'analytics-ios', libraryVersion: '4.1.8' },
  { os: 'iOS', osVersion: '17.4', manufacturer: 'Apple', model: 'iPhone14,5', library: 'analytics-ios', libraryVersion: '4.1.8' },
  { os: 'Android', osVersion: '14', manufacturer: 'Google', model: 'Pixel 8', library: 'analytics-android', libraryVersion: '4.11.3' },
  { os: 'Android', osVersion: '14', manufacturer: 'samsung', model: 'SM-S918B', library: 'analytics-android', libraryVersion: '4.11.3' },
];

export const APP_INFO = { name: 'Tributary Shop', version: '3.2.1', build: '321', namespace: 'com.example.tributaryshop' } as const;

export const SITE_ORIGIN = 'https://shop.example.com';

export const WEB_LIBRARY = { name: 'analytics.js', version: 'npm:next-1.84.3' } as const;
export const SERVER_LIBRARY = { name: '@segment/analytics-node', version: '3.1.0' } as const;

/** Organic search referrers (no utm): the channels capability must classify these by referrer. */
export const SEARCH_REFERRERS = [
  'https://www.google.com/', 'https://www.google.com/', 'https://www.google.com/', 'https://www.google.com/',
  'https://www.bing.com/', 'https://duckduckgo.com/', 'https://www.google.co.uk/',
] as const;

/** Blog and publisher referrers for the referral channel (fictional domains). */
export const REFERRAL_REFERRERS = [
  'https://www.trailrunnersblog.com/best-shoes-2025/',
  'https://medium.com/@stylenotes/capsule-wardrobe-picks',
  'https://www.urbanstylediary.net/spring-edit/',
  'https://outdoorgearlab.example.org/reviews/packs',
  'https://www.sneakerfreaks.blog/new-releases/',
] as const;

/** The HTTP referrer a click from each utm source lands with ('' for mail and SMS apps). */
export const SOURCE_REFERRERS: Readonly<Record<string, string>> = {
  google: 'https://www.google.com/',
  bing: 'https://www.bing.com/',
  facebook: 'https://l.facebook.com/',
  instagram: 'https://l.instagram.com/',
  tiktok: 'https://www.tiktok.com/',
  gdn: 'https://googleads.g.doubleclick.net/',
  youtube: 'https://www.youtube.com/',
  rakuten: 'https://www.couponfollow.example/',
  awin: 'https://www.gearreviews.example/',
  newsletter: '',
  klaviyo: '',
  attentive: '',
  firebase: '',
};
