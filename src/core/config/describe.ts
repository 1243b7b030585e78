/**
 * The resolved config printed back in the file's shape (durations as `5s`, sizes as `10MB`)
 * for `lb-dev config`, key by key from the key table. Loading the output again gives the same config.
 */
import { Document, isScalar } from 'yaml';
import { showFields } from './fields.js';
import { GROUP_FIELDS, TOP_FIELDS } from './keys.js';
import type { LbDevConfig } from './types.js';

/** The resolved config as a plain object in the user-facing (YAML) shape. */
export function configToUserShape(config: LbDevConfig): Record<string, unknown> {
  return {
    ...showFields(TOP_FIELDS, config),
    groups: Object.fromEntries(config.groups.map((group) => [group.name, showFields(GROUP_FIELDS, group)])),
  };
}

/** YAML text of the resolved config, headed by where it came from. */
export function configToYaml(config: LbDevConfig): string {
  const doc = new Document(configToUserShape(config));
  doc.commentBefore =
    config.source === null
      ? ' lb-dev configuration: defaults and flags (no config file)'
      : ` lb-dev configuration: ${config.source} with defaults and flags applied`;
  if (config.usingDemoApp) {
    const command = doc.getIn(['groups', config.groups[0]?.name ?? 'app', 'command'], true);
    if (isScalar(command)) command.comment = ' the built-in demo app: no command is configured';
  }
  return doc.toString({ lineWidth: 0 });
}
