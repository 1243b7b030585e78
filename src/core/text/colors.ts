/**
 * The terminal colours lb-dev paints with (SGR escape codes), in one place. Every painter
 * takes `enabled` (a TTY, NO_COLOR unset) and returns the text untouched when it is false.
 */

const CSI = '\u001b[';

/** Ends every colour and attribute. */
export const RESET = `${CSI}0m`;
/** Cursor home, then erase the screen: a `--watch` view redraws in place. */
export const CLEAR_SCREEN = `${CSI}H${CSI}2J`;

/** SGR codes by name; a palette may use others (`96` bright cyan, `1;37` bold white). */
export const SGR = { bold: '1', dim: '2', red: '31', green: '32', yellow: '33' } as const;

/** `text` in SGR `code`, then a reset. */
export function paint(text: string, code: string, enabled: boolean): string {
  return enabled ? `${CSI}${code}m${text}${RESET}` : text;
}

export const bold = (text: string, enabled: boolean): string => paint(text, SGR.bold, enabled);
export const dim = (text: string, enabled: boolean): string => paint(text, SGR.dim, enabled);
export const red = (text: string, enabled: boolean): string => paint(text, SGR.red, enabled);
