/**
 * Text normalisation shared by the validators.
 *
 * Field input comes from Chinese phone keyboards, which readily switch to
 * full-width characters (１２３, ｘ, （）, －), and from text pasted out of
 * chat apps, which can carry ideographic or zero-width spaces. Every
 * validator folds those to plain ASCII before looking at the value, so a
 * cadre never sees "格式错误" for a number that looks right on screen.
 */

/** Full-width forms of the printable ASCII range: U+FF01 '！' … U+FF5E '～'. */
const FULL_WIDTH_FIRST = 0xff01;
const FULL_WIDTH_LAST = 0xff5e;
/** Distance between a full-width form and its ASCII counterpart. */
const FULL_WIDTH_OFFSET = 0xfee0;
const IDEOGRAPHIC_SPACE = 0x3000;

/**
 * Converts full-width ASCII forms (U+FF01–U+FF5E) to ASCII and the
 * ideographic space (U+3000) to an ordinary space. Everything else,
 * including Chinese characters, is left unchanged.
 */
export function toHalfWidth(s: string): string {
  let out = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    if (cp >= FULL_WIDTH_FIRST && cp <= FULL_WIDTH_LAST) {
      out += String.fromCharCode(cp - FULL_WIDTH_OFFSET);
    } else if (cp === IDEOGRAPHIC_SPACE) {
      out += ' ';
    } else {
      out += ch;
    }
  }
  return out;
}

/**
 * Whitespace as JavaScript's `\s` sees it (which already covers U+3000,
 * NBSP and the BOM) plus the zero-width characters that `\s` misses but that
 * turn up in text copied from messaging apps.
 */
const WHITESPACE_RE = /[\s\u200B-\u200D\u2060]/gu;

/** Removes all whitespace, including ideographic and zero-width spaces. */
export function stripWhitespace(s: string): string {
  return s.replace(WHITESPACE_RE, '');
}

/**
 * Hyphen-like characters people type between digit groups: ASCII hyphen,
 * the Unicode hyphens and dashes (Chinese IMEs give '—' for shift+minus),
 * the minus sign and the small hyphen-minus forms.
 */
const DASH_RE = /[-\u2010-\u2015\u2212\uFE58\uFE63]/gu;

/** Replaces hyphen- and dash-like characters with an ASCII '-'. Apply after {@link toHalfWidth}. */
export function unifyDashes(s: string): string {
  return s.replace(DASH_RE, '-');
}

/** Removes hyphen- and dash-like separators. Apply after {@link toHalfWidth}. */
export function stripDashes(s: string): string {
  return s.replace(DASH_RE, '');
}

/**
 * Folds a digit string typed with spaces or dashes between groups, possibly
 * in full-width forms, to plain ASCII: '６２１７ ０００－１' → '62170001'.
 * Does not check that the result is all digits.
 */
export function compactDigits(raw: string): string {
  return stripDashes(stripWhitespace(toHalfWidth(raw)));
}
