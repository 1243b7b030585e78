/** Values that instance commands and env may reference as {port} {index} {name} {url} {group} {ports[N]}. */
export interface TemplateValues {
  port: number;
  index: number;
  name: string;
  url: string;
  group: string;
  /** The extra reserved ports (port+1 ...), as {extraPort1}, {extraPort2} ... */
  extraPorts: readonly number[];
}

const PLACEHOLDER = /\{(port|index|name|url|group|extraPort(\d+))\}/g;

/** Fills the placeholders; unknown `{words}` stay as they are (they may be the app's own syntax). */
export function renderTemplate(text: string, values: TemplateValues): string {
  return text.replace(PLACEHOLDER, (match, key: string, extra: string | undefined) => {
    if (extra !== undefined) {
      const port = values.extraPorts[Number(extra) - 1];
      return port === undefined ? match : String(port);
    }
    switch (key) {
      case 'port': return String(values.port);
      case 'index': return String(values.index);
      case 'name': return values.name;
      case 'url': return values.url;
      case 'group': return values.group;
      default: return match;
    }
  });
}
