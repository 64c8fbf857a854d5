import { searchTermsOf } from './detainer-search';

describe('searchTermsOf: what one search box may mean', () => {
  it('a name: its words, lower-cased, in any order', () => {
    expect(searchTermsOf('  García  josé ')).toMatchObject({ words: ['garcía', 'josé'], aNumber: null });
  });

  it('a word with a digit is an identifier, never part of a name (no trigram look-up for it)', () => {
    expect(searchTermsOf('BK-B89D26820A')).toEqual({ words: [], aNumber: null, fbiNumber: null, identifiers: ['BK-B89D26820A'] });
    expect(searchTermsOf('kc-1002')).toMatchObject({ words: [], identifiers: ['kc-1002', 'KC-1002'] });
    expect(searchTermsOf('A400000002')).toMatchObject({ words: [], aNumber: '400000002' });
    expect(searchTermsOf('Mendoza 1990')).toMatchObject({ words: ['mendoza'] });
  });
});
