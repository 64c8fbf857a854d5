

/** A de-identified, stable reference to one lodging's record, safe to publish. */
export const CASE_REF_SQL = (detainer: string, seq: string) => `'c-' || left(md5(${detainer}::text || ':' || ${seq}::text), 12)`;
