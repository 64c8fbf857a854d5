/** Request bodies carry instants as text; commands carry Dates. */
export type WithInstantInputs<C> = C extends unknown
  ? { [K in keyof C]: C[K] extends Date ? string : C[K] extends Date | undefined ? string | undefined : C[K] }
  : never;
