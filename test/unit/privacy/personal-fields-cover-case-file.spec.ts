import { PERSONAL_DATA_FIELDS } from '../../../src/disputes/domain/dispute.events';
import { PERSONAL_FIELDS } from '../../../src/privacy/personal-data';

/** The case workspace names its personal fields beside its events; the erasure table must encrypt every one of them. */
describe('the erasure table covers the case workspace', () => {
  it.each(Object.entries(PERSONAL_DATA_FIELDS))('%s: every personal field is encrypted', (type, fields) => {
    expect(Object.keys(PERSONAL_FIELDS[type] ?? {})).toEqual(expect.arrayContaining([...fields]));
  });
});
