/**
 * A preset named in the file (`preset: rocketchat`) turned into ordinary config before the
 * keys are read: the preset's config with the file's keys merged over it. Its own settings
 * (`rocketchat:`) are read leniently here; their problems are reported when the whole file is
 * read with the key table.
 */
import { mongoUrl } from '../checks.js';
import { readFields } from '../fields.js';
import { TOP_FIELDS } from '../keys.js';
import { Problems, Section } from '../problems.js';
import type { ConfigOverrides } from '../types.js';
import { type RocketChatMode, mergeRaw, rocketChatPreset } from './rocketchat.js';

export interface PresetResult {
  raw: unknown;
  notices: string[];
  /** The preset took -n (all instances together), so it is not the first group's. */
  tookInstances: boolean;
}

export function applyPreset(raw: unknown, flags: ConfigOverrides): PresetResult {
  const file = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as Record<string, unknown>) : null;
  if (file?.['preset'] !== 'rocketchat') return { raw, notices: [], tookInstances: false };
  const field = TOP_FIELDS.rocketchat;
  const quiet = new Problems();
  const settings = readFields(Section.open(quiet, ['rocketchat'], file['rocketchat'], Object.keys(field.fields), field.expected), field.fields);
  const notices: string[] = [];
  let fromEnv = flags.envMongoUrl === undefined || flags.envMongoUrl === '' ? undefined : flags.envMongoUrl;
  if (fromEnv !== undefined && !mongoUrl(fromEnv).ok) {
    notices.push(`MONGO_URL in the environment is not a MongoDB URL (${JSON.stringify(fromEnv.slice(0, 80))}); ignored`);
    fromEnv = undefined;
  }
  const expansion = rocketChatPreset({
    mode: (flags.mode as RocketChatMode | undefined) ?? settings.mode,
    instances: flags.instances ?? settings.instances,
    mongoUrl: flags.mongoUrl ?? fromEnv ?? settings.mongoUrl,
    appDir: settings.appDir,
  });
  return { raw: mergeRaw(expansion.raw, file), notices: [...notices, ...expansion.notices], tookInstances: true };
}
