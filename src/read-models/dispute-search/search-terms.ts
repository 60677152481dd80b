/**
 * What the full-text index stores and searches for CJK text (issue 15.4). Chinese and Japanese write no spaces
 * between words, so the tokenizers we use (SQLite FTS5 unicode61, PostgreSQL 'simple') take a whole sentence
 * as one token: "顾客说屏幕有划痕" was found only by itself. Each run of CJK characters is indexed instead as
 * its overlapping bigrams (顾客 客说 说屏 屏幕 幕有 有划 划痕) and its last character, the scheme of Lucene's
 * CJKAnalyzer: no dictionary to ship or keep current, and any word of two or more characters inside a
 * sentence is found as the phrase of its bigrams; a single character as the prefix of a bigram. Other text
 * (Latin letters, digits) is left to the store's own tokenizer as before.
 */
const CJK_RUN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u3005\u30fc]+/gu;

/** A run's tokens: its bigrams in order, then its last character (so one character ending a run is found too). */
function runTokens(run: string): string[] {
  const chars = [...run];
  if (chars.length === 1) return chars;
  const bigrams = chars.slice(0, -1).map((c, i) => c + chars[i + 1]);
  return [...bigrams, chars[chars.length - 1]];
}

/** The text to index: CJK runs replaced by their tokens, space separated; everything else as it was. */
export function indexTerms(text: string): string {
  return text.replace(CJK_RUN, (run) => ` ${runTokens(run).join(' ')} `);
}

/**
 * How to search for one query word: the tokens that must follow one another (a phrase), and whether the
 * last one is a prefix (a single CJK character: any bigram it starts). A word with no CJK is itself.
 */
export function queryTerms(word: string): { tokens: string[]; prefix: boolean } {
  const pieces: string[] = [];
  let last = 0;
  let prefix = false;
  for (const match of word.matchAll(CJK_RUN)) {
    if (match.index > last) pieces.push(word.slice(last, match.index));
    const chars = [...match[0]];
    const end = match.index + match[0].length;
    if (chars.length === 1) {
      pieces.push(chars[0]);
      prefix = end === word.length && pieces.length === 1;
    } else {
      // As indexed: the bigrams, then the last character when the run ends inside the word (so what follows is adjacent).
      pieces.push(...runTokens(match[0]).slice(0, end === word.length ? -1 : undefined));
    }
    last = end;
  }
  if (last < word.length) pieces.push(word.slice(last));
  return { tokens: pieces.map((p) => p.trim()).filter(Boolean), prefix };
}
