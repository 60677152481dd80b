import { SafeLongText, SafeShortText } from '../../common/http/input-rules';

/**
 * The input rules of every write's request body. Unknown fields are refused (whitelist +
 * forbidNonWhitelisted); an optional field is left out or given a value, never null (`Optional`); every id
 * and text follows the input rules of src/common/http/input-rules.ts.
 */
export const ID = 200;
export const TEXT = 4000;
export const ISO = { strict: true, strictSeparator: true } as const;

export const ShortText = () => SafeShortText(ID);
export const LongText = () => SafeLongText(TEXT);
/** Optional free text (notes, terms, comments): "" is accepted, as before. */
export const NoteText = () => SafeLongText(TEXT, { allowEmpty: true });
