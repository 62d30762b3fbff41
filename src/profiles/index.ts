export { getProfile, findPersonId, type Profile, type TimelineEvent } from './service.ts';
