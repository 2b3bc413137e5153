/** A type as it arrives in JSON from the gateway: absent optional fields are `null`. */
export type Json<T> = T extends readonly (infer U)[]
  ? readonly Json<U>[]
  : T extends object
    ? { readonly [K in keyof T]-?: undefined extends T[K] ? Json<Exclude<T[K], undefined>> | null : Json<T[K]> }
    : T;
