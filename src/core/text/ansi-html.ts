/**
 * A log line with ANSI colours as HTML for the dashboard: SGR codes (colours, bold, dim,
 * italic, underline) become <span class="...">, every other escape sequence is dropped,
 * and the text itself is HTML-escaped, so the result is safe to put in innerHTML. Pure.
 */

// Same alternation as ansi.ts, with the CSI parameters and final byte captured.
const ESCAPE = /\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|(?:\u001b\[|\u009b)([0-?]*)[ -/]*([@-~])|\u001b[()#*+][0-9A-Za-z]|\u001b[@-Z\\^_78=>]/g;

interface Style {
  fg: string | null;
  bg: string | null;
  bold: boolean;
  dim: boolean;
  italic: boolean;
  underline: boolean;
}

const PLAIN: Style = { fg: null, bg: null, bold: false, dim: false, italic: false, underline: false };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Applies one SGR parameter list (`1;31`, `38;5;208`, empty = reset) to a style. */
export function applySgr(style: Style, params: string): Style {
  const codes = params === '' ? [0] : params.split(';').map((p) => (p === '' ? 0 : Number(p)));
  const next = { ...style };
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i]!;
    if (code === 0) Object.assign(next, PLAIN);
    else if (code === 1) next.bold = true;
    else if (code === 2) next.dim = true;
    else if (code === 3) next.italic = true;
    else if (code === 4) next.underline = true;
    else if (code === 22) next.bold = next.dim = false;
    else if (code === 23) next.italic = false;
    else if (code === 24) next.underline = false;
    else if (code >= 30 && code <= 37) next.fg = String(code - 30);
    else if (code >= 90 && code <= 97) next.fg = String(code - 90 + 8);
    else if (code === 39) next.fg = null;
    else if (code >= 40 && code <= 47) next.bg = String(code - 40);
    else if (code >= 100 && code <= 107) next.bg = String(code - 100 + 8);
    else if (code === 49) next.bg = null;
    else if (code === 38 || code === 48) {
      // 256-colour (5;n) or true colour (2;r;g;b): shown as the nearest of the 16 would be
      // guesswork; keep the text plain and skip the arguments.
      i += codes[i + 1] === 5 ? 2 : codes[i + 1] === 2 ? 4 : 1;
      if (code === 38) next.fg = null;
      else next.bg = null;
    }
  }
  return next;
}

function classes(style: Style): string {
  const names: string[] = [];
  if (style.fg !== null) names.push(`fg${style.fg}`);
  if (style.bg !== null) names.push(`bg${style.bg}`);
  if (style.bold) names.push('b');
  if (style.dim) names.push('d');
  if (style.italic) names.push('i');
  if (style.underline) names.push('u');
  return names.join(' ');
}

/** `text` as HTML: escaped, SGR colours as spans with classes fg0..fg15, bg0..bg15, b, d, i, u. */
export function ansiToHtml(text: string): string {
  if (!text.includes('\u001b') && !text.includes('\u009b')) return escapeHtml(text);
  let style = PLAIN;
  let html = '';
  let last = 0;
  const emit = (chunk: string) => {
    if (chunk === '') return;
    const names = classes(style);
    html += names ? `<span class="${names}">${escapeHtml(chunk)}</span>` : escapeHtml(chunk);
  };
  for (const match of text.matchAll(ESCAPE)) {
    emit(text.slice(last, match.index));
    last = match.index + match[0].length;
    if (match[2] === 'm' && match[1] !== undefined && /^[\d;]*$/.test(match[1])) style = applySgr(style, match[1]);
  }
  emit(text.slice(last));
  return html;
}
