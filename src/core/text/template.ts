/** Values that instance commands and env may reference as {port} {index} {name} {url} {group} {ports[N]}. */
export interface TemplateValues {
  port: number;
  index: number;
  name: string;
  url: string;
  group: string;
  /** The extra reserved ports (port+1 ...), as {extraPort1}, {extraPort2} ... */
  extraPorts: readonly number[];
  /** Another instance's ports (its own, then its extra ones), for {meteor-1.port} {meteor-1.extraPort1}. */
  peerPorts?: (instance: string) => readonly number[] | undefined;
}

const PLACEHOLDER = /\{(?:([a-z][a-z0-9-]*-\d+)\.)?(port|index|name|url|group|extraPort(\d+))\}/g;
/** `{meteor-1.extraPort1}` -> instance meteor-1, port number 1 (0 = its own port); for checks of a config. */
export const PEER_PLACEHOLDER = /\{([a-z][a-z0-9-]*-\d+)\.(port|extraPort(\d+))\}/g;

/** Fills the placeholders; unknown `{words}` stay as they are (they may be the app's own syntax). */
export function renderTemplate(text: string, values: TemplateValues): string {
  return text.replace(PLACEHOLDER, (match, peer: string | undefined, key: string, extra: string | undefined) => {
    if (peer !== undefined) {
      const port = key === 'port' ? values.peerPorts?.(peer)?.[0] : extra === undefined ? undefined : values.peerPorts?.(peer)?.[Number(extra)];
      return port === undefined ? match : String(port);
    }
    if (extra !== undefined) {
      const port = values.extraPorts[Number(extra) - 1];
      return port === undefined ? match : String(port);
    }
    switch (key) {
      case 'port':
        return String(values.port);
      case 'index':
        return String(values.index);
      case 'name':
        return values.name;
      case 'url':
        return values.url;
      case 'group':
        return values.group;
      default:
        return match;
    }
  });
}
