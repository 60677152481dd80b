import { indexTerms, queryTerms } from '../../../src/read-models/dispute-search/search-terms';

/** Issue 15.4: CJK runs indexed as bigrams (and their last character); other text left to the store's tokenizer. */
describe('search terms', () => {
  it('indexes a Chinese sentence as its overlapping bigrams and last character', () => {
    expect(indexTerms('顾客说屏幕有划痕').trim().split(/\s+/)).toEqual(['顾客', '客说', '说屏', '屏幕', '幕有', '有划', '划痕', '痕']);
  });

  it('leaves Latin words and digits as they were, splitting them from CJK runs', () => {
    expect(indexTerms('the kettle leaks')).toBe('the kettle leaks');
    expect(indexTerms('快递单号SF123已丢失').trim().split(/\s+/)).toEqual(['快递', '递单', '单号', '号', 'SF123', '已丢', '丢失', '失']);
  });

  it('searches a CJK word as the phrase of its bigrams, one character as a prefix', () => {
    expect(queryTerms('屏幕有划痕')).toEqual({ tokens: ['屏幕', '幕有', '有划', '划痕'], prefix: false });
    expect(queryTerms('屏')).toEqual({ tokens: ['屏'], prefix: true });
    expect(queryTerms('gasket')).toEqual({ tokens: ['gasket'], prefix: false });
    expect(queryTerms('SF123丢失')).toEqual({ tokens: ['SF123', '丢失'], prefix: false });
    // A run ending inside the word keeps its last character, as the index does, so what follows stays adjacent.
    expect(queryTerms('单号SF123')).toEqual({ tokens: ['单号', '号', 'SF123'], prefix: false });
  });
});
